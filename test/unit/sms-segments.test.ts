import { smsSegments } from '../../functions/domain/sms-segments';

describe('Function: smsSegments', () => {
  it.each([
    ['an empty text', '', 'GSM-7', 0, 0],
    ['a short GSM-7 text', 'Hello Ada', 'GSM-7', 1, 9],
    ['accents that GSM-7 has', 'Café à Paris, Ça va', 'GSM-7', 1, 19],
    ['160 GSM-7 characters', 'a'.repeat(160), 'GSM-7', 1, 160],
    ['161 GSM-7 characters', 'a'.repeat(161), 'GSM-7', 2, 161],
    ['306 GSM-7 characters', 'a'.repeat(306), 'GSM-7', 2, 306],
    ['307 GSM-7 characters', 'a'.repeat(307), 'GSM-7', 3, 307],
    ['80 euro signs (extension table, two septets each)', '€'.repeat(80), 'GSM-7', 1, 160],
    ['81 euro signs', '€'.repeat(81), 'GSM-7', 2, 162],
    [
      'an escape pair that would straddle a segment boundary',
      `${'a'.repeat(152)}€${'a'.repeat(152)}`,
      'GSM-7',
      3,
      306,
    ],
    ['a lower-case ç, which GSM-7 lacks', 'Ça, ça va', 'UCS-2', 1, 9],
    ['an emoji', 'Hi 👋', 'UCS-2', 1, 5],
    ['70 Cyrillic letters', 'ж'.repeat(70), 'UCS-2', 1, 70],
    ['71 Cyrillic letters', 'ж'.repeat(71), 'UCS-2', 2, 71],
    ['35 emoji (70 UTF-16 units)', '👋'.repeat(35), 'UCS-2', 1, 70],
    ['36 emoji (surrogate pairs never split)', '👋'.repeat(36), 'UCS-2', 2, 72],
    ['67 emoji (33 whole pairs per segment)', '👋'.repeat(67), 'UCS-2', 3, 134],
  ])('counts %s', (_case, text, encoding, segments, characters) => {
    // Act
    const result = smsSegments(text);

    // Assess
    expect(result).toEqual({ encoding, segments, characters });
  });
});
