/**
 * Touchpoints on the DynamoDB messages table, beside the messages, so that one `gsi1` query gives
 * a customer's messages, replies and touchpoints as one chronological stream:
 *
 * - `customer#<id>` / `touchpoint#<messageId>`: a customer's touchpoint, on `gsi1` as
 *   `timeline#<customerId>` / `<occurredAt>#touchpoint#<messageId>`. In the customer's partition,
 *   erasure (one query of the partition) takes it with the messages.
 * - `anonymous#<anonymousId>` / `touchpoint#<messageId>`: an anonymous visitor's touchpoint, on no
 *   index (nothing lists an anonymous timeline yet, and each index costs a write).
 * - `anonymous#<anonymousId>` / `profile`: the anonymous profile, with `customerId` once an
 *   identify stitched it.
 *
 * The sort key is the messageId, so a create-if-absent put is the de-duplication, and a touchpoint
 * moved from an anonymous profile keeps its key: a redelivery after the move finds it.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TouchpointChannel, TouchpointType } from '../../contract';
import type { ProfileRef, Touchpoint } from '../../domain/touchpoints/touchpoint';
import type { LinkOutcome, StoreOutcome, TouchpointStore } from '../../domain/touchpoints/touchpoint-ports';
import { DEFAULT_RETENTION_DAYS, partitionOf } from './message-ledger';

/** Options for {@link DynamoDbTouchpointStore}. */
export interface DynamoDbTouchpointStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Days before DynamoDB TTL removes a touchpoint, counted from its receipt (as messages). */
  readonly retentionDays?: number;
}

const DAY_SECONDS = 24 * 60 * 60;
const PROFILE_SORT = 'profile';

/** {@link TouchpointStore} on the messages table. */
export class DynamoDbTouchpointStore implements TouchpointStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;

  constructor(options: DynamoDbTouchpointStoreOptions) {
    this.#documents = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    this.#table = options.tableName;
    this.#retentionSeconds = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_SECONDS;
  }

  async put(profile: ProfileRef, touchpoint: Touchpoint): Promise<StoreOutcome> {
    const item = {
      ...touchpointItem(profile, touchpoint),
      expiresAt: Math.floor(Date.parse(touchpoint.receivedAt) / 1000) + this.#retentionSeconds,
    };
    return (await this.#putIfAbsent(item)) ? 'stored' : 'duplicate';
  }

  async stitchedCustomer(anonymousId: string): Promise<string | undefined> {
    const output = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: anonymousPartition(anonymousId), sk: PROFILE_SORT },
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
          Key: { pk: anonymousPartition(anonymousId), sk: PROFILE_SORT },
          UpdateExpression:
            'SET kind = :kind, customerId = :customerId, linkedAt = if_not_exists(linkedAt, :now), expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(customerId) OR customerId = :customerId',
          ExpressionAttributeValues: {
            ':kind': 'anonymous-profile',
            ':customerId': customerId,
            ':now': now.toISOString(),
            // The link lives as long as the newest history it can receive.
            ':expiresAt': Math.floor(now.getTime() / 1000) + this.#retentionSeconds,
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return { outcome: output.Attributes?.customerId === customerId ? 'already-linked' : 'linked' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const owner = await this.stitchedCustomer(anonymousId);
      if (owner === undefined) throw error;
      return owner === customerId
        ? { outcome: 'already-linked' }
        : { outcome: 'linked-elsewhere', customerId: owner };
    }
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
        // Copy first, delete second: a crash in between leaves a copy on each side, which the next
        // identify or late anonymous event finishes moving; the conditional copy never doubles it.
        const created = await this.#putIfAbsent({
          ...touchpointItem({ kind: 'customer', customerId }, touchpoint),
          expiresAt: item.expiresAt,
        });
        if (created) copied++;
        else alreadyThere++;
        await this.#documents.send(
          new DeleteCommand({ TableName: this.#table, Key: { pk: item.pk, sk: item.sk } }),
        );
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { copied, alreadyThere };
  }

  async #putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** The partition of an anonymous profile. */
export function anonymousPartition(anonymousId: string): string {
  return `anonymous#${anonymousId}`;
}

/** The sort key of a touchpoint. */
export function touchpointSort(messageId: string): string {
  return `touchpoint#${messageId}`;
}

function touchpointItem(profile: ProfileRef, touchpoint: Touchpoint): Record<string, unknown> {
  const onCustomer = profile.kind === 'customer';
  return {
    pk: onCustomer ? partitionOf(profile.customerId) : anonymousPartition(profile.anonymousId),
    sk: touchpointSort(touchpoint.messageId),
    kind: 'touchpoint',
    ...touchpoint,
    ...(onCustomer
      ? {
          gsi1pk: `timeline#${profile.customerId}`,
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
  };
}
