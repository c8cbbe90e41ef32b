/**
 * Reconciling a touchpoint bench run: every accepted event stored exactly once, on the profile it
 * belongs to (its customer, or its visitor when no identify stitched the visitor), read back with a
 * consistent scan of the run's own table; nothing left on the queue or its DLQ.
 */
import { touchpointSort } from '../../functions/adapters/dynamodb/messages-table';

/** One stored touchpoint item's key. */
export interface StoredTouchpointKey {
  readonly pk: string;
  readonly sk: string;
}

/** What the reconciliation found. */
export interface TouchpointReconciliation {
  readonly expected: number;
  /** Events stored exactly once, where they belong. */
  readonly storedOnce: number;
  readonly findings: readonly string[];
}

const TOUCHPOINT_PREFIX = touchpointSort('');

/** Compares the stored keys with where each published event must be. */
export function reconcileTouchpoints(input: {
  readonly homes: ReadonlyMap<string, string>;
  readonly stored: readonly StoredTouchpointKey[];
  /** Events the answers (API) called accepted; undefined on the queue, which gives none. */
  readonly accepted?: number;
  /** Messages still on the queue or its DLQ at the end. */
  readonly leftOnQueues?: number;
}): TouchpointReconciliation {
  const where = new Map<string, string[]>();
  for (const { pk, sk } of input.stored) {
    if (!sk.startsWith(TOUCHPOINT_PREFIX)) continue;
    const messageId = sk.slice(TOUCHPOINT_PREFIX.length);
    where.set(messageId, [...(where.get(messageId) ?? []), pk]);
  }
  const findings: string[] = [];
  let storedOnce = 0;
  const missing: string[] = [];
  for (const [messageId, home] of input.homes) {
    const places = where.get(messageId) ?? [];
    if (places.length === 0) missing.push(messageId);
    else if (places.length > 1)
      findings.push(`${messageId} stored ${places.length} times (${places.join(', ')})`);
    else if (places[0] !== home) findings.push(`${messageId} stored on ${places[0]}, expected ${home}`);
    else storedOnce++;
  }
  if (missing.length > 0) {
    findings.unshift(`${missing.length} events not stored (first: ${missing.slice(0, 3).join(', ')})`);
  }
  const unexpected = [...where.keys()].filter((messageId) => !input.homes.has(messageId));
  if (unexpected.length > 0) findings.push(`${unexpected.length} stored touchpoints nobody published`);
  if (input.accepted !== undefined && input.accepted !== input.homes.size) {
    findings.push(`the API accepted ${input.accepted} of ${input.homes.size} events`);
  }
  if (input.leftOnQueues) findings.push(`${input.leftOnQueues} messages left on the queue or its DLQ`);
  return { expected: input.homes.size, storedOnce, findings };
}
