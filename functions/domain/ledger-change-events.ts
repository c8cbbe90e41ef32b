/**
 * The transactional outbox's one rule: what a change of the ledger owes the outside world.
 *
 * Every event Switchboard publishes, and every fallback it owes, is derived here from one DynamoDB
 * change (the item before and after, as DynamoDB Streams delivers it with `NEW_AND_OLD_IMAGES`),
 * never published beside the write. So nothing can be lost between a write and its publish: the
 * stream keeps the change for 24 hours and the consumer retries it until it is published.
 *
 * - An attempt item (messages table) whose status history grew by a provider receipt → one
 *   `DeliveryEvent` per new receipt entry, in history order.
 * - An attempt item that gained its `fallbackClaim` → the `FallbackRequest` it owes the router.
 * - A new inbound item (messages table) → its `InboundMessage`.
 * - A new message item routed by a learned choice → its `message.queued` event with the choice.
 * - A profile (customers table) whose `consentHistory` gained entries from a provider signal (a
 *   source of {@link ConsentSource}) → one `ConsentChangedEvent` per change, its categories grouped.
 *
 * Pure and deterministic: the same change always gives the same events with the same `eventId`, so
 * a retried stream batch republishes identical copies that subscribers de-duplicate.
 */
import {
  type Channel,
  CONSENT_CHANGED_EVENT_TYPE,
  type ConsentChangedEvent,
  ConsentSource,
  type DeliveryError,
  type DeliveryEvent,
  type FallbackRequest,
  type InboundMessage,
  MessageStatus,
  type Provider,
} from '../contract';
import type { FallbackReason, RoutingChoice } from './ledger-model';
import type { SwitchboardEvent } from './ports';
import { statusRank } from './status-rank';

/** The two tables whose streams Switchboard reads. */
export type LedgerTable = 'messages' | 'customers';

/** One item change, its images as plain objects (unmarshalled by the stream adapter). */
export interface LedgerChange {
  readonly table: LedgerTable;
  /** The item before the change; absent for an insert. */
  readonly oldImage?: Readonly<Record<string, unknown>> | undefined;
  /** The item after the change; absent for a removal. */
  readonly newImage?: Readonly<Record<string, unknown>> | undefined;
}

/** What one change owes: events for the topic, fallback requests for the router. */
export interface OwedWork {
  readonly events: SwitchboardEvent[];
  readonly fallbacks: FallbackRequest[];
}

/**
 * A status change in an attempt's history. Entries written by a provider receipt carry
 * `providerEvent` (and the provider's ids): those, and only those, are published, as before the
 * outbox (the sender's own `sent` is not an event; the provider's receipts are).
 */
export interface AttemptHistoryEntry {
  readonly status: MessageStatus;
  readonly at: string;
  readonly channel?: Channel;
  readonly reason?: string;
  readonly providerEvent?: string;
  readonly provider?: Provider;
  readonly providerMessageId?: string;
  readonly error?: DeliveryError;
}

/** The fallback an attempt claimed, as stored on the attempt item (`fallbackClaim`). */
export interface FallbackClaim extends FallbackReason {
  /** Channels already tried for the message, this attempt's included. */
  readonly triedChannels?: readonly Channel[];
}

/** Derives the events and fallbacks one ledger change owes. */
export function deriveOwedWork(change: LedgerChange): OwedWork {
  const item = change.newImage;
  if (!item) return { events: [], fallbacks: [] };
  if (change.table === 'customers') return { events: consentEvents(change.oldImage, item), fallbacks: [] };
  if (item.kind === 'attempt') {
    return { events: deliveryEvents(change.oldImage, item), fallbacks: owedFallback(change.oldImage, item) };
  }
  if (item.kind === 'inbound' && !change.oldImage) return { events: [inboundMessage(item)], fallbacks: [] };
  if (item.kind === 'message' && !change.oldImage && item.choice) {
    return { events: [learnedChoiceEvent(item)], fallbacks: [] };
  }
  return { events: [], fallbacks: [] };
}

/**
 * The `message.queued` event of a message the router routed by a learned choice: the channel, the
 * choice's propensity and why, so a subscriber can evaluate the policy offline. Other messages have
 * no such event (their `queued` is the router's own, not published, as before).
 */
function learnedChoiceEvent(item: Readonly<Record<string, unknown>>): DeliveryEvent {
  const choice = item.choice as RoutingChoice;
  const messageId = String(item.messageId);
  return {
    type: `message.${MessageStatus.QUEUED}`,
    eventId: `${messageId}#routed`,
    requestId: String(item.requestId),
    messageId,
    customerId: String(item.customerId),
    channel: choice.channel,
    status: MessageStatus.QUEUED,
    statusRank: statusRank(MessageStatus.QUEUED),
    at: String(item.createdAt),
    choice: {
      strategy: choice.strategy,
      propensity: choice.propensity,
      explored: choice.explored,
      explanation: choice.explanation,
    },
    metadata: { ...((item.metadata ?? {}) as Record<string, string>) },
  };
}

/** The stable id of a status change: an attempt reaches each status at most once. */
export function deliveryEventId(key: {
  messageId: string;
  attempt: number;
  channel: string;
  status: MessageStatus;
}): string {
  return `${key.messageId}#${key.attempt}#${key.channel}#${key.status}`;
}

/** The words recorded on the timeline for a fallback: "sms: failure receipt 30003". */
export function fallbackReasonText(channel: Channel, reason: Pick<FallbackReason, 'kind' | 'code'>): string {
  const kind = reason.kind === 'receipt_timeout' ? 'no delivery receipt in time' : 'failure receipt';
  const code = reason.code === reason.kind ? '' : ` ${reason.code}`;
  return `${channel}: ${kind}${code}`.slice(0, 1024);
}

