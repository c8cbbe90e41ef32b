/**
 * The attempt ledger on the DynamoDB messages table: the channel sender's side, one item per send
 * attempt (`message#<messageId>#attempt#<attempt>#<channel>`, messages-table.ts), created by the
 * sender's first lease, then `sent` with the provider's receipt or `failed`, then receipt statuses.
 * Every write is conditional: the lease on the attempt being free, statuses on the stored
 * `statusRank` (attempt-status-write.ts), so a redelivered record repeats nothing.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryError, MessageStatus } from '../../contract';
import { ERASED_KIND } from '../../domain/customers/erase-customer';
import { RetryLaterError } from '../../domain/errors';
import type { AttemptContext, AttemptKey } from '../../domain/ledger-model';
import type { AttemptLedger, LeaseResult, SendReceipt } from '../../domain/ports';
import { statusRank } from '../../domain/status-rank';
import { type AttemptStatusAdvance, advanceAttemptStatus } from './attempt-status-write';
import { attemptKey, expiresAfter, messagesDocuments, retentionSeconds, toAttempt } from './messages-table';

/** Options for {@link DynamoDbAttemptLedger}. */
export interface DynamoDbAttemptLedgerOptions {
  readonly client: DynamoDBClient;
  /** The messages table. */
  readonly tableName: string;
  /** Days before DynamoDB TTL removes an attempt (default 400, env `SWITCHBOARD_RETENTION_DAYS`). */
  readonly retentionDays?: number;
}

/** {@link AttemptLedger} on the DynamoDB messages table. */
export class DynamoDbAttemptLedger implements AttemptLedger {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;

  constructor(options: DynamoDbAttemptLedgerOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
    this.#retentionSeconds = retentionSeconds(options.retentionDays);
  }

  async leaseAttempt(
    key: AttemptKey,
    options: { owner: string; leaseSeconds: number; now: Date; queuedAt: string; context?: AttemptContext },
  ): Promise<LeaseResult> {
    const now = options.now.getTime();
    const context = options.context;
    const linkTokens = context?.linkTokens?.length ? context.linkTokens : undefined;
    try {
      const output = await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: attemptKey(key),
          UpdateExpression:
            'SET kind = :kind, customerId = :customerId, messageId = :messageId, channel = :channel, ' +
            'attempt = :attempt, #status = if_not_exists(#status, :queued), ' +
            'statusRank = if_not_exists(statusRank, :queuedRank), queuedAt = if_not_exists(queuedAt, :queuedAt), ' +
            'history = if_not_exists(history, :history), expiresAt = if_not_exists(expiresAt, :expiresAt), ' +
            'leaseOwner = :owner, leaseUntil = :until' +
            (context
              ? ', requestId = :requestId, #category = :category, #metadata = :metadata, fallbackAllowed = :fallback'
              : '') +
            (context?.template ? ', #template = :template' : '') +
            // The first lease's tokens stay: a retried send rewrites to the same short links.
            (linkTokens ? ', linkTokens = if_not_exists(linkTokens, :linkTokens)' : ''),
          ConditionExpression:
            'attribute_not_exists(pk) OR (statusRank = :queuedRank AND ' +
            '(attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner))',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(context ? { '#category': 'category', '#metadata': 'metadata' } : {}),
            ...(context?.template ? { '#template': 'template' } : {}),
          },
          ExpressionAttributeValues: {
            ...(context
              ? {
                  ':requestId': context.requestId,
                  ':category': context.category,
                  ':metadata': context.metadata,
                  ':fallback': context.fallbackAllowed,
                  ...(context.template ? { ':template': context.template } : {}),
                }
              : {}),
            ...(linkTokens ? { ':linkTokens': [...linkTokens] } : {}),
            ':kind': 'attempt',
            ':customerId': key.customerId,
            ':messageId': key.messageId,
            ':channel': key.channel,
            ':attempt': key.attempt,
            ':queued': 'queued',
            ':queuedRank': statusRank('queued'),
            ':queuedAt': options.queuedAt,
            ':history': [{ status: 'queued', at: options.queuedAt }],
            ':expiresAt': expiresAfter(options.queuedAt, this.#retentionSeconds),
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
    return this.#advance(key, {
      entry: { status: 'sent', at: at.toISOString(), channel: key.channel },
      sent: receipt,
      ...(receipt.details ? { details: receipt.details } : {}),
      releaseLease: true,
    });
  }

  async recordFailed(
    key: AttemptKey,
    error: DeliveryError,
    at: Date,
    details?: SendReceipt['details'],
  ): Promise<boolean> {
    return this.#advance(key, {
      entry: { status: 'failed', at: at.toISOString(), channel: key.channel, reason: error.code },
      error,
      ...(details ? { details } : {}),
      releaseLease: true,
    });
  }

  async recordReceiptStatus(
    key: AttemptKey,
    change: { status: MessageStatus; at: Date; error?: DeliveryError },
  ): Promise<boolean> {
    const { status, at, error } = change;
    return this.#advance(key, {
      entry: { status, at: at.toISOString(), channel: key.channel, ...(error ? { reason: error.code } : {}) },
      ...(error ? { error } : {}),
    });
  }

  async #advance(key: AttemptKey, advance: AttemptStatusAdvance): Promise<boolean> {
    return (await advanceAttemptStatus(this.#documents, this.#table, key, advance)) !== 'unchanged';
  }

  async #getAttemptItem(key: AttemptKey): Promise<Record<string, unknown> | undefined> {
    const output = await this.#documents.send(
      new GetCommand({ TableName: this.#table, Key: attemptKey(key), ConsistentRead: true }),
    );
    return output.Item;
  }
}
