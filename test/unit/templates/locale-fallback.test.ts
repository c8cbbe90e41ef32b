import { localeChain } from '../../../functions/domain/templates';

describe('Function: localeChain', () => {
  it.each([
    ['fr-CA', 'en', ['fr-CA', 'fr', 'en']],
    ['FR-ca', 'en', ['fr-CA', 'fr', 'en']],
    ['zh-Hant-TW', 'en', ['zh-Hant-TW', 'zh-Hant', 'zh', 'en']],
    ['en-GB', 'en', ['en-GB', 'en']],
    [undefined, 'fr', ['fr']],
    ['not a tag!', 'en', ['en']],
  ])('tries %s then shorter tags then the default %s', (preferred, fallback, chain) => {
    // Act
    const result = localeChain(preferred, fallback);

    // Assess
    expect(result).toEqual(chain);
  });
});
