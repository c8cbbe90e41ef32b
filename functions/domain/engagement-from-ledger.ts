/**
 * What a ledger change means for the engagement counters (domain/channel-choice): the one rule that
 * turns the messages table's stream into sends, deliveries and engagements per customer × channel.
 *
 * - An attempt item whose history reached `sent` (or any later non-failure status) for the first
 *   time → a send; reached `delivered` or later for the first time → a delivery; got its first
 *   engagement — read, a human open, a click — → an engagement. Statuses only move forward, so each
 *   counts once per attempt, and an attempt's second engagement (a click after an open) counts for
 *   nothing: engaged messages never outnumber sends.
 * - An open the provider flagged as a machine's (SendGrid's `sg_machine_open`, Apple Mail Privacy
 *   Protection) is stored with the provider event {@link MACHINE_OPEN_EVENT} and is no engagement.
 * - A new inbound message that answers one of ours (`inReplyTo`) → an engagement of its channel
 *   for the customer. The replied-to message's category is not on the inbound item, so a reply moves
 *   the customer's counters only, not the population's.
 *
 * Pure: the stream consumer counts what this returns (adapters/dynamodb/engagement-counters.ts).
 */
import { type Channel, MessageStatus } from '../contract';
import { type EngagementEvent, EngagementKind } from './channel-choice/engagement-counters';
import type { AttemptHistoryEntry, LedgerChange } from './ledger-change-events';

/** The provider event stored for an open a provider flagged as a machine's. */
export const MACHINE_OPEN_EVENT = 'machine_open';

/** One event to count, with whose it is. */
export interface EngagementSignal {
  readonly customerId: string;
  readonly messageId: string;
  /** The message's category, when the change carries it (attempts do, replies do not). */
  readonly category?: string;
  readonly event: EngagementEvent;
}

const SENT_OR_LATER: ReadonlySet<string> = new Set([
  MessageStatus.SENT,
  MessageStatus.DELIVERED,
  MessageStatus.READ,
  MessageStatus.OPENED,
  MessageStatus.CLICKED,
]);
const DELIVERED_OR_LATER: ReadonlySet<string> = new Set([
  MessageStatus.DELIVERED,
  MessageStatus.READ,
  MessageStatus.OPENED,
  MessageStatus.CLICKED,
]);

/** Whether a status means the provider took the message (sent, or any later non-failure status). */
export function isSentOrLater(status: string): boolean {
  return SENT_OR_LATER.has(status);
}

/** Whether a history entry is a person engaging (read, a human open, a click). */
export function isEngagement(entry: Pick<AttemptHistoryEntry, 'status' | 'providerEvent'>): boolean {
  if (entry.status === MessageStatus.OPENED) return entry.providerEvent !== MACHINE_OPEN_EVENT;
  return entry.status === MessageStatus.READ || entry.status === MessageStatus.CLICKED;
}

const KIND_OF_STATUS: Partial<Record<string, EngagementEvent['kind']>> = {
  [MessageStatus.READ]: EngagementKind.READ,
  [MessageStatus.OPENED]: EngagementKind.OPENED,
  [MessageStatus.CLICKED]: EngagementKind.CLICKED,
};

/** The engagement events one ledger change carries. */
export function deriveEngagement(change: LedgerChange): EngagementSignal[] {
  const item = change.newImage;
  if (change.table !== 'messages' || !item) return [];
  if (item.kind === 'attempt') return attemptEngagement(change.oldImage, item);
  if (item.kind === 'inbound' && !change.oldImage) return replyEngagement(item);
  return [];
}

function attemptEngagement(
  before: Readonly<Record<string, unknown>> | undefined,
  item: Readonly<Record<string, unknown>>,
): EngagementSignal[] {
  const previous = historyOf(before);
  const added = historyOf(item).slice(previous.length);
  if (added.length === 0) return [];
  const base = {
    customerId: String(item.customerId),
    messageId: String(item.messageId),
    ...(typeof item.category === 'string' && item.category ? { category: item.category } : {}),
  };
  const channel = item.channel as Channel;
  const signals: EngagementSignal[] = [];
  const firstAdded = (test: (entry: AttemptHistoryEntry) => boolean) =>
    previous.some(test) ? undefined : added.find(test);
  const sent = firstAdded((entry) => SENT_OR_LATER.has(entry.status));
  if (sent)
    signals.push({ ...base, event: { channel, kind: EngagementKind.SENT, atMs: Date.parse(sent.at) } });
  const delivered = firstAdded((entry) => DELIVERED_OR_LATER.has(entry.status));
  if (delivered) {
    signals.push({
      ...base,
      event: { channel, kind: EngagementKind.DELIVERED, atMs: Date.parse(delivered.at) },
    });
  }
  const engaged = firstAdded(isEngagement);
  const kind = engaged && KIND_OF_STATUS[engaged.status];
  if (engaged && kind) {
    signals.push({ ...base, event: { channel, kind, atMs: Date.parse(engaged.at), firstForMessage: true } });
  }
  return signals.filter((signal) => Number.isFinite(signal.event.atMs));
}

function replyEngagement(item: Readonly<Record<string, unknown>>): EngagementSignal[] {
  if (typeof item.customerId !== 'string' || typeof item.inReplyTo !== 'string') return [];
  const atMs = Date.parse(String(item.receivedAt));
  if (!Number.isFinite(atMs)) return [];
  return [
    {
      customerId: item.customerId,
      messageId: item.inReplyTo,
      event: { channel: item.channel as Channel, kind: EngagementKind.REPLIED, atMs, firstForMessage: true },
    },
  ];
}

function historyOf(item: Readonly<Record<string, unknown>> | undefined): AttemptHistoryEntry[] {
  return Array.isArray(item?.history) ? (item.history as AttemptHistoryEntry[]) : [];
}