function deliveryEvents(
  before: Readonly<Record<string, unknown>> | undefined,
  item: Readonly<Record<string, unknown>>,
): DeliveryEvent[] {
  const previous = historyOf(before);
  // History is only ever appended to (list_append), so what is new is what follows the old length.
  const added = historyOf(item).slice(previous.length);
  const messageId = String(item.messageId);
  const attempt = Number(item.attempt);
  const channel = item.channel as Channel;
  return added
    .filter((entry) => typeof entry.providerEvent === 'string')
    .map((entry) => {
      const provider = entry.provider ?? (item.provider as Provider | undefined);
      const providerMessageId = entry.providerMessageId ?? (item.providerMessageId as string | undefined);
      return {
        type: `message.${entry.status}`,
        eventId: deliveryEventId({ messageId, attempt, channel, status: entry.status }),
        requestId: String(item.requestId),
        messageId,
        customerId: String(item.customerId),
        channel,
        ...(provider ? { provider } : {}),
        ...(providerMessageId ? { providerMessageId } : {}),
        status: entry.status,
        statusRank: statusRank(entry.status),
        at: entry.at,
        ...(entry.error ? { error: { ...entry.error } } : {}),
        metadata: { ...((item.metadata ?? {}) as Record<string, string>) },
      };
    });
}

function owedFallback(
  before: Readonly<Record<string, unknown>> | undefined,
  item: Readonly<Record<string, unknown>>,
): FallbackRequest[] {
  const claim = item.fallbackClaim as FallbackClaim | undefined;
  if (!claim || before?.fallbackClaim) return [];
  const channel = item.channel as Channel;
  return [
    {
      kind: 'fallback',
      schemaVersion: 1,
      messageId: String(item.messageId),
      customerId: String(item.customerId),
      triedChannels: [...new Set([...(claim.triedChannels ?? []), channel])],
      reason: fallbackReasonText(channel, claim),
      // The claim's own time: every copy of this request is the same request.
      requestedAt: claim.at,
    },
  ];
}

function inboundMessage(item: Readonly<Record<string, unknown>>): InboundMessage {
  const provider = item.provider as Provider;
  const providerMessageId = String(item.providerMessageId);
  return {
    type: 'message.inbound',
    eventId: `inbound#${provider}#${providerMessageId}`,
    ...(typeof item.customerId === 'string' ? { customerId: item.customerId } : {}),
    channel: item.channel as Channel,
    from: String(item.from),
    text: String(item.text ?? ''),
    media: ((item.media ?? []) as InboundMessage['media']).map((media) => ({ ...media })),
    receivedAt: String(item.receivedAt),
    ...(typeof item.inReplyTo === 'string' ? { inReplyTo: item.inReplyTo } : {}),
    provider,
    providerMessageId,
  };
}

/** A consent history entry as the profile stores it. */
interface StoredConsentEntry {
  readonly category: string;
  readonly channel: Channel;
  readonly status: ConsentChangedEvent['status'];
  readonly at: string;
  readonly source: string;
  readonly reason?: string;
  readonly messageId?: string;
  readonly providerMessageId?: string;
  readonly metadata?: Record<string, string>;
}

const PROVIDER_SOURCES = new Set<string>(Object.values(ConsentSource));

function consentEvents(
  before: Readonly<Record<string, unknown>> | undefined,
  item: Readonly<Record<string, unknown>>,
): ConsentChangedEvent[] {
  // Set difference, not a length difference: the history is capped (oldest entries drop out) and
  // a replaced profile rewrites it.
  const seen = new Set(consentHistoryOf(before).map(entryKey));
  const added = consentHistoryOf(item).filter(
    (entry) => !seen.has(entryKey(entry)) && PROVIDER_SOURCES.has(entry.source),
  );
  const customerId = String(item.customerId ?? String(item.pk).replace(/^customer#/, ''));
  const grouped = new Map<string, { entry: StoredConsentEntry; categories: string[] }>();
  for (const entry of added) {
    const key = changeKey(customerId, entry);
    const group = grouped.get(key);
    if (group) group.categories.push(entry.category);
    else grouped.set(key, { entry, categories: [entry.category] });
  }
  return [...grouped].map(([key, { entry, categories }]) => ({
    type: CONSENT_CHANGED_EVENT_TYPE,
    eventId: key,
    customerId,
    channel: entry.channel,
    categories,
    status: entry.status,
    source: entry.source as ConsentSource,
    reason: (entry.reason || entry.source).slice(0, 256),
    at: entry.at,
    ...(entry.messageId ? { messageId: entry.messageId } : {}),
    ...(entry.providerMessageId ? { providerMessageId: entry.providerMessageId } : {}),
    metadata: { ...(entry.metadata ?? {}) },
  }));
}

function consentHistoryOf(item: Readonly<Record<string, unknown>> | undefined): StoredConsentEntry[] {
  return Array.isArray(item?.consentHistory) ? (item.consentHistory as StoredConsentEntry[]) : [];
}

function historyOf(item: Readonly<Record<string, unknown>> | undefined): AttemptHistoryEntry[] {
  return Array.isArray(item?.history) ? (item.history as AttemptHistoryEntry[]) : [];
}

function entryKey(entry: StoredConsentEntry): string {
  return [entry.category, entry.channel, entry.status, entry.at, entry.source, entry.reason ?? ''].join(
    '\u0000',
  );
}

/** One decision, whatever categories it covered: the event's stable id. */
function changeKey(customerId: string, entry: StoredConsentEntry): string {
  return `consent#${customerId}#${entry.channel}#${entry.status}#${entry.at}#${entry.source}`;
}
