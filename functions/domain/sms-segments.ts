/**
 * SMS length as carriers count it: GSM-7 when every character is in the GSM 03.38 alphabet (its
 * extension table costs two septets: escape + character), UCS-2 otherwise. A single message holds
 * 160 septets or 70 UCS-2 units; a concatenated one spends room on its header, leaving 153 or 67
 * per segment. Pure, so both the renderer (to warn) and the SMS adapter (to record) can use it.
 */

/** The GSM 03.38 basic character set (the escape code itself is not a printable character). */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The GSM 03.38 extension table: each character is sent as escape + character, two septets. */
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

/** Septets in one unsplit GSM-7 message, and per segment of a concatenated one. */
export const GSM7_LIMITS = { single: 160, segment: 153 } as const;
/** UTF-16 units in one unsplit UCS-2 message, and per segment of a concatenated one. */
export const UCS2_LIMITS = { single: 70, segment: 67 } as const;

/** How an SMS will be encoded and into how many segments it will be split. */
export interface SmsSegments {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Parts the carrier will bill; 0 for an empty text. */
  readonly segments: number;
  /** Units counted against the limits: septets for GSM-7 (extension characters count 2), UTF-16 units for UCS-2. */
  readonly characters: number;
}

/** Computes the encoding, segment count and counted length of an SMS text. */
export function smsSegments(text: string): SmsSegments {
  const symbols = Array.from(text);
  const gsm = symbols.every((symbol) => GSM7_BASIC.has(symbol) || GSM7_EXTENSION.has(symbol));
  // A character never straddles two segments: an escape pair or a surrogate pair moves whole.
  const costs = gsm
    ? symbols.map((symbol) => (GSM7_EXTENSION.has(symbol) ? 2 : 1))
    : symbols.map((symbol) => symbol.length);
  const limits = gsm ? GSM7_LIMITS : UCS2_LIMITS;
  const characters = costs.reduce((sum, cost) => sum + cost, 0);
  return {
    encoding: gsm ? 'GSM-7' : 'UCS-2',
    segments: countSegments(costs, characters, limits),
    characters,
  };
}

function countSegments(
  costs: readonly number[],
  total: number,
  limits: { readonly single: number; readonly segment: number },
): number {
  if (total === 0) return 0;
  if (total <= limits.single) return 1;
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limits.segment) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return segments;
}
