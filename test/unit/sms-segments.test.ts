import { countSmsSegments, isGsm7 } from '../../functions/domain/sms-segments';

describe('Function: countSmsSegments', () => {
  it.each([
    ['an empty body', '', 'GSM-7', 0, 1],
    ['160 GSM-7 characters', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 GSM-7 characters', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 GSM-7 characters', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['307 GSM-7 characters', 'a'.repeat(307), 'GSM-7', 307, 3],
    ['80 euro signs (extension table, two septets each)', '€'.repeat(80), 'GSM-7', 160, 1],
    ['81 euro signs', '€'.repeat(81), 'GSM-7', 162, 2],
    ['accented letters of the GSM alphabet', 'Café à Paris: ÄÖÑÜ äöñü', 'GSM-7', 23, 1],
    ['70 UCS-2 characters', 'ç'.repeat(70), 'UCS-2', 70, 1],
    ['71 UCS-2 characters', 'ç'.repeat(71), 'UCS-2', 71, 2],
    ['134 UCS-2 characters', 'ç'.repeat(134), 'UCS-2', 134, 2],
    ['135 UCS-2 characters', 'ç'.repeat(135), 'UCS-2', 135, 3],
    ['one emoji in a GSM text', `${'a'.repeat(68)}👍`, 'UCS-2', 70, 1],
    ['35 emoji (surrogate pairs)', '👍'.repeat(35), 'UCS-2', 70, 1],
    ['36 emoji', '👍'.repeat(36), 'UCS-2', 72, 2],
  ])('counts %s', (_name, text, encoding, units, segments) => {
    // Act
    const count = countSmsSegments(text);

    // Assess
    expect(count).toEqual({ encoding, units, segments });
  });

  it('never splits an escape sequence across two parts', () => {
    // Prepare: 152 septets, then a euro sign that would straddle the 153-septet boundary.
    const text = `${'a'.repeat(152)}€${'a'.repeat(10)}`;

    // Act
    const count = countSmsSegments(text);

    // Assess
    expect(count).toEqual({ encoding: 'GSM-7', units: 164, segments: 2 });
  });

  it('never splits a surrogate pair across two parts', () => {
    // Prepare: 66 units, then an emoji that would straddle the 67-unit boundary, 67 more units.
    const text = `${'ç'.repeat(66)}👍${'ç'.repeat(66)}`;

    // Act
    const count = countSmsSegments(text);

    // Assess
    expect(count).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
  });
});

describe('Function: isGsm7', () => {
  it.each([
    ['plain ASCII letters', 'Hello', true],
    ['the extension table', '{[~]}|^\\€', true],
    ['a grave backtick (not in GSM-7)', '`', false],
    ['a ç (only Ç is in GSM-7)', 'ç', false],
  ])('answers for %s', (_name, text, expected) => {
    expect(isGsm7(text)).toBe(expected);
  });
});
