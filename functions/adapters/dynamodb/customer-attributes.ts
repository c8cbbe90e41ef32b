/**
 * Identify traits onto the customer profile's `attributes` (customers table, the profile item of
 * customers-table.ts). Only `attributes`, `traitsAt`, `version` and `updatedAt` are written: traits
 * never reach addresses or consent. A read, a merge under the Customer contract's limit, then a
 * write conditioned on the version read, retried when another writer came in between.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ERASURE_TOMBSTONE_DAYS } from '../../domain/customers/erase-customer';
import { RetryLaterError } from '../../domain/errors';
import type { JourneyCustomer, JourneyCustomers } from '../../domain/journeys/journey-ports';
import type { CustomerAttributes, TraitsOutcome } from '../../domain/touchpoints/touchpoint-ports';
import { mergeAttributes } from '../../domain/touchpoints/traits-to-attributes';
import { customersDocuments, erasedKey, profileKey } from './customers-table';

/** Options for {@link DynamoDbCustomerAttributes}. */
export interface DynamoDbCustomerAttributesOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

const MAX_OPTIMISTIC_RETRIES = 5;

type Scalar = string | number | boolean | null;

/** {@link CustomerAttributes} (and what journeys read of a profile) on the customers table. */
export class DynamoDbCustomerAttributes implements CustomerAttributes, JourneyCustomers {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoDbCustomerAttributesOptions) {
    this.#documents = customersDocuments(options.client);
    this.#table = options.tableName;
  }

  async isErased(customerId: string): Promise<boolean> {
    // Eventually consistent: a tombstone is written before the erase sweeps, seconds ahead of it.
    const output = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: erasedKey(customerId) },
        ProjectionExpression: 'expiresAt',
      }),
    );
    const expiresAt = Number(output.Item?.expiresAt ?? 0);
    // TTL deletes lazily: an expired tombstone still read is gone, as the router reads it.
    if (output.Item === undefined || expiresAt * 1000 <= Date.now()) return false;
    // A profile made again after the erase (PUT of the same id) is the new customer, as the router
    // routes it; one the erase has not removed yet was last written before the tombstone. The
    // tombstone keeps its time in seconds, so a profile written in the second of the erase counts
    // as new. Read only when a tombstone lives: the usual event pays the one read above.
    const erasedAt = (expiresAt - ERASURE_TOMBSTONE_DAYS * 24 * 60 * 60) * 1000;
    const profile = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: profileKey(customerId) },
        ProjectionExpression: 'updatedAt',
        ConsistentRead: true,
      }),
    );
    const updatedAt = Date.parse(String(profile.Item?.updatedAt ?? ''));
    return !(Number.isFinite(updatedAt) && updatedAt >= erasedAt);
  }

  async applyTraits(
    customerId: string,
    attributes: Readonly<Record<string, Scalar>>,
    at: string,
  ): Promise<TraitsOutcome> {
    for (let round = 0; round < MAX_OPTIMISTIC_RETRIES; round++) {
      const output = await this.#documents.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: profileKey(customerId) },
          ProjectionExpression: 'attributes, version, traitsAt',
          ConsistentRead: true,
        }),
      );
      const item = output.Item;
      if (!item) return 'no-customer';
      // An identify older than the last one applied (a late retry) never undoes a newer one.
      if (typeof item.traitsAt === 'string' && item.traitsAt > at) return 'stale';
      const current = (item.attributes ?? {}) as Record<string, Scalar>;
      const merged = mergeAttributes(current, attributes);
      if (Object.entries(merged).every(([key, value]) => current[key] === value) && item.traitsAt === at) {
        return 'unchanged';
      }
      try {
        await this.#documents.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { pk: profileKey(customerId) },
            UpdateExpression:
              'SET attributes = :attributes, traitsAt = :at, updatedAt = :now ADD version :one',
            ConditionExpression: 'attribute_exists(pk) AND version = :version',
            ExpressionAttributeValues: {
              ':attributes': merged,
              ':at': at,
              ':now': new Date().toISOString(),
              ':one': 1,
              ':version': item.version,
            },
          }),
        );
        return 'updated';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new RetryLaterError('The customer profile kept changing while traits were applied', {
      code: 'OptimisticConflict',
    });
  }

  /** What journeys read of a profile (attributes and time zone); empty for an unknown customer. */
  async journeyCustomer(customerId: string): Promise<JourneyCustomer> {
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: profileKey(customerId) },
        ProjectionExpression: 'attributes, timezone',
      }),
    );
    return {
      ...(typeof Item?.attributes === 'object' && Item.attributes !== null
        ? { attributes: Item.attributes as Record<string, unknown> }
        : {}),
      ...(typeof Item?.timezone === 'string' ? { timezone: Item.timezone } : {}),
    };
  }
}
