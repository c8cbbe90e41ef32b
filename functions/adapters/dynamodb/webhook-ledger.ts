/**
 * The message ledger as the webhooks need it, on the same DynamoDB messages table as the router's
 * ledger (keys and items: messages-table.ts):
 *
 * - receipts move an attempt's status forward with the one status write (attempt-status-write.ts),
 *   conditioned on `statusRank`, so a late or repeated callback never moves it back, and record
 *   each change in the attempt's history;
 * - `fallbackClaim` on the attempt item is set once (conditional), so a failure receipt and a
 *   receipt timeout racing each other hand the message back to the router once; a failure receipt
 *   claims it in the same write as its status, and the ledger's stream sends the owed request;
 * - an inbound message is an `inbound#<provider>#<providerMessageId>` item (create-if-absent) in the
 *   customer's partition and on their `gsi1` timeline; an unknown sender's goes to an anonymous
 *   contact's partition, named after a hash of the address so the address is not in a key;
 * - a status callback reads its attempt by key (the ids ride in the callback URL or custom_args);
 * - inbound callback ids (`I-Twilio-Idempotency-Token`) are `webhook#<id>` items with a TTL past
 *   the providers' retry windows; status callbacks need none (their writes are rank-conditional).
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Channel, InboundMessage } from '../../contract';
import type { ContactAddress } from '../../domain/customers/erase-customer';
import type { FallbackClaim } from '../../domain/ledger-change-events';
import type {
  AdvanceResult,
  AttemptReference,
  AttemptStatusChange,
  FallbackReason,
  InboundAnnotations,
  LedgerAttempt,
  LedgerMessage,
  OutboundAttempt,
} from '../../domain/ledger-model';
import type { AddressKeyer, WebhookLedger } from '../../domain/ports';
import { legacyContactId } from './address-keys';
import { advanceAttemptStatus } from './attempt-status-write';
import { updateConditionally } from './conditional';
import { normaliseAddress } from './customers-table';
import { DynamoDbMessageLedger } from './message-ledger';
import {
  anonymousContactId,
  attemptContextOf,
  attemptKey,
  contactPartition,
  expiresAfter,
  messagesDocuments,
  retentionSeconds,
  TIMELINE_INDEX,
  timelinePartition,
  toAttempt,
  toInboundItem,
  webhookEventKey,
} from './messages-table';
import { sweepPartition } from './partition-sweep';

/** Days a handled callback id is remembered: past SendGrid's 72-hour and Twilio's retry windows. */
export const WEBHOOK_EVENT_RETENTION_DAYS = 7;
/** Pages of the timeline read to find the latest outbound message on a channel. */
const LATEST_OUTBOUND_PAGES = 4;
const LATEST_OUTBOUND_PAGE_SIZE = 25;

/** Options for {@link DynamoDbWebhookLedger}. */
export interface DynamoDbWebhookLedgerOptions {
  readonly client: DynamoDBClient;
  /** The messages table. */
  readonly tableName: string;
  /** Days before DynamoDB TTL removes an inbound message (default 400, as for messages). */
  readonly retentionDays?: number;
  readonly now?: () => Date;
  /** Names an unknown sender's contact (address-keys.ts, adapters/secrets/keyed-hash.ts). */
  readonly keyer: AddressKeyer;
}

/** {@link WebhookLedger} on the DynamoDB messages table. */
export class DynamoDbWebhookLedger implements WebhookLedger {
  readonly #documents: DynamoDBDocumentClient;
  readonly #messages: DynamoDbMessageLedger;
  readonly #table: string;
  readonly #retentionSeconds: number;
  readonly #now: () => Date;
  readonly #keyer: AddressKeyer;

  constructor(options: DynamoDbWebhookLedgerOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#messages = new DynamoDbMessageLedger(options);
    this.#table = options.tableName;
    this.#retentionSeconds = retentionSeconds(options.retentionDays);
    this.#now = options.now ?? (() => new Date());
    this.#keyer = options.keyer;
  }

