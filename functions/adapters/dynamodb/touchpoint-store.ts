/**
 * Touchpoints on the DynamoDB messages table (keys and items: messages-table.ts), beside the
 * messages, so that one `gsi1` query gives a customer's messages, replies and touchpoints as one
 * chronological stream:
 *
 * - `customer#<id>` / `touchpoint#<messageId>`: a customer's touchpoint, on `gsi1` as
 *   `timeline#<customerId>` / `<occurredAt>#touchpoint#<messageId>`. In the customer's partition,
 *   erasure (one query of the partition) takes it with the messages.
 * - `anonymous#<anonymousId>` / `touchpoint#<messageId>`: an anonymous visitor's touchpoint, on no
 *   index (nothing lists an anonymous timeline yet, and each index costs a write).
 * - `anonymous#<anonymousId>` / `profile`: the anonymous profile, with `customerId` once an
 *   identify stitched it.
 * - `customer#<id>` / `anonymous#<anonymousId>`: the reference back from a customer to an anonymous
 *   profile stitched to them, so that erasing the customer finds it (one query of the partition).
 *
 * The sort key is the messageId, so a create-if-absent put is the de-duplication, and a touchpoint
 * moved from an anonymous profile keeps its key: a redelivery after the move finds it.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ProfileRef, Touchpoint } from '../../domain/touchpoints/touchpoint';
import type { LinkOutcome, StoreOutcome, TouchpointStore } from '../../domain/touchpoints/touchpoint-ports';
import { putIfAbsent } from './conditional';
import {
  ANONYMOUS_PROFILE_SORT,
  anonymousPartition,
  expiresAfter,
  fromTouchpointItem,
  messagesDocuments,
  partitionOf,
  retentionSeconds,
  toTouchpointItem,
  touchpointSort,
} from './messages-table';
import { sweepPartition } from './partition-sweep';

/** Options for {@link DynamoDbTouchpointStore}. */
export interface DynamoDbTouchpointStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Days before DynamoDB TTL removes a touchpoint, counted from its receipt (as messages). */
  readonly retentionDays?: number;
}

/** {@link TouchpointStore} on the messages table. */
export class DynamoDbTouchpointStore implements TouchpointStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;

  constructor(options: DynamoDbTouchpointStoreOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
    this.#retentionSeconds = retentionSeconds(options.retentionDays);
  }

  async put(profile: ProfileRef, touchpoint: Touchpoint): Promise<StoreOutcome> {
    const item = {
      ...toTouchpointItem(profile, touchpoint),
      expiresAt: expiresAfter(touchpoint.receivedAt, this.#retentionSeconds),
    };
    return (await putIfAbsent(this.#documents, this.#table, item)) ? 'stored' : 'duplicate';
  }

  async stitchedCustomer(anonymousId: string): Promise<string | undefined> {
    const output = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: anonymousPartition(anonymousId), sk: ANONYMOUS_PROFILE_SORT },
        ProjectionExpression: 'customerId',
        ConsistentRead: true,
      }),
    );
    const customerId = output.Item?.customerId;
    return typeof customerId === 'string' ? customerId : undefined;
  }

  async link(anonymousId: string, customerId: string): Promise<LinkOutcome> {
    const now = new Date();
    try {
      const output = await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: anonymousPartition(anonymousId), sk: ANONYMOUS_PROFILE_SORT },
          UpdateExpression:
            'SET kind = :kind, customerId = :customerId, linkedAt = if_not_exists(linkedAt, :now), expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(customerId) OR customerId = :customerId',
          ExpressionAttributeValues: {
            ':kind': 'anonymous-profile',
            ':customerId': customerId,
            ':now': now.toISOString(),
            // The link lives as long as the newest history it can receive.
            ':expiresAt': expiresAfter(now.toISOString(), this.#retentionSeconds),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const outcome = output.Attributes?.customerId === customerId ? 'already-linked' : 'linked';
      await this.#linkBack(anonymousId, customerId, now);
      return { outcome };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const owner = await this.stitchedCustomer(anonymousId);
      if (owner === undefined) throw error;
      return owner === customerId
        ? { outcome: 'already-linked' }
        : { outcome: 'linked-elsewhere', customerId: owner };
    }
  }

  async eraseLinkedAnonymousProfiles(customerId: string): Promise<number> {
    let erased = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#documents.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :anonymous)',
          ExpressionAttributeValues: { ':pk': partitionOf(customerId), ':anonymous': anonymousPartition('') },
          ProjectionExpression: 'sk',
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        await sweepPartition(this.#documents, this.#table, String(item.sk), () => []);
        erased++;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return erased;
  }

  /** Written after the link, on every identify: a retry after a crash in between writes it then. */
  async #linkBack(anonymousId: string, customerId: string, now: Date) {
    await this.#documents.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: partitionOf(customerId),
          sk: anonymousPartition(anonymousId),
          kind: 'anonymous-link',
          expiresAt: Math.floor(now.getTime() / 1000) + this.#retentionSeconds,
        },
      }),
    );
  }

  async moveAnonymousHistory(
    anonymousId: string,
    customerId: string,
  ): Promise<{ copied: number; alreadyThere: number }> {
    let copied = 0;
    let alreadyThere = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#documents.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :touchpoint)',
          ExpressionAttributeValues: { ':pk': anonymousPartition(anonymousId), ':touchpoint': 'touchpoint#' },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const touchpoint = { ...fromTouchpointItem(item), customerId };
        if (await this.#copyThenDelete(anonymousId, customerId, touchpoint, item.expiresAt)) copied++;
        else alreadyThere++;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { copied, alreadyThere };
  }

  async moveTouchpoint(
    anonymousId: string,
    customerId: string,
    touchpoint: Touchpoint,
  ): Promise<StoreOutcome> {
    const expiresAt = expiresAfter(touchpoint.receivedAt, this.#retentionSeconds);
    const created = await this.#copyThenDelete(anonymousId, customerId, touchpoint, expiresAt);
    return created ? 'stored' : 'duplicate';
  }

  /**
   * Copy first, delete second: a crash in between leaves a copy on each side, which the identify's
   * retry finishes moving; the conditional copy never doubles it. Returns whether the copy was new.
   */
  async #copyThenDelete(
    anonymousId: string,
    customerId: string,
    touchpoint: Touchpoint,
    expiresAt: unknown,
  ): Promise<boolean> {
    const created = await putIfAbsent(this.#documents, this.#table, {
      ...toTouchpointItem({ kind: 'customer', customerId }, { ...touchpoint, customerId }),
      expiresAt,
    });
    await this.#documents.send(
      new DeleteCommand({
        TableName: this.#table,
        Key: { pk: anonymousPartition(anonymousId), sk: touchpointSort(touchpoint.messageId) },
      }),
    );
    return created;
  }
}
