/**
 * The erasure race, closed: a customer erased between the batch's read (no tombstone then) and the
 * router's own writes. The erase writes its tombstone before it sweeps the timeline, so a message
 * the router wrote after the sweep is followed by a tombstone a strongly consistent read now sees.
 * Read once more, after the writes and before anything is queued or scheduled to be sent: a
 * customer whose tombstone is new since the batch's read has their timeline swept again (what the
 * router just wrote goes, its attempts become tombstones) and their records end `erased`, unsent.
 */
import { type PendingDispatch, type RecordResult, RouteOutcome, type RoutingContext } from './types';

/** Records that wrote to a customer's timeline in this batch, by record id, with their customer. */
export interface WrittenRecord {
  readonly recordId: string;
  readonly customerId: string;
  readonly messageId: string;
}

/**
 * Returns the pending dispatches of customers still not erased; sets `erased` results for the
 * others (and for written records that had finished, e.g. scheduled). Throws when the read fails:
 * the caller fails those records, and their redelivery reads again.
 */
export async function dropErasedSinceRead(
  pending: readonly PendingDispatch[],
  written: readonly WrittenRecord[],
  tombstonedAtRead: ReadonlySet<string>,
  results: Map<string, RecordResult>,
  context: RoutingContext,
): Promise<PendingDispatch[]> {
  const customerOf = new Map(written.map((record) => [record.recordId, record.customerId]));
  const ids = [...new Set(written.map((record) => record.customerId))];
  if (ids.length === 0) return [...pending];
  const now = await context.deps.customers.tombstonedAmong(ids);
  const erasedSince = new Set([...now].filter((id) => !tombstonedAtRead.has(id)));
  if (erasedSince.size === 0) return [...pending];
  for (const customerId of erasedSince) await context.deps.ledger.eraseTimeline(customerId, context.now);
  for (const record of written) {
    if (!erasedSince.has(record.customerId)) continue;
    context.logger.warn('The customer was erased while the record was routed; nothing is sent', {
      messageId: record.messageId,
    });
    results.set(record.recordId, {
      id: record.recordId,
      outcome: RouteOutcome.ERASED,
      messageId: record.messageId,
    });
  }
  return pending.filter((item) => !erasedSince.has(customerOf.get(item.id) ?? ''));
}
