import { sqsJson } from '../../../functions/adapters/sqs/sqs-json';

describe('Function: sqsJson', () => {
  it.each([
    ['an emoji', { text: 'Thank you 🛍️!' }],
    ['plain text', { text: 'Lumière Opéra' }],
    ['nested astral characters', { items: [{ name: '𝒳 shirt 👕' }] }],
  ])('parses back to the same value for %s, with no character above U+FFFF', (_what, value) => {
    // Act
    const body = sqsJson(value);

    // Assess
    expect(JSON.parse(body)).toEqual(value);
    expect([...body].every((c) => (c.codePointAt(0) as number) <= 0xfffd)).toBe(true);
  });
});
