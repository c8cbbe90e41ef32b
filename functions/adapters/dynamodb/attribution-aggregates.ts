/**
 * The attribution aggregates on the messages table (keys: messages-table.ts): one item per
 * dimension × shard × day × group, `attribution#<dimension>#<shard>` / `<day>#<group>`, holding
 * counters only — no customer id, so erasure has nothing to do here.
 *
 * A write goes to a shard chosen at random, so that no item takes more than its share of a busy
 * group's writes (docs/attribution.md, "No hot key"); the report reads every shard: one Query per
 * shard over the range of days, whatever the number of events counted.
 *
 * Increments are written in transactions of up to 100 items (all of a transaction or none). A
 * transaction that conflicts with another on the same item is tried again on another shard.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AttributionDimension } from '../../contract';
import type { AggregateIncrement } from '../../domain/attribution/attribution-aggregates';
import type { AttributionAggregates, StoredAggregate } from '../../domain/attribution/attribution-ports';
import { DEFAULT_ATTRIBUTION_SETTINGS } from '../../domain/attribution/attribution-settings';
import { RetryLaterError } from '../../domain/errors';
import {
  attributionAggregateKey,
  attributionAggregatePartition,
  expiresAfter,
  messagesDocuments,
  retentionSeconds,
} from './messages-table';

/** The `kind` of an aggregate item. */
export const AGGREGATE_KIND = 'attribution-aggregate';
/** Most actions in one TransactWriteItems request. */
export const MAX_TRANSACTION_ITEMS = 100;
/** Times a transaction is tried on other shards after conflicting with a concurrent one. */
const MAX_CONFLICT_RETRIES = 3;
const NOT_COUNTERS = new Set(['pk', 'sk', 'kind', 'dimension', 'group', 'day', 'expiresAt']);

/** Options of the aggregates. */
export interface AttributionAggregatesOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Shards per aggregate (default 32; the report reads this many). */
  readonly shards?: number;
  /** Days before TTL removes an aggregate, counted from its day (as messages). */
  readonly retentionDays?: number;
  /** Picks a shard from 0 to `shards - 1` (random; tests pass their own). */
  readonly pickShard?: (shards: number) => number;
}

/** A TransactWriteItems action adding an increment to one shard of its aggregate. */
export type AggregateUpdate = { readonly Update: Record<string, unknown> };

/** Writes to and reads the aggregates; also builds the updates a conversion's transaction carries. */
export class DynamoDbAttributionAggregates implements AttributionAggregates {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;
  /** Shards per aggregate. */
  readonly shards: number;
  readonly #pick: (shards: number) => number;

  constructor(options: AttributionAggregatesOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
    this.#retentionSeconds = retentionSeconds(options.retentionDays);
    this.shards = options.shards ?? DEFAULT_ATTRIBUTION_SETTINGS.shards;
    this.#pick = options.pickShard ?? ((shards) => Math.floor(Math.random() * shards));
  }

  async add(increments: readonly AggregateIncrement[]): Promise<void> {
    for (let start = 0; start < increments.length; start += MAX_TRANSACTION_ITEMS) {
      const chunk = increments.slice(start, start + MAX_TRANSACTION_ITEMS);
      await this.transact((shard) => chunk.map((increment) => this.update(increment, shard)));
    }
  }

  async read(dimension: AttributionDimension, fromDay: string, toDay: string): Promise<StoredAggregate[]> {
    const shards = Array.from({ length: this.shards }, (_, shard) =>
      this.#readShard(dimension, shard, fromDay, toDay),
    );
    return (await Promise.all(shards)).flat();
  }

  /** The update adding `increment` to its aggregate's item on `shard`. */
  update(increment: AggregateIncrement, shard: number): AggregateUpdate {
    const names: Record<string, string> = {
      '#kind': 'kind',
      '#dimension': 'dimension',
      '#group': 'group',
      '#day': 'day',
      '#expiresAt': 'expiresAt',
    };
    const values: Record<string, unknown> = {
      ':kind': AGGREGATE_KIND,
      ':dimension': increment.dimension,
      ':group': increment.group,
      ':day': increment.day,
      ':expiresAt': expiresAfter(`${increment.day}T00:00:00Z`, this.#retentionSeconds),
    };
    const adds = Object.entries(increment.add).map(([counter, amount], index) => {
      names[`#c${index}`] = counter;
      values[`:c${index}`] = amount;
      return `#c${index} :c${index}`;
    });
    return {
      Update: {
        TableName: this.#table,
        Key: attributionAggregateKey(increment.dimension, shard, increment.day, increment.group),
        UpdateExpression: `SET #kind = :kind, #dimension = :dimension, #group = :group, #day = :day, #expiresAt = :expiresAt ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /**
   * Sends one transaction built for a random shard; after a conflict with a concurrent transaction
   * on the same items, builds it again for another shard. Any other cancellation is the caller's.
   */
  async transact(build: (shard: number) => readonly Record<string, unknown>[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#documents.send(
          new TransactWriteCommand({ TransactItems: [...build(this.#pick(this.shards))] as never }),
        );
        return;
      } catch (error) {
        const conflict =
          error instanceof TransactionCanceledException &&
          (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
        if (!conflict) throw error;
        if (attempt >= MAX_CONFLICT_RETRIES) {
          throw new RetryLaterError('Attribution aggregates kept conflicting', {
            code: 'TransactionConflict',
            cause: error,
          });
        }
      }
    }
  }

  async #readShard(
    dimension: AttributionDimension,
    shard: number,
    fromDay: string,
    toDay: string,
  ): Promise<StoredAggregate[]> {
    const stored: StoredAggregate[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#documents.send(
        new QueryCommand({
          TableName: this.#table,
          // Sort keys are `<day>#<group>`: `$` sorts just after `#`, closing the last day.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': attributionAggregatePartition(dimension, shard),
            ':from': `${fromDay}#`,
            ':to': `${toDay}$`,
          },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const counters: Record<string, number> = {};
        for (const [name, value] of Object.entries(item)) {
          if (!NOT_COUNTERS.has(name) && typeof value === 'number') counters[name] = value;
        }
        stored.push({ day: String(item.day), group: String(item.group), counters });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return stored;
  }
}
