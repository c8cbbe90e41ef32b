/**
 * Tracked links on the DynamoDB messages table (messages-table.ts): `link#<token>` items written by
 * the sender before a message leaves, read by `GET /c/{token}`, and the click they record — a
 * count on the link item, the first click's item on the customer's timeline, and `clicked` on the
 * attempt through the one status write (attempt-status-write.ts).
 *
 * The link items and the click item are written in a transaction with a check that the attempt is
 * still an attempt, not an erasure tombstone, so neither a send nor a click racing an erasure can
 * leave a link or a click behind it (docs/customers-and-routing.md, "Erasure").
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AttemptKey } from '../../domain/ledger-model';
import type { ClickRecord, LinkStore, LinkToSave, StoredLink } from '../../domain/links/link-ports';
import { advanceAttemptStatus } from './attempt-status-write';
import {
  attemptKey,
  fromLinkItem,
  linkKey,
  messagesDocuments,
  retentionSeconds,
  toClickItem,
} from './messages-table';

/** The `providerEvent` of a click recorded by Switchboard's own short link (published as `message.clicked`). */
export const LINK_CLICK_EVENT = 'switchboard.link.click';

/** Options for {@link DynamoDbLinkStore}. */
export interface DynamoDbLinkStoreOptions {
  readonly client: DynamoDBClient;
  /** The messages table. */
  readonly tableName: string;
  /** Days before DynamoDB TTL removes a link or a click (default: functions/config.ts). */
  readonly retentionDays?: number;
  readonly now?: () => Date;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** {@link LinkStore} on the DynamoDB messages table. */
export class DynamoDbLinkStore implements LinkStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;
  readonly #now: () => Date;

  constructor(options: DynamoDbLinkStoreOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
    this.#retentionSeconds = retentionSeconds(options.retentionDays);
    this.#now = options.now ?? (() => new Date());
  }

  async saveLinks(key: AttemptKey, links: readonly LinkToSave[]): Promise<'saved' | 'erased'> {
    if (links.length === 0) return 'saved';
    const expiresAt = Math.floor(this.#now().getTime() / 1000) + this.#retentionSeconds;
    // An update, not a put: a retried send rewrites the same fields and keeps the clicks counted.
    const writes: TransactItem[] = links.map((link) => ({
      Update: {
        TableName: this.#table,
        Key: linkKey(link.token),
        UpdateExpression:
          'SET #kind = :kind, #token = :token, customerId = :customerId, messageId = :messageId, ' +
          'attempt = :attempt, channel = :channel, #url = :url, expiresAt = if_not_exists(expiresAt, :expiresAt)',
        ExpressionAttributeNames: { '#kind': 'kind', '#token': 'token', '#url': 'url' },
        ExpressionAttributeValues: {
          ':kind': 'link',
          ':token': link.token,
          ':customerId': key.customerId,
          ':messageId': key.messageId,
          ':attempt': key.attempt,
          ':channel': key.channel,
          ':url': link.url,
          ':expiresAt': expiresAt,
        },
      },
    }));
    return (await this.#whileAttemptLives(key, writes)) ? 'saved' : 'erased';
  }

  async findLink(token: string): Promise<StoredLink | undefined> {
    const output = await this.#documents.send(
      new GetCommand({ TableName: this.#table, Key: linkKey(token), ConsistentRead: true }),
    );
    return fromLinkItem(output.Item);
  }

  async recordClick(link: StoredLink, at: Date): Promise<ClickRecord> {
    let firstClickedAt: string;
    try {
      const output = await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: linkKey(link.token),
          UpdateExpression: 'SET firstClickedAt = if_not_exists(firstClickedAt, :at) ADD clicks :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at.toISOString(), ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      firstClickedAt = String(output.Attributes?.firstClickedAt ?? at.toISOString());
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'gone';
      throw error;
    }
    // Keyed by the first click: every later click rewrites the same item (and so repairs a first
    // click whose recording failed part-way), so clicking a link a thousand times adds one entry.
    const expiresAt = Math.floor(at.getTime() / 1000) + this.#retentionSeconds;
    const onTimeline = await this.#whileAttemptLives(link, [
      { Put: { TableName: this.#table, Item: toClickItem(link, firstClickedAt, expiresAt) } },
    ]);
    if (!onTimeline) return 'gone';
    await advanceAttemptStatus(this.#documents, this.#table, link, {
      entry: {
        status: 'clicked',
        at: firstClickedAt,
        channel: link.channel,
        providerEvent: LINK_CLICK_EVENT,
      },
    });
    return 'recorded';
  }

  /** Runs the writes in one transaction with the attempt's check; false when the attempt is not an attempt any more. */
  async #whileAttemptLives(key: AttemptKey, writes: TransactItem[]): Promise<boolean> {
    try {
      await this.#documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.#table,
                Key: attemptKey(key),
                ConditionExpression: '#kind = :attempt',
                ExpressionAttributeNames: { '#kind': 'kind' },
                ExpressionAttributeValues: { ':attempt': 'attempt' },
              },
            },
            ...writes,
          ],
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return false;
      }
      throw error;
    }
  }
}
