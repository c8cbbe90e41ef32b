/**
 * A message as its timeline entry: the ledger's message with every planned attempt, and a status
 * rolled up from the attempts (status-rank.ts `summariseStatus`), so an email attempt `opened` makes
 * the message `opened` where the router's own status still says `queued`.
 */
import type { TimelineAttempt, TimelineMessageEntry, TimelineStatusChange } from '../../contract';
import type { LedgerAttempt, LedgerMessage, StatusChange } from '../ledger-model';
import { summariseStatus } from '../status-rank';

/** The id an attempt is found by among the attempt records read for a page. */
export function attemptRecordId(key: Pick<LedgerAttempt, 'messageId' | 'attempt' | 'channel'>): string {
  return `${key.messageId}#${key.attempt}#${key.channel}`;
}

/**
 * The entry of `message`, given the attempt records read for it by {@link attemptRecordId}. An
 * attempt the sender has not picked up yet has no record: it is `queued` since the router planned it.
 */
export function toMessageEntry(
  message: LedgerMessage,
  records: ReadonlyMap<string, LedgerAttempt>,
): TimelineMessageEntry {
  const queuedAt =
    [...message.history].reverse().find((change) => change.status === 'queued')?.at ?? message.createdAt;
  const attempts = message.attempts.map((planned): TimelineAttempt => {
    const record = records.get(attemptRecordId({ messageId: message.messageId, ...planned }));
    if (!record) {
      return { ...planned, status: 'queued', queuedAt, history: [{ status: 'queued', at: queuedAt }] };
    }
    return {
      channel: record.channel,
      attempt: record.attempt,
      status: record.status,
      queuedAt: record.queuedAt,
      history: record.history.map(toStatusChange),
      ...(record.provider ? { provider: record.provider } : {}),
      ...(record.providerMessageId ? { providerMessageId: record.providerMessageId } : {}),
      ...(record.error ? { error: record.error } : {}),
      ...(record.details ? { details: record.details as TimelineAttempt['details'] } : {}),
    };
  });
  return {
    type: 'message',
    at: message.createdAt,
    messageId: message.messageId,
    requestId: message.requestId,
    ...(message.category ? { category: message.category } : {}),
    status: summariseStatus(
      message.status,
      attempts.map((attempt) => attempt.status),
    ),
    routerStatus: message.status,
    history: message.history.map(toStatusChange),
    ...(message.request ? { request: message.request } : {}),
    reasons: [...message.reasons],
    ...(message.deliverAt ? { deliverAt: message.deliverAt } : {}),
    skipped: { ...message.skipped },
    fallbackChannels: [...message.fallbackChannels],
    attempts,
    metadata: { ...message.metadata },
    ...(message.choice
      ? {
          choice: {
            strategy: message.choice.strategy,
            channel: message.choice.channel,
            propensity: message.choice.propensity,
            explored: message.choice.explored,
            explanation: message.choice.explanation,
          },
        }
      : {}),
  };
}

/** A stored status change with only the fields the timeline shows (stored ones carry provider ids). */
function toStatusChange(change: StatusChange): TimelineStatusChange {
  return {
    status: change.status,
    at: change.at,
    ...(change.reason ? { reason: change.reason } : {}),
    ...(change.channel ? { channel: change.channel } : {}),
  };
}
