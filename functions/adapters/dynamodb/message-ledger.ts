/**
 * The message ledger on the DynamoDB messages table (`pk` + `sk`, GSI `gsi1`, TTL `expiresAt`).
 * Every item of a customer shares the partition `customer#<id>`, so erasure is one query away:
 *
 * - `message#<messageId>`: the message — request, route plan, router status and its history; on
 *   `gsi1` as `timeline#<customerId>` / `<createdAt>#<messageId>` for the time-ordered timeline.
 * - `message#<messageId>#attempt#<attempt>#<channel>`: owned by the channel sender, created by its
 *   first lease (until then the message's `attempts` list says the attempt is `queued`) — lease, `sent`
 *   with the provider's receipt, `failed`, then receipt statuses; on no index (each write 1 WRU):
 *   webhooks address it by key, from the ids the sender put in the provider's callback.
 *
 * - `inbound#<provider>#<providerMessageId>`: a customer's inbound message (written by the webhook
 *   ledger), on `gsi1` in the same `timeline#<customerId>` as the messages.
 * - `touchpoint#<messageId>`: what the customer did on the web, in the app or a store (written by
 *   touchpoint-store.ts), on `gsi1` in the same `timeline#<customerId>`.
 *
 * Statuses only move forward: each write is conditioned on the stored `statusRank`.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DEFAULT_RETENTION_DAYS } from '../../config';
import type { Channel, DeliveryError, MessageStatus, Provider } from '../../contract';
import {
  ERASED_KIND,
  ERASURE_TOMBSTONE_DAYS,
  type ErasedTimeline,
} from '../../domain/customers/erase-customer';
import { InvalidCursorError, RetryLaterError } from '../../domain/errors';
import type {
  AttemptContext,
  AttemptKey,
  LedgerAttempt,
  LedgerMessage,
  NewMessage,
  StatusChange,
  TimelineInbound,
  TimelinePage,
} from '../../domain/ledger-model';
import type {
  AttemptLedger,
  CreateMessageResult,
  LeaseResult,
  MessageLedger,
  SendReceipt,
} from '../../domain/ports';
import { statusRank, summariseStatus } from '../../domain/status-rank';
import { updateConditionally } from './conditional';
import { fromTouchpointItem } from './touchpoint-store';

/** Default retention of messages on the timeline (its one home is functions/config.ts). */
export { DEFAULT_RETENTION_DAYS };

/** Options for {@link DynamoDbMessageLedger}. */
export interface DynamoDbMessageLedgerOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Days before DynamoDB TTL removes a message (default 400, env `SWITCHBOARD_RETENTION_DAYS`). */
  readonly retentionDays?: number;
}

const GSI = 'gsi1';
const BATCH_WRITE_LIMIT = 25;
const BATCH_GET_LIMIT = 100;
const MAX_BATCH_ROUNDS = 6;
const DAY_SECONDS = 24 * 60 * 60;

/** {@link MessageLedger} and {@link AttemptLedger} on DynamoDB. */
export class DynamoDbMessageLedger implements MessageLedger, AttemptLedger {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;

  constructor(options: DynamoDbMessageLedgerOptions) {
    this.#documents = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    this.#table = options.tableName;
    this.#retentionSeconds = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_SECONDS;
  }

  // --- router and API ------------------------------------------------------------------------

