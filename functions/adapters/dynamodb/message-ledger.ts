/**
 * The message ledger on the DynamoDB messages table (keys and items: messages-table.ts): the
 * router's and the API's side — the message item with its request, route plan, router status and
 * history, and erasing a customer's partition. The attempts' own writes are the attempt ledger's
 * (attempt-ledger.ts); the timeline is read by timeline-reader.ts.
 *
 * Statuses only move forward: each write is conditioned on the stored `statusRank`.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_RETENTION_DAYS } from '../../config';
import { ERASURE_TOMBSTONE_DAYS, type ErasedTimeline } from '../../domain/customers/erase-customer';
import type { LedgerMessage, NewMessage, StatusChange } from '../../domain/ledger-model';
import type { CreateMessageResult, MessageLedger } from '../../domain/ports';
import { cappedScheduleKey } from '../../domain/routing/frequency-caps';
import { statusRank } from '../../domain/status-rank';
import { updateConditionally } from './conditional';
import {
  attemptSort,
  expiresAfter,
  linkKey,
  messageKey,
  messagesDocuments,
  partitionOf,
  retentionSeconds,
  toMessage,
  toMessageItem,
} from './messages-table';
import { sweepPartition } from './partition-sweep';

/** Default retention of messages on the timeline (its one home is functions/config.ts). */
export { DEFAULT_RETENTION_DAYS };

/** Options for {@link DynamoDbMessageLedger}. */
export interface DynamoDbMessageLedgerOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Days before DynamoDB TTL removes a message (default 400, env `SWITCHBOARD_RETENTION_DAYS`). */
  readonly retentionDays?: number;
}

const DAY_SECONDS = 24 * 60 * 60;

/** {@link MessageLedger} on DynamoDB. */
export class DynamoDbMessageLedger implements MessageLedger {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;

  constructor(options: DynamoDbMessageLedgerOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
    this.#retentionSeconds = retentionSeconds(options.retentionDays);
  }

  async createMessage(message: NewMessage): Promise<CreateMessageResult> {
    const item = toMessageItem(message, expiresAfter(message.at, this.#retentionSeconds));
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
        Key: messageKey(customerId, messageId),
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
        Key: messageKey(customerId, messageId),
        UpdateExpression:
          'SET #status = :queued, statusRank = :rank, attempts = :attempts, attemptedChannels = :channels, ' +
          'fallbackChannels = :fallback, skipped = :skipped, sourceId = :source, history = list_append(history, :change)',
        ConditionExpression: '#status IN (:scheduled, :capped)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ...planValues(plan),
          ':queued': 'queued',
          ':scheduled': 'scheduled',
          ':capped': 'capped',
          ':rank': statusRank('queued'),
          ':change': [{ status: 'queued', at }],
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
      ...planValues(plan),
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
        Key: messageKey(customerId, messageId),
        UpdateExpression:
          'SET attempts = list_append(attempts, :attempts), attemptedChannels = list_append(attemptedChannels, :channels), ' +
          'fallbackChannels = :fallback, skipped = :skipped, sourceId = :source, history = list_append(history, :change)',
        ConditionExpression: ['attribute_exists(pk)', 'statusRank < :terminal', ...untried].join(' AND '),
        ExpressionAttributeValues: values,
      }),
    );
  }

  async recordCapped(
    customerId: string,
    messageId: string,
    change: { readonly at: string; readonly reason: string; readonly until?: string },
  ): Promise<boolean> {
    return updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: messageKey(customerId, messageId),
        UpdateExpression:
          'SET #status = :capped, statusRank = :rank, history = list_append(history, :change), ' +
          `reasons = list_append(reasons, :reasons)${change.until ? ', deliverAt = :until' : ' REMOVE deliverAt'}`,
        ConditionExpression: '#status IN (:scheduled, :capped)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':capped': 'capped',
          ':scheduled': 'scheduled',
          ':rank': statusRank('capped'),
          ':change': [{ status: 'capped', at: change.at, reason: change.reason }],
          ':reasons': [change.reason],
          ...(change.until ? { ':until': change.until } : {}),
        },
      }),
    );
  }

  async recordMessageStatus(customerId: string, messageId: string, change: StatusChange): Promise<boolean> {
    return updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: messageKey(customerId, messageId),
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

  async eraseTimeline(customerId: string, at: Date): Promise<ErasedTimeline> {
    const expiresAt = Math.floor(at.getTime() / 1000) + ERASURE_TOMBSTONE_DAYS * DAY_SECONDS;
    const scheduleKeys: string[] = [];
    const items = await sweepPartition(
      this.#documents,
      this.#table,
      partitionOf(customerId),
      (item) => {
        if (item.kind !== 'message') return [];
        const messageId = String(item.messageId);
        const attempts = (item.attempts ?? []) as LedgerMessage['attempts'];
        // The keys the router names its schedules by (message-router.ts): a scheduled message, and
        // the fallback a queued message may have scheduled for its next attempt number.
        if (item.status === 'scheduled') scheduleKeys.push(messageId);
        if (item.status === 'capped' && typeof item.deliverAt === 'string') {
          scheduleKeys.push(cappedScheduleKey(messageId, new Date(item.deliverAt)));
        }
        if (item.status === 'queued') {
          scheduleKeys.push(`${messageId}-${Math.max(0, ...attempts.map((a) => a.attempt)) + 1}`);
        }
        return attempts.map((attempt) => attemptSort({ messageId, ...attempt }));
      },
      expiresAt,
      // An attempt's link items (`link#<token>`) live outside the partition; its tokens find them.
      (item) =>
        item.kind === 'attempt' && Array.isArray(item.linkTokens)
          ? item.linkTokens.map(String).map(linkKey)
          : [],
    );
    return { items, scheduleKeys };
  }
}

/** The values of a plan's attributes, as both plan writes (a scheduled start, a fallback) set them. */
function planValues(plan: Pick<LedgerMessage, 'attempts' | 'fallbackChannels' | 'skipped' | 'sourceId'>) {
  return {
    ':attempts': plan.attempts,
    ':channels': plan.attempts.map((attempt) => attempt.channel),
    ':fallback': plan.fallbackChannels,
    ':skipped': plan.skipped,
    ':source': plan.sourceId ?? '',
  };
}
