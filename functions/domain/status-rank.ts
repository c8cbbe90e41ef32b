/**
 * The one-way order of statuses. A status may replace another only if its rank is higher, so a
 * late or repeated provider callback never moves a message or an attempt backwards.
 */
import { MessageStatus } from '../contract';

/** Rank of a status that ends an attempt or a message: nothing replaces it. */
export const TERMINAL_RANK = 100;

/** Rank of each status; the ledger's conditional writes compare these (`statusRank < :rank`). */
export const STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  [MessageStatus.SCHEDULED]: 0,
  // Held by a frequency cap: after `scheduled` (a schedule that falls due may be capped), before
  // `queued` (a deferral that falls due is sent). A dropped message stays `capped`: it has no attempt.
  [MessageStatus.CAPPED]: 5,
  [MessageStatus.QUEUED]: 10,
  [MessageStatus.SENT]: 20,
  [MessageStatus.DELIVERED]: 30,
  // WhatsApp `read` and email `opened` are the same step: the person saw it.
  [MessageStatus.READ]: 40,
  [MessageStatus.OPENED]: 40,
  [MessageStatus.CLICKED]: 50,
  [MessageStatus.FAILED]: TERMINAL_RANK,
  [MessageStatus.UNDELIVERED]: TERMINAL_RANK,
  [MessageStatus.BOUNCED]: TERMINAL_RANK,
  [MessageStatus.DROPPED]: TERMINAL_RANK,
  [MessageStatus.REJECTED]: TERMINAL_RANK,
  [MessageStatus.EXPIRED]: TERMINAL_RANK,
  [MessageStatus.UNDELIVERABLE]: TERMINAL_RANK,
  // A journey's message stopped by the dispatch fence: it never reached a channel queue.
  [MessageStatus.CANCELLED]: TERMINAL_RANK,
};

/** The rank of a status: higher is further along. */
export function statusRank(status: MessageStatus): number {
  return STATUS_RANK[status];
}

/** Whether `next` may replace `current` (strictly further along, and `current` not terminal). */
export function canMoveTo(current: MessageStatus | undefined, next: MessageStatus): boolean {
  if (current === undefined) return true;
  return statusRank(next) > statusRank(current);
}

/** Whether a status ends an attempt or a message for good. */
export function isTerminal(status: MessageStatus): boolean {
  return statusRank(status) >= TERMINAL_RANK;
}

/**
 * The status to show for a message on a timeline: the router's own decision when it ended the
 * message, otherwise the furthest status among its attempts (a failure only if every attempt failed).
 */
export function summariseStatus(
  routerStatus: MessageStatus,
  attemptStatuses: readonly MessageStatus[],
): MessageStatus {
  if (isTerminal(routerStatus) || attemptStatuses.length === 0) return routerStatus;
  const progressing = attemptStatuses.filter((status) => !isTerminal(status));
  const pool = progressing.length > 0 ? progressing : attemptStatuses;
  return pool.reduce((best, status) => (statusRank(status) > statusRank(best) ? status : best));
}

/** Whether an attempt at `from` may move to `to` (same rule as {@link canMoveTo}). */
export const canAdvance = canMoveTo;

/** Whether a status is a delivery receipt: the provider confirmed the person got it (or read it). */
export function isDeliveryConfirmed(status: MessageStatus): boolean {
  return statusRank(status) >= statusRank(MessageStatus.DELIVERED) && !isTerminal(status);
}
