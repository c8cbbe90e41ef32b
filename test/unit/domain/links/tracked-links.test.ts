import {
  findLinks,
  linksOfContent,
  rewriteLinks,
  shortLink,
} from '../../../../functions/domain/links/tracked-links';

const BASE = 'https://go.example.com';

describe('Function: findLinks', () => {
  it.each([
    [
      'a link in a sentence',
      'Track it: https://shop.example/o/1?x=1&y=2.',
      ['https://shop.example/o/1?x=1&y=2'],
    ],
    ['a link in brackets', 'See (http://shop.example/help) now', ['http://shop.example/help']],
    ['an upper-case scheme', 'HTTPS://SHOP.EXAMPLE/Path!', ['HTTPS://SHOP.EXAMPLE/Path']],
    ['a link with Unicode', 'Voir https://boutique.example/été ici', ['https://boutique.example/été']],
    [
      'two links',
      'a https://a.example/1 b https://b.example/2',
      ['https://a.example/1', 'https://b.example/2'],
    ],
  ])('finds %s', (_name, text, urls) => {
    // Act
    const links = findLinks(text);

    // Assess
    expect(links.map((link) => link.url)).toEqual(urls);
    for (const link of links) expect(text.slice(link.start, link.end)).toBe(link.url);
  });

  it.each([
    ['a bare domain', 'Visit shop.example today'],
    ['a www link without scheme', 'Visit www.shop.example today'],
    ['an email address', 'Write to help@shop.example'],
    ['a mailto link', 'Write to mailto:help@shop.example'],
    ['a protocol-relative link', 'See //shop.example/x'],
    ['an ftp link', 'Get ftp://files.example/a'],
  ])('leaves %s alone: its target would be a guess', (_name, text) => {
    // Act
    const links = findLinks(text);

    // Assess
    expect(links).toEqual([]);
  });
});

describe('Function: rewriteLinks', () => {
  it('replaces each link of an SMS text by the short link of its token, in order, and nothing else', () => {
    // Prepare
    const content = { text: 'A https://a.example/1, then https://b.example/2.' };

    // Act
    const rewritten = rewriteLinks('sms', content, ['tokenA', 'tokenB'], BASE);

    // Assess
    expect(rewritten).toEqual({
      text: 'A https://go.example.com/c/tokenA, then https://go.example.com/c/tokenB.',
    });
    expect(linksOfContent('sms', content)).toEqual(['https://a.example/1', 'https://b.example/2']);
  });

  it('rewrites the text and the tap target of a push, and keeps the title', () => {
    // Prepare
    const content = { title: 'Sale', text: 'See https://a.example/1', url: 'https://a.example/app' };

    // Act
    const rewritten = rewriteLinks('push', content, ['t1', 't2'], `${BASE}/`);

    // Assess
    expect(linksOfContent('push', content)).toEqual(['https://a.example/1', 'https://a.example/app']);
    expect(rewritten).toEqual({
      title: 'Sale',
      text: 'See https://go.example.com/c/t1',
      url: 'https://go.example.com/c/t2',
    });
  });

  it('leaves the links past the last token as written', () => {
    // Act
    const rewritten = rewriteLinks(
      'whatsapp',
      { text: 'https://a.example/1 https://b.example/2' },
      ['t1'],
      BASE,
    );

    // Assess
    expect(rewritten.text).toBe('https://go.example.com/c/t1 https://b.example/2');
  });

  it('builds a short link under a base with a path', () => {
    // Act
    const link = shortLink('https://example.com/go/', 'abc');

    // Assess
    expect(link).toBe('https://example.com/go/c/abc');
  });
});
