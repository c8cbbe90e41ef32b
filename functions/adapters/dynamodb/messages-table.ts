/**
 * The DynamoDB messages table (`pk` + `sk`, GSI `gsi1`, TTL `expiresAt`): its keys and how its
 * items map to the ledger's model. Every adapter of the table (message-ledger.ts, attempt-ledger.ts,
 * webhook-ledger.ts, touchpoint-store.ts) builds keys and reads items here, and nowhere else.
 *
 * Every item of a customer shares the partition `customer#<id>`, so erasure is one query away:
 *
 * - `message#<messageId>`: the message — request, route plan, router status and its history; on
 *   `gsi1` as `timeline#<customerId>` / `<createdAt>#<messageId>` for the time-ordered timeline.
 * - `message#<messageId>#attempt#<attempt>#<channel>`: owned by the channel sender, created by its
 *   first lease (until then the message's `attempts` list says the attempt is `queued`) — lease, `sent`
 *   with the provider's receipt, `failed`, then receipt statuses; on no index (each write 1 WRU):
 *   webhooks address it by key, from the ids the sender put in the provider's callback.
 * - `inbound#<provider>#<providerMessageId>`: a customer's inbound message (written by the webhook
 *   ledger), on `gsi1` in the same `timeline#<customerId>` as the messages.
 * - `touchpoint#<messageId>`: what the customer did on the web, in the app or a store (written by
 *   touchpoint-store.ts), on `gsi1` as `timeline#<customerId>` / `<occurredAt>#touchpoint#<messageId>`.
 *
 * Other partitions:
 *
 * - `contact#<anonymousContactId>`: an unknown sender's inbound messages, named after a keyed hash
 *   of the address (address-keys.ts) so the address is not in a key and the key cannot be reversed
 *   by hashing numbers; on `gsi1` as `timeline#<anonymousContactId>`.
 * - `anonymous#<anonymousId>` / `touchpoint#<messageId>`: an anonymous visitor's touchpoint, on no
 *   index (nothing lists an anonymous timeline yet, and each index costs a write);
 *   `anonymous#<anonymousId>` / `profile`: the anonymous profile, with `customerId` once stitched;
 *   `customer#<id>` / `anonymous#<anonymousId>`: the stitch's reference back (found on erasure).
 * - `webhook#<sha256 of the callback id>` / `webhook-event`: a handled provider callback id.
 * - `link#<token>` / `link`: a tracked link (link-store.ts): the attempt it credits and its URL,
 *   found by the token of `/c/{token}`; the attempt item keeps its tokens (`linkTokens`), which is
 *   how erasure finds it. Its first click is `click#<token>#<clickedAt>` in the customer's
 *   partition, on `gsi1` as `timeline#<customerId>` / `<clickedAt>#click#<token>`.
 * - `journey#<journeyId>#<key>`: a customer's run of a journey for one key (journey-run-store.ts),
 *   on no index; `journeystats#<journeyId>#<shard>` / `v<version>`: a journey's counters;
 *   `journeydoc#<journeyId>` / `v<version>`: every deployed version of a journey document.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_RETENTION_DAYS } from '../../config';
import type {
  Channel,
  DeliveryError,
  InboundMessage,
  MessageStatus,
  Provider,
  TouchpointChannel,
  TouchpointType,
} from '../../contract';
import type {
  AttemptContext,
  AttemptKey,
  InboundAnnotations,
  LedgerAttempt,
  LedgerMessage,
  NewMessage,
  StatusChange,
} from '../../domain/ledger-model';
import type { StoredLink } from '../../domain/links/link-ports';
import type { AddressKeyer, SendReceipt } from '../../domain/ports';
import { statusRank } from '../../domain/status-rank';
import type { ProfileRef, Touchpoint } from '../../domain/touchpoints/touchpoint';
import { contactIdOf } from './address-keys';
import { normaliseAddress } from './customers-table';

/** The index that lists a customer's messages, replies and touchpoints in time order. */
export const TIMELINE_INDEX = 'gsi1';
/** The sort key of an anonymous visitor's profile item. */
export const ANONYMOUS_PROFILE_SORT = 'profile';

const DAY_SECONDS = 24 * 60 * 60;

