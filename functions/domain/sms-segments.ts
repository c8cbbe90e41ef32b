/**
 * SMS segment counting (3GPP TS 23.038): how many parts a text is split into, and in which
 * encoding. Carriers bill per segment, so the count is recorded with every send and checked by
 * templates before sending.
 */

/** The two encodings an SMS body is sent in. */
export const SmsEncoding = { GSM7: 'GSM-7', UCS2: 'UCS-2' } as const;
/** An SMS encoding name. */
export type SmsEncoding = (typeof SmsEncoding)[keyof typeof SmsEncoding];

/** GSM 03.38 default alphabet: one septet each. */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** GSM 03.38 extension table: an escape septet plus one, so two septets each. */
const GSM7_EXTENDED = new Set('\f^{}\\[~]|€');

/** Limits per encoding: units in a single message, and per part once split (a UDH takes the rest). */
const LIMITS = {
  [SmsEncoding.GSM7]: { single: 160, part: 153 },
  [SmsEncoding.UCS2]: { single: 70, part: 67 },
} as const;

/** How a text travels as SMS. */
export interface SmsSegmentCount {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  readonly units: number;
  readonly segments: number;
}

/** Whether every character of the text is in the GSM-7 alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const char of text) {
    if (!GSM7_BASIC.has(char) && !GSM7_EXTENDED.has(char)) return false;
  }
  return true;
}

/** Counts the segments and units of an SMS body; an empty body is one segment. */
export function countSmsSegments(text: string): SmsSegmentCount {
  const encoding = isGsm7(text) ? SmsEncoding.GSM7 : SmsEncoding.UCS2;
  const limits = LIMITS[encoding];
  let units = 0;
  let segments = 1;
  let inPart = 0;
  for (const char of text) {
    // GSM-7 extension characters take an escape septet; characters outside the BMP take a UTF-16
    // surrogate pair. Neither is ever split across two parts.
    const size = encoding === SmsEncoding.GSM7 ? (GSM7_EXTENDED.has(char) ? 2 : 1) : char.length;
    units += size;
    if (inPart + size > limits.part) {
      segments += 1;
      inPart = 0;
    }
    inPart += size;
  }
  return { encoding, units, segments: units <= limits.single ? 1 : segments };
}
