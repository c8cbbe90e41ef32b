/**
 * The ledger stream's event filter on the messages table as plain Lambda filter patterns, so the
 * stack (infra/attribution.ts wraps them in FilterCriteria) and the local stream source
 * (local/stream-source.ts) apply the same ones. Only the records the consumer acts on pass:
 *
 * - attempt items (events, fallbacks, engagement, the report's sent/delivered/engaged), inbound
 *   items (events, engagement) and new message items (a learned choice's event): by `kind`;
 * - new touchpoints whose `name` is a conversion event (attributed): other touchpoints, and
 *   everything attribution writes itself (conversions, claims, aggregates), never invoke it.
 *
 * Lambda ORs the patterns. Removals (TTL, erasure) carry no new image and are not needed.
 */

/** The filter patterns of the messages table's stream, for the configured conversion events. */
export function ledgerStreamMessagesPatterns(conversionEvents: readonly string[]): Record<string, unknown>[] {
  const newImage = (fields: Record<string, unknown>) => ({ dynamodb: { NewImage: fields } });
  return [
    newImage({ kind: { S: ['attempt'] } }),
    newImage({ kind: { S: ['inbound'] } }),
    { eventName: ['INSERT'], ...newImage({ kind: { S: ['message'] } }) },
    {
      eventName: ['INSERT'],
      ...newImage({ kind: { S: ['touchpoint'] }, name: { S: [...conversionEvents] } }),
    },
  ];
}

/**
 * Whether a stream record matches a pattern of the kinds used by the stacks' filters (nested
 * objects, each leaf a list of accepted values: a string, `{ prefix }` or `{ exists }`). Written by
 * hand: Lambda's matcher is not published as a library, and only this subset of its syntax is used.
 */
export function matchesFilterPattern(pattern: Record<string, unknown>, record: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = (record as Record<string, unknown> | undefined)?.[key];
    if (Array.isArray(expected)) return expected.some((accepted) => matchesLeaf(accepted, actual));
    return (
      typeof expected === 'object' &&
      expected !== null &&
      matchesFilterPattern(expected as Record<string, unknown>, actual)
    );
  });
}

/** One accepted value of a leaf: an exact string, `{ prefix: "…" }` or `{ exists: true|false }`. */
function matchesLeaf(accepted: unknown, actual: unknown): boolean {
  if (typeof accepted === 'string') return actual === accepted;
  const rule = accepted as { prefix?: unknown; exists?: unknown } | null;
  if (typeof rule?.exists === 'boolean') return (actual !== undefined) === rule.exists;
  if (typeof rule?.prefix === 'string') return typeof actual === 'string' && actual.startsWith(rule.prefix);
  throw new Error(`unsupported filter rule ${JSON.stringify(accepted)}`);
}