/** A document client for the messages table (class instances are not items here). */
export function messagesDocuments(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** How long items live before TTL removes them, in seconds (default: functions/config.ts). */
export function retentionSeconds(days: number = DEFAULT_RETENTION_DAYS): number {
  return days * DAY_SECONDS;
}

/** The TTL `expiresAt` (epoch seconds) for an item that lives `seconds` from an ISO time. */
export function expiresAfter(fromIso: string, seconds: number): number {
  return Math.floor(Date.parse(fromIso) / 1000) + seconds;
}

// --- keys ----------------------------------------------------------------------------------------

/** The partition of a customer's messages; records with no usable customer id share one. */
export function partitionOf(customerId: string): string {
  return customerId ? `customer#${customerId}` : 'customer#(unknown)';
}

/** The sort key of a message. */
export function messageSort(messageId: string): string {
  return `message#${messageId}`;
}

/** The sort key of an attempt. */
export function attemptSort(key: Pick<AttemptKey, 'messageId' | 'attempt' | 'channel'>): string {
  return `message#${key.messageId}#attempt#${key.attempt}#${key.channel}`;
}

/** The key of a message item. */
export function messageKey(customerId: string, messageId: string): { pk: string; sk: string } {
  return { pk: partitionOf(customerId), sk: messageSort(messageId) };
}

/** The key of an attempt item. */
export function attemptKey(key: AttemptKey): { pk: string; sk: string } {
  return { pk: partitionOf(key.customerId), sk: attemptSort(key) };
}

/** The `gsi1` partition of a customer's (or an anonymous contact's) timeline. */
export function timelinePartition(ownerId: string): string {
  return `timeline#${ownerId}`;
}

/** The partition of an anonymous contact (inbound from an address no profile holds). */
export function contactPartition(contactId: string): string {
  return `contact#${contactId}`;
}

/** The partition of an anonymous profile. */
export function anonymousPartition(anonymousId: string): string {
  return `anonymous#${anonymousId}`;
}

/** The sort key of a touchpoint. */
export function touchpointSort(messageId: string): string {
  return `touchpoint#${messageId}`;
}

/** The id an unknown sender's messages are kept under: a keyed hash of channel and normalised address. */
export function anonymousContactId(keyer: AddressKeyer, channel: Channel, address: string): Promise<string> {
  return contactIdOf(keyer, channel, normaliseAddress(channel, address));
}

/** The key of a remembered provider callback id (hashed: ids are the provider's, of any length). */
export function webhookEventKey(eventId: string): { pk: string; sk: string } {
  return { pk: `webhook#${createHash('sha256').update(eventId).digest('hex')}`, sk: 'webhook-event' };
}

/** The key of a tracked link's item. */
export function linkKey(token: string): { pk: string; sk: string } {
  return { pk: `link#${token}`, sk: 'link' };
}

/** The `kind` of a journey run item. */
export const JOURNEY_RUN_KIND = 'journey-run';

/** The sort-key prefix of a customer's runs (of one journey, when `journeyId` is given). */
export function journeyRunPrefix(journeyId?: string): string {
  return journeyId === undefined ? 'journey#' : `journey#${journeyId}#`;
}

/** The key of a run item: customer × journey × business key. */
export function journeyRunKey(
  customerId: string,
  journeyId: string,
  key: string,
): { pk: string; sk: string } {
  return { pk: partitionOf(customerId), sk: `${journeyRunPrefix(journeyId)}${key}` };
}

/** The partition of one shard of a journey's counters: every version's item of that shard. */
export function journeyStatsPartition(journeyId: string, shard: number): string {
  return `journeystats#${journeyId}#${shard}`;
}

/** The key of one shard of a journey version's counters. */
export function journeyStatsKey(
  journeyId: string,
  shard: number,
  version: number,
): { pk: string; sk: string } {
  return { pk: journeyStatsPartition(journeyId, shard), sk: `v${version}` };
}

/** The key of a stored journey document version. */
export function journeyDocumentKey(journeyId: string, version: number): { pk: string; sk: string } {
  return { pk: `journeydoc#${journeyId}`, sk: `v${version}` };
}

// --- items ---------------------------------------------------------------------------------------

/** A new message as its item (with its first history entry and its timeline keys). */
export function toMessageItem(message: NewMessage, expiresAt: number): Record<string, unknown> {
  const change: StatusChange = {
    status: message.status,
    at: message.at,
    ...(message.reasons.length > 0 ? { reason: message.reasons.join('; ') } : {}),
  };
  const { at, ...fields } = message;
  return {
    ...messageKey(message.customerId, message.messageId),
    kind: 'message',
    ...fields,
    createdAt: at,
    statusRank: statusRank(message.status),
    history: [change],
    attemptedChannels: message.attempts.map((attempt) => attempt.channel),
    expiresAt,
    ...(message.customerId
      ? { gsi1pk: timelinePartition(message.customerId), gsi1sk: `${at}#${message.messageId}` }
      : {}),
  };
}

/** A message item as a ledger message. */
export function toMessage(item: Record<string, unknown>): LedgerMessage {
  return {
    messageId: String(item.messageId),
    customerId: String(item.customerId ?? ''),
    requestId: String(item.requestId ?? ''),
    ...(typeof item.category === 'string' ? { category: item.category } : {}),
    createdAt: String(item.createdAt),
    status: item.status as MessageStatus,
    history: (item.history ?? []) as StatusChange[],
    ...(item.request ? { request: item.request as LedgerMessage['request'] } : {}),
    ...(typeof item.rawBody === 'string' ? { rawBody: item.rawBody } : {}),
    reasons: (item.reasons ?? []) as string[],
    ...(typeof item.deliverAt === 'string' ? { deliverAt: item.deliverAt } : {}),
    skipped: (item.skipped ?? {}) as LedgerMessage['skipped'],
    fallbackChannels: (item.fallbackChannels ?? []) as Channel[],
    attempts: (item.attempts ?? []) as LedgerMessage['attempts'],
    ...(typeof item.sourceId === 'string' && item.sourceId ? { sourceId: item.sourceId } : {}),
    metadata: (item.metadata ?? {}) as Record<string, string>,
    ...(item.choice ? { choice: item.choice as LedgerMessage['choice'] } : {}),
  };
}

function toAttemptKey(item: Record<string, unknown>): AttemptKey {
  return {
    customerId: String(item.customerId),
    messageId: String(item.messageId),
    channel: item.channel as Channel,
    attempt: Number(item.attempt),
  };
}

/** An attempt item as a ledger attempt. */
export function toAttempt(item: Record<string, unknown>): LedgerAttempt {
  return {
    ...toAttemptKey(item),
    status: item.status as MessageStatus,
    history: (item.history ?? []) as StatusChange[],
    queuedAt: String(item.queuedAt ?? ''),
    ...(item.provider ? { provider: item.provider as Provider } : {}),
    ...(item.providerMessageId ? { providerMessageId: String(item.providerMessageId) } : {}),
    ...(item.details ? { details: item.details as SendReceipt['details'] } : {}),
    ...(item.error ? { error: item.error as DeliveryError } : {}),
    ...(Array.isArray(item.linkTokens) ? { linkTokens: item.linkTokens as string[] } : {}),
  };
}

/**
 * The message context the sender copied onto an attempt item when it took the lease, or undefined
 * for an attempt leased without it (its message holds the context).
 */
export function attemptContextOf(item: Record<string, unknown>): AttemptContext | undefined {
  if (typeof item.requestId !== 'string') return undefined;
  return {
    requestId: item.requestId,
    category: typeof item.category === 'string' ? item.category : '',
    fallbackAllowed: item.fallbackAllowed === true,
    metadata: (item.metadata ?? {}) as Record<string, string>,
    ...(typeof item.template === 'string' ? { template: item.template } : {}),
  };
}

/**
 * An inbound message as its item, in its owner's partition and on their timeline; `contactId`
 * ({@link anonymousContactId}) owns it when the message names no customer.
 */
export function toInboundItem(
  message: InboundMessage,
  annotations: InboundAnnotations,
  expiresAt: number,
  contactId: string,
): Record<string, unknown> {
  const owner = message.customerId ?? contactId;
  return {
    pk: message.customerId ? partitionOf(message.customerId) : contactPartition(owner),
    sk: `inbound#${message.provider}#${message.providerMessageId}`,
    kind: 'inbound',
    ...message,
    ...annotations,
    ...(message.customerId ? {} : { contactId: owner }),
    gsi1pk: timelinePartition(owner),
    gsi1sk: `${message.receivedAt}#inbound#${message.providerMessageId}`,
    expiresAt,
  };
}

/** A touchpoint as its item: in the customer's partition and timeline, or the anonymous profile's. */
export function toTouchpointItem(profile: ProfileRef, touchpoint: Touchpoint): Record<string, unknown> {
  const onCustomer = profile.kind === 'customer';
  return {
    pk: onCustomer ? partitionOf(profile.customerId) : anonymousPartition(profile.anonymousId),
    sk: touchpointSort(touchpoint.messageId),
    kind: 'touchpoint',
    ...touchpoint,
    ...(onCustomer
      ? {
          gsi1pk: timelinePartition(profile.customerId),
          gsi1sk: `${touchpoint.occurredAt}#touchpoint#${touchpoint.messageId}`,
        }
      : {}),
  };
}

/** A touchpoint item as a touchpoint. */
export function fromTouchpointItem(item: Record<string, unknown>): Touchpoint {
  const text = (key: string) => (typeof item[key] === 'string' ? { [key]: item[key] as string } : {});
  const object = (key: string) =>
    typeof item[key] === 'object' && item[key] !== null
      ? { [key]: item[key] as Record<string, unknown> }
      : {};
  return {
    messageId: String(item.messageId),
    type: item.type as TouchpointType,
    occurredAt: String(item.occurredAt),
    receivedAt: String(item.receivedAt),
    ...text('name'),
    ...text('customerId'),
    ...text('anonymousId'),
    ...(typeof item.channel === 'string' ? { channel: item.channel as TouchpointChannel } : {}),
    ...object('properties'),
    ...object('traits'),
    ...object('context'),
    ...(isTouchpointSource(item.source) ? { source: item.source } : {}),
  };
}

function isTouchpointSource(value: unknown): value is Touchpoint['source'] & object {
  const source = value as { sourceId?: unknown; kind?: unknown } | undefined;
  return typeof source?.sourceId === 'string' && (source.kind === 'client' || source.kind === 'server');
}

/** A link item as a stored link, or undefined when the item is not a whole link. */
export function fromLinkItem(item: Record<string, unknown> | undefined): StoredLink | undefined {
  if (item?.kind !== 'link' || typeof item.url !== 'string' || typeof item.token !== 'string')
    return undefined;
  return { ...toAttemptKey(item), token: item.token, url: item.url };
}

/** A link's click item, on the customer's timeline (SPEC: kind `click`). */
export function toClickItem(link: StoredLink, clickedAt: string, expiresAt: number): Record<string, unknown> {
  return {
    pk: partitionOf(link.customerId),
    sk: `click#${link.token}#${clickedAt}`,
    kind: 'click',
    customerId: link.customerId,
    token: link.token,
    messageId: link.messageId,
    attempt: link.attempt,
    channel: link.channel,
    url: link.url,
    clickedAt,
    gsi1pk: timelinePartition(link.customerId),
    gsi1sk: `${clickedAt}#click#${link.token}`,
    expiresAt,
  };
}

// --- attribution (adapters/dynamodb/attribution-*.ts; docs/attribution.md) ----------------------

/** The sort key of a conversion on the customer's timeline (one per converting touchpoint). */
export function conversionSort(conversionId: string): string {
  return `conversion#${conversionId}`;
}

/** The sort key of a message's claim by the one conversion that credits it. */
export function conversionCreditSort(messageId: string): string {
  return `conversion-credit#${messageId}`;
}

/**
 * The key of one shard of an attribution aggregate: partition per dimension × shard, sorted by day
 * then group, so a report reads a range of days with one Query per shard. No customer id in it.
 */
export function attributionAggregateKey(
  dimension: string,
  shard: number,
  day: string,
  group: string,
): { pk: string; sk: string } {
  return { pk: attributionAggregatePartition(dimension, shard), sk: `${day}#${group}` };
}

/** The partition of one shard of a dimension's aggregates. */
export function attributionAggregatePartition(dimension: string, shard: number): string {
  return `attribution#${dimension}#${shard}`;
}