  async findAttempt(reference: AttemptReference): Promise<OutboundAttempt | undefined> {
    // Eventually consistent (half a read unit): a stale status only means a conditional write
    // that changes nothing; the write itself is what keeps statuses moving forward.
    const output = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: attemptKey(reference),
      }),
    );
    const item = output.Item;
    if (item?.kind !== 'attempt') return undefined;
    const attempt = toAttempt(item);
    // The sender copies the message's context onto the attempt when it takes the lease
    // (DynamoDbAttemptLedger.leaseAttempt); an attempt leased before that was so reads its message.
    const context = attemptContextOf(item);
    if (context) {
      // The router adds every channel the message already tried (domain/routing/route-fallback.ts).
      return outboundAttempt(attempt, { ...context, triedChannels: [attempt.channel] });
    }
    const message = await this.#messages.getMessage(reference.customerId, reference.messageId);
    return message ? outboundAttempt(attempt, messageContext(message)) : undefined;
  }

  async advanceStatus(attempt: OutboundAttempt, change: AttemptStatusChange): Promise<AdvanceResult> {
    const provider = change.provider ?? attempt.provider;
    const providerMessageId = change.providerMessageId ?? attempt.providerMessageId;
    // The history entry is what the ledger's stream publishes (domain/ledger-change-events.ts), so
    // it carries everything the DeliveryEvent says; the attempt gets the message's context if it
    // was leased without it, for the same reason.
    return advanceAttemptStatus(this.#documents, this.#table, attempt, {
      entry: {
        status: change.status,
        at: change.at,
        channel: attempt.channel,
        reason: change.error ? `${change.providerEvent} ${change.error.code}` : change.providerEvent,
        providerEvent: change.providerEvent,
        ...(provider ? { provider } : {}),
        ...(providerMessageId ? { providerMessageId } : {}),
        ...(change.error ? { error: change.error } : {}),
      },
      providerEvent: change.providerEvent,
      context: attempt,
      ...(change.error ? { error: change.error } : {}),
      ...(change.fallback ? { fallbackClaim: fallbackClaim(attempt, change.fallback) } : {}),
    });
  }

  async claimFallback(attempt: OutboundAttempt, reason: FallbackReason): Promise<boolean> {
    return updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: attemptKey(attempt),
        // The claim is the owed fallback: the ledger's stream sends it (ledger-change-events.ts).
        UpdateExpression: 'SET fallbackClaim = :reason',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(fallbackClaim)',
        ExpressionAttributeValues: { ':reason': fallbackClaim(attempt, reason) },
      }),
    );
  }

  async recordInbound(message: InboundMessage, annotations: InboundAnnotations): Promise<boolean> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#table,
          Item: toInboundItem(
            message,
            annotations,
            expiresAfter(message.receivedAt, this.#retentionSeconds),
            message.customerId ?? (await anonymousContactId(this.#keyer, message.channel, message.from)),
          ),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Deletes the anonymous-contact partitions named after these addresses (erasure: inbound from
   * the addresses while no profile held them). Returns how many items went.
   */
  async eraseAnonymousContacts(addresses: readonly ContactAddress[]): Promise<number> {
    let erased = 0;
    for (const { channel, address } of addresses) {
      const ids = [await anonymousContactId(this.#keyer, channel, address)];
      // While migrating, the partition may still have its pre-keying name.
      if (this.#keyer.readsLegacy) ids.push(legacyContactId(channel, normaliseAddress(channel, address)));
      for (const id of ids) {
        erased += await sweepPartition(this.#documents, this.#table, contactPartition(id), () => []);
      }
    }
    return erased;
  }

  async latestOutboundMessageId(customerId: string, channel: Channel): Promise<string | undefined> {
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < LATEST_OUTBOUND_PAGES; page++) {
      const output = await this.#documents.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: TIMELINE_INDEX,
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: 'kind = :message AND contains(attemptedChannels, :channel)',
          ExpressionAttributeValues: {
            ':pk': timelinePartition(customerId),
            ':message': 'message',
            ':channel': channel,
          },
          ScanIndexForward: false,
          Limit: LATEST_OUTBOUND_PAGE_SIZE,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const latest = output.Items?.[0];
      if (latest) return String(latest.messageId);
      startKey = output.LastEvaluatedKey;
      if (!startKey) return undefined;
    }
    return undefined;
  }

  async hasSeenWebhookEvent(eventId: string): Promise<boolean> {
    const output = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: webhookEventKey(eventId),
        ProjectionExpression: 'expiresAt',
        ConsistentRead: true,
      }),
    );
    // TTL deletes lazily: an expired item still read is treated as gone.
    const expiresAt = Number(output.Item?.expiresAt ?? 0);
    return expiresAt > Math.floor(this.#now().getTime() / 1000);
  }

  async rememberWebhookEvent(eventId: string, at: string): Promise<void> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...webhookEventKey(eventId),
            kind: 'webhook-event',
            handledAt: at,
            expiresAt: expiresAfter(at, retentionSeconds(WEBHOOK_EVENT_RETENTION_DAYS)),
          },
          // The first copy to finish wins; a racing copy has nothing to add.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** What an attempt's webhook needs to know of its message. */
type MessageContext = Pick<
  OutboundAttempt,
  'requestId' | 'category' | 'fallbackAllowed' | 'metadata' | 'triedChannels'
>;

/** The context of a message as its ledger item holds it (for attempts leased without their own copy). */
function messageContext(message: LedgerMessage): MessageContext {
  return {
    requestId: message.requestId,
    category: message.category ?? message.request?.category ?? '',
    // The same rule the sender records on the lease: channels are left to fall back to.
    fallbackAllowed: message.fallbackChannels.length > 0,
    metadata: message.metadata,
    triedChannels: [...new Set(message.attempts.map((planned) => planned.channel))],
  };
}

/** The claim stored on the attempt: the reason, and the channels tried (for the owed request). */
function fallbackClaim(attempt: OutboundAttempt, reason: FallbackReason): FallbackClaim {
  return {
    kind: reason.kind,
    code: reason.code,
    at: reason.at,
    triedChannels: [...new Set([...attempt.triedChannels, attempt.channel])],
  };
}

function outboundAttempt(attempt: LedgerAttempt, context: MessageContext): OutboundAttempt {
  return {
    messageId: attempt.messageId,
    customerId: attempt.customerId,
    channel: attempt.channel,
    attempt: attempt.attempt,
    ...(attempt.provider ? { provider: attempt.provider } : {}),
    ...(attempt.providerMessageId ? { providerMessageId: attempt.providerMessageId } : {}),
    status: attempt.status,
    ...context,
    metadata: { ...context.metadata },
  };
}
