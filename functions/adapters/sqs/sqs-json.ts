/**
 * JSON for SQS message bodies with characters beyond the Basic Multilingual Plane (emoji such as 🛍️)
 * written as `\uXXXX` surrogate escapes. The JSON parses to exactly the same value; the body itself
 * stays within #x20–#xFFFD, which every SQS implementation accepts (AWS also takes #x10000+, but the
 * local emulator, fauxqs, rejects it with InvalidMessageContents).
 */

/** `JSON.stringify(value)` with astral characters escaped. */
export function sqsJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\ud800-\udbff][\udc00-\udfff]/g,
    (pair) => `\\u${pair.charCodeAt(0).toString(16)}\\u${pair.charCodeAt(1).toString(16)}`,
  );
}