  async createMessage(message: NewMessage): Promise<CreateMessageResult> {
    const change: StatusChange = {
      status: message.status,
      at: message.at,
      ...(message.reasons.length > 0 ? { reason: message.reasons.join('; ') } : {}),
    };
    const { at, ...fields } = message;
    const item = {
      pk: partitionOf(message.customerId),
      sk: messageSort(message.messageId),
      kind: 'message',
      ...fields,
      createdAt: at,
      statusRank: statusRank(message.status),
      history: [change],
      attemptedChannels: message.attempts.map((attempt) => attempt.channel),
      expiresAt: this.#expiry(at),
      ...(message.customerId
        ? { gsi1pk: `timeline#${message.customerId}`, gsi1sk: `${at}#${message.messageId}` }
        : {}),
    };
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.getMessage(message.customerId, message.messageId);
      if (!existing) throw error;
      return { created: false, existing };
    }
  }

  async getMessage(customerId: string, messageId: string): Promise<LedgerMessage | undefined> {
    const output = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: partitionOf(customerId), sk: messageSort(messageId) },
        ConsistentRead: true,
      }),
    );
    return output.Item ? toMessage(output.Item) : undefined;
  }

  async startScheduled(
    customerId: string,
    messageId: string,
    plan: Pick<LedgerMessage, 'attempts' | 'fallbackChannels' | 'skipped' | 'sourceId'>,
    at: string,
  ): Promise<boolean> {
    return updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: partitionOf(customerId), sk: messageSort(messageId) },
        UpdateExpression:
          'SET #status = :queued, statusRank = :rank, attempts = :attempts, attemptedChannels = :channels, ' +
          'fallbackChannels = :fallback, skipped = :skipped, sourceId = :source, history = list_append(history, :change)',
        ConditionExpression: '#status = :scheduled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':queued': 'queued',
          ':scheduled': 'scheduled',
          ':rank': statusRank('queued'),
          ':attempts': plan.attempts,
          ':channels': plan.attempts.map((attempt) => attempt.channel),
          ':fallback': plan.fallbackChannels,
          ':skipped': plan.skipped,
          ':change': [{ status: 'queued', at }],
          ':source': plan.sourceId ?? '',
        },
      }),
    );
  }

  async addFallbackAttempts(
    customerId: string,
    messageId: string,
    plan: Pick<LedgerMessage, 'attempts' | 'fallbackChannels' | 'skipped' | 'sourceId'>,
    change: StatusChange,
  ): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':source': plan.sourceId ?? '',
      ':attempts': plan.attempts,
      ':channels': plan.attempts.map((attempt) => attempt.channel),
      ':fallback': plan.fallbackChannels,
      ':skipped': plan.skipped,
      ':change': [change],
      ':terminal': statusRank('rejected'),
    };
    // The guard that makes fallback never repeat a channel, even if two fallbacks race.
    const untried = plan.attempts.map((attempt, index) => {
      values[`:c${index}`] = attempt.channel;
      return `NOT contains(attemptedChannels, :c${index})`;
    });
    return updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: partitionOf(customerId), sk: messageSort(messageId) },
        UpdateExpression:
          'SET attempts = list_append(attempts, :attempts), attemptedChannels = list_append(attemptedChannels, :channels), ' +
          'fallbackChannels = :fallback, skipped = :skipped, sourceId = :source, history = list_append(history, :change)',
        ConditionExpression: ['attribute_exists(pk)', 'statusRank < :terminal', ...untried].join(' AND '),
        ExpressionAttributeValues: values,
      }),
    );
  }

  async recordMessageStatus(customerId: string, messageId: string, change: StatusChange): Promise<boolean> {
    return updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: partitionOf(customerId), sk: messageSort(messageId) },
        UpdateExpression:
          'SET #status = :status, statusRank = :rank, history = list_append(history, :change)' +
          (change.reason ? ', reasons = list_append(reasons, :reasons)' : ''),
        ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': change.status,
          ':rank': statusRank(change.status),
          ':change': [change],
          ...(change.reason ? { ':reasons': [change.reason] } : {}),
        },
      }),
    );
  }

  async timeline(
    customerId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<TimelinePage> {
    const output = await this.#documents.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: GSI,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `timeline#${customerId}` },
        ScanIndexForward: false,
        Limit: Math.min(Math.max(options.limit ?? 25, 1), 100),
        ...(options.cursor ? { ExclusiveStartKey: decodeCursor(options.cursor, customerId) } : {}),
      }),
    );
    const messages = (output.Items ?? []).filter((item) => item.kind === 'message').map(toMessage);
    const inbound = (output.Items ?? []).filter((item) => item.kind === 'inbound').map(toTimelineInbound);
    const touchpoints = (output.Items ?? [])
      .filter((item) => item.kind === 'touchpoint')
      .map(fromTouchpointItem);
    const keys = messages.flatMap((message) =>
      message.attempts.map((attempt) => ({
        pk: partitionOf(customerId),
        sk: attemptSort({ messageId: message.messageId, ...attempt }),
      })),
    );
    const attempts = new Map<string, LedgerAttempt>();
    for (const item of await this.#batchGet(keys)) {
      const attempt = toAttempt(item);
      attempts.set(attemptId(attempt), attempt);
    }
    return {
      items: messages.map((message) => {
        // An attempt the sender has not picked up yet is `queued` since the router planned it.
        const queuedAt = [...message.history].reverse().find((change) => change.status === 'queued')?.at;
        const records = message.attempts.map(
          (attempt) =>
            attempts.get(attemptId({ messageId: message.messageId, ...attempt })) ?? {
              customerId,
              messageId: message.messageId,
              ...attempt,
              status: 'queued' as const,
              queuedAt: queuedAt ?? message.createdAt,
              history: [{ status: 'queued' as const, at: queuedAt ?? message.createdAt }],
            },
        );
        return {
          ...message,
          attemptRecords: records,
          summaryStatus: summariseStatus(
            message.status,
            records.map((record) => record.status),
          ),
        };
      }),
      inbound,
      touchpoints,
      ...(output.LastEvaluatedKey ? { nextCursor: encodeCursor(output.LastEvaluatedKey) } : {}),
    };
  }

  async eraseTimeline(customerId: string, at: Date): Promise<ErasedTimeline> {
    const expiresAt = Math.floor(at.getTime() / 1000) + ERASURE_TOMBSTONE_DAYS * DAY_SECONDS;
    const scheduleKeys: string[] = [];
    const items = await this.#sweep(
      partitionOf(customerId),
      (item) => {
        if (item.kind !== 'message') return [];
        const messageId = String(item.messageId);
        const attempts = (item.attempts ?? []) as LedgerMessage['attempts'];
        // The keys the router names its schedules by (message-router.ts): a scheduled message, and
        // the fallback a queued message may have scheduled for its next attempt number.
        if (item.status === 'scheduled') scheduleKeys.push(messageId);
        if (item.status === 'queued') {
          scheduleKeys.push(`${messageId}-${Math.max(0, ...attempts.map((a) => a.attempt)) + 1}`);
        }
        return attempts.map((attempt) => attemptSort({ messageId, ...attempt }));
      },
      expiresAt,
    );
    return { items, scheduleKeys };
  }

  /** Deletes a whole partition (an anonymous contact's, on erasure). Returns how many items went. */
  async erasePartition(pk: string): Promise<number> {
    return this.#sweep(pk, () => []);
  }

  /**
   * Deletes every item of a partition, except erasure tombstones; `tombstones(item)` names sort keys
   * to replace with a tombstone instead (an attempt item, or the key of an attempt not leased yet).
   */
  async #sweep(
    pk: string,
    tombstones: (item: Record<string, unknown>) => string[],
    expiresAt = 0,
  ): Promise<number> {
    let erased = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#documents.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'pk, sk, kind, messageId, attempts, #status',
          ExpressionAttributeNames: { '#status': 'status' },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const writes = new Map<string, Record<string, unknown>>();
      for (const item of page.Items ?? []) {
        if (item.kind === ERASED_KIND) continue;
        erased++;
        // An attempt already named for a tombstone by its message (sorted before it) keeps the Put.
        if (!writes.has(String(item.sk))) {
          writes.set(String(item.sk), { DeleteRequest: { Key: { pk, sk: item.sk } } });
        }
        for (const sk of tombstones(item)) {
          writes.set(sk, { PutRequest: { Item: { pk, sk, kind: ERASED_KIND, expiresAt } } });
        }
      }
      await this.#batchWrite([...writes.values()]);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return erased;
  }

  async #batchWrite(requests: readonly Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
      let pending = requests.slice(start, start + BATCH_WRITE_LIMIT);
      for (let round = 0; pending.length > 0; round++) {
        if (round >= MAX_BATCH_ROUNDS) {
          throw new RetryLaterError('DynamoDB left writes unprocessed', { code: 'UnprocessedItems' });
        }
        if (round > 0) await sleep(25 * 2 ** round);
        const output = await this.#documents.send(
          new BatchWriteCommand({ RequestItems: { [this.#table]: [...pending] } }),
        );
        pending = (output.UnprocessedItems?.[this.#table] ?? []) as Record<string, unknown>[];
      }
    }
  }

  // --- channel senders and webhooks ------------------------------------------------------------

  async leaseAttempt(
    key: AttemptKey,
    options: { owner: string; leaseSeconds: number; now: Date; queuedAt: string; context?: AttemptContext },
  ): Promise<LeaseResult> {
    const now = options.now.getTime();
    const context = options.context;
    try {
      const output = await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: partitionOf(key.customerId), sk: attemptSort(key) },
          UpdateExpression:
            'SET kind = :kind, customerId = :customerId, messageId = :messageId, channel = :channel, ' +
            'attempt = :attempt, #status = if_not_exists(#status, :queued), ' +
            'statusRank = if_not_exists(statusRank, :queuedRank), queuedAt = if_not_exists(queuedAt, :queuedAt), ' +
            'history = if_not_exists(history, :history), expiresAt = if_not_exists(expiresAt, :expiresAt), ' +
            'leaseOwner = :owner, leaseUntil = :until' +
            (context
              ? ', requestId = :requestId, #category = :category, #metadata = :metadata, fallbackAllowed = :fallback'
              : ''),
          ConditionExpression:
            'attribute_not_exists(pk) OR (statusRank = :queuedRank AND ' +
            '(attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner))',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(context ? { '#category': 'category', '#metadata': 'metadata' } : {}),
          },
          ExpressionAttributeValues: {
            ...(context
              ? {
                  ':requestId': context.requestId,
                  ':category': context.category,
                  ':metadata': context.metadata,
                  ':fallback': context.fallbackAllowed,
                }
              : {}),
            ':kind': 'attempt',
            ':customerId': key.customerId,
            ':messageId': key.messageId,
            ':channel': key.channel,
            ':attempt': key.attempt,
            ':queued': 'queued',
            ':queuedRank': statusRank('queued'),
            ':queuedAt': options.queuedAt,
            ':history': [{ status: 'queued', at: options.queuedAt }],
            ':expiresAt': this.#expiry(options.queuedAt),
            ':owner': options.owner,
            ':until': now + options.leaseSeconds * 1000,
            ':now': now,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'leased', attempt: toAttempt(output.Attributes ?? {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const item = await this.#getAttemptItem(key);
      // An attempt tombstone: the customer was erased while this copy was queued.
      if (item?.kind === ERASED_KIND) return { outcome: 'erased' };
      const current = item ? toAttempt(item) : undefined;
      if (current && current.status !== 'queued') return { outcome: 'already-done', attempt: current };
      throw new RetryLaterError('Another invocation holds the lease on this attempt', {
        code: 'AttemptLeased',
        cause: error,
      });
    }
  }

  async recordSent(key: AttemptKey, receipt: SendReceipt, at: Date): Promise<boolean> {
    const when = at.toISOString();
    return updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: partitionOf(key.customerId), sk: attemptSort(key) },
        UpdateExpression:
          'SET #status = :sent, statusRank = :rank, provider = :provider, providerMessageId = :pmid, ' +
          'sentAt = :at, history = list_append(history, :change)' +
          (receipt.details ? ', details = :details' : '') +
          ' REMOVE leaseOwner, leaseUntil',
        ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':rank': statusRank('sent'),
          ':provider': receipt.provider,
          ':pmid': receipt.providerMessageId,
          ':at': when,
          ':change': [{ status: 'sent', at: when, channel: key.channel }],
          ...(receipt.details ? { ':details': receipt.details } : {}),
        },
      }),
    );
  }

  async recordFailed(
    key: AttemptKey,
    error: DeliveryError,
    at: Date,
    details?: SendReceipt['details'],
  ): Promise<boolean> {
    return this.#recordAttemptStatus(key, 'failed', at, error, true, details);
  }

  async recordReceiptStatus(
    key: AttemptKey,
    change: { status: MessageStatus; at: Date; error?: DeliveryError },
  ): Promise<boolean> {
    return this.#recordAttemptStatus(key, change.status, change.at, change.error, false);
  }

  // --- helpers ---------------------------------------------------------------------------------

  async #recordAttemptStatus(
    key: AttemptKey,
    status: MessageStatus,
    at: Date,
    error: DeliveryError | undefined,
    releaseLease: boolean,
    details?: SendReceipt['details'],
  ): Promise<boolean> {
    const when = at.toISOString();
    return updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: partitionOf(key.customerId), sk: attemptSort(key) },
        UpdateExpression:
          'SET #status = :status, statusRank = :rank, history = list_append(history, :change)' +
          (error ? ', #error = :error' : '') +
          (details ? ', details = :details' : '') +
          (releaseLease ? ' REMOVE leaseOwner, leaseUntil' : ''),
        ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank',
        ExpressionAttributeNames: { '#status': 'status', ...(error ? { '#error': 'error' } : {}) },
        ExpressionAttributeValues: {
          ':status': status,
          ':rank': statusRank(status),
          ':change': [{ status, at: when, channel: key.channel, ...(error ? { reason: error.code } : {}) }],
          ...(error ? { ':error': error } : {}),
          ...(details ? { ':details': details } : {}),
        },
      }),
    );
  }

  async #getAttemptItem(key: AttemptKey): Promise<Record<string, unknown> | undefined> {
    const output = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: partitionOf(key.customerId), sk: attemptSort(key) },
        ConsistentRead: true,
      }),
    );
    return output.Item;
  }

  async #batchGet(keys: readonly Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      let remaining = keys.slice(start, start + BATCH_GET_LIMIT) as Record<string, unknown>[];
      for (let round = 0; remaining.length > 0; round++) {
        if (round >= MAX_BATCH_ROUNDS) {
          throw new RetryLaterError('DynamoDB left keys unprocessed', { code: 'UnprocessedKeys' });
        }
        if (round > 0) await sleep(25 * 2 ** round);
        const output = await this.#documents.send(
          new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: remaining, ConsistentRead: true } } }),
        );
        items.push(...(output.Responses?.[this.#table] ?? []));
        remaining = output.UnprocessedKeys?.[this.#table]?.Keys ?? [];
      }
    }
    return items;
  }

  #expiry(fromIso: string): number {
    return Math.floor(Date.parse(fromIso) / 1000) + this.#retentionSeconds;
  }
}

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

