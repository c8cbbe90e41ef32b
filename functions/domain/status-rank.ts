/**
 * Status moves one way. Each status has a rank; a provider callback may only move an attempt to a
 * higher rank, so a late `sent` never overwrites `delivered` and a duplicate changes nothing. The
 * ledger adapter enforces it with a conditional write on the stored rank (`statusRank < :rank`).
 */
import { type MessageStatus, MessageStatus as Status } from '../contract';

/**
 * Rank of each status. Progress `queued → sent → delivered → read`; email engagement
 * (`opened`, `clicked`) after `delivered`. Failures outrank everything a provider reports, so they
 * are terminal for the attempt, yet an asynchronous bounce after `delivered` is still recorded.
 */
export const STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  [Status.SCHEDULED]: 0,
  [Status.QUEUED]: 10,
  [Status.SENT]: 20,
  [Status.DELIVERED]: 30,
  [Status.READ]: 40,
  [Status.OPENED]: 40,
  [Status.CLICKED]: 50,
  [Status.FAILED]: 90,
  [Status.UNDELIVERED]: 90,
  [Status.BOUNCED]: 90,
  [Status.DROPPED]: 90,
  [Status.REJECTED]: 100,
  [Status.EXPIRED]: 100,
  [Status.UNDELIVERABLE]: 100,
};

/** Whether an attempt at `from` may move to `to`. */
export function canAdvance(from: MessageStatus | undefined, to: MessageStatus): boolean {
  return from === undefined || STATUS_RANK[to] > STATUS_RANK[from];
}

/** Whether a status is a delivery receipt: the provider confirmed the person got it (or read it). */
export function isDeliveryConfirmed(status: MessageStatus): boolean {
  return (
    STATUS_RANK[status] >= STATUS_RANK[Status.DELIVERED] && STATUS_RANK[status] < STATUS_RANK[Status.FAILED]
  );
}