function attemptId(key: Pick<AttemptKey, 'messageId' | 'attempt' | 'channel'>): string {
  return `${key.messageId}#${key.attempt}#${key.channel}`;
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

/** An inbound item as the timeline shows it. */
export function toTimelineInbound(item: Record<string, unknown>): TimelineInbound {
  return {
    type: 'message.inbound',
    ...(typeof item.customerId === 'string' && item.customerId ? { customerId: item.customerId } : {}),
    channel: item.channel as Channel,
    from: String(item.from ?? ''),
    text: String(item.text ?? ''),
    media: (item.media ?? []) as TimelineInbound['media'],
    receivedAt: String(item.receivedAt ?? ''),
    ...(typeof item.inReplyTo === 'string' ? { inReplyTo: item.inReplyTo } : {}),
    provider: item.provider as Provider,
    providerMessageId: String(item.providerMessageId ?? ''),
    ...(typeof item.consentIntent === 'string' ? { consentIntent: item.consentIntent } : {}),
    ...(typeof item.consentMatched === 'string' ? { consentMatched: item.consentMatched } : {}),
    ...(typeof item.subject === 'string' ? { subject: item.subject } : {}),
    ...(item.senderVerified === false ? { senderVerified: false as const } : {}),
    ...(typeof item.senderUnverifiedReason === 'string'
      ? { senderUnverifiedReason: item.senderUnverifiedReason }
      : {}),
  };
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The start key a cursor stands for, only if it is the last key of a page of this customer's
 * timeline: any other key would make DynamoDB fail (a 500 for the caller's mistake) or page through
 * a partition the caller did not ask for.
 */
function decodeCursor(cursor: string, customerId: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (isTimelineKey(value) && value.gsi1pk === `timeline#${customerId}`) return value;
  throw new InvalidCursorError('is not a cursor this API returned for this customer');
}

const TIMELINE_KEY_FIELDS = ['gsi1pk', 'gsi1sk', 'pk', 'sk'] as const;

function isTimelineKey(value: unknown): value is Record<(typeof TIMELINE_KEY_FIELDS)[number], string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const fields = Object.keys(value).sort();
  return (
    fields.join() === TIMELINE_KEY_FIELDS.join() &&
    Object.values(value).every((field) => typeof field === 'string' && field !== '')
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
