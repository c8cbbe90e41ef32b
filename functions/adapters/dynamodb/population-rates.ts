/**
 * The population's engagement counts as the router reads them: every shard of a category's
 * channels (engagement-counters.ts writes them) in one BatchGetItem, merged, and kept in the
 * container for `maxAgeSeconds` — population rates move over days, so a router container reads a
 * category once every few minutes, never per message.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CHANNELS } from '../../contract';
import {
  type ChannelEngagement,
  DEFAULT_POPULATION_SHARDS,
  mergeShards,
  type PopulationCounts,
  populationKey,
} from '../../domain/channel-choice';
import { RetryLaterError } from '../../domain/errors';
import type { PopulationRatesSource } from '../../domain/routing/types';
import { populationShardCounts, populationShardKey } from './engagement-counters';

/** Default seconds a category's counts stay cached in a container. */
export const DEFAULT_POPULATION_MAX_AGE_SECONDS = 300;

/** Options for {@link DynamoDbPopulationRates}. */
export interface DynamoDbPopulationRatesOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Shards per channel × category (the writers' setting; default 16). */
  readonly shards?: number;
  /** Seconds a category's counts stay cached (default 300). */
  readonly maxAgeSeconds?: number;
  readonly now?: () => Date;
}

const BATCH_GET_LIMIT = 100;
const MAX_ROUNDS = 6;

/** {@link PopulationRatesSource} on the customers table, cached per container. */
export class DynamoDbPopulationRates implements PopulationRatesSource {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #shards: number;
  readonly #maxAgeMs: number;
  readonly #now: () => Date;
  readonly #cache = new Map<string, { readonly counts: PopulationCounts; readonly readAtMs: number }>();

  constructor(options: DynamoDbPopulationRatesOptions) {
    this.#documents = DynamoDBDocumentClient.from(options.client);
    this.#table = options.tableName;
    this.#shards = options.shards ?? DEFAULT_POPULATION_SHARDS;
    this.#maxAgeMs = (options.maxAgeSeconds ?? DEFAULT_POPULATION_MAX_AGE_SECONDS) * 1000;
    this.#now = options.now ?? (() => new Date());
  }

  async countsFor(categories: readonly string[]): Promise<PopulationCounts> {
    const nowMs = this.#now().getTime();
    const stale = [...new Set(categories)].filter((category) => {
      const cached = this.#cache.get(category);
      return !cached || nowMs - cached.readAtMs > this.#maxAgeMs;
    });
    if (stale.length > 0) await this.#read(stale, nowMs);
    const merged: Record<string, ChannelEngagement> = {};
    for (const category of categories) Object.assign(merged, this.#cache.get(category)?.counts);
    return merged;
  }

  async #read(categories: readonly string[], nowMs: number): Promise<void> {
    const keys = categories.flatMap((category) =>
      CHANNELS.flatMap((channel) =>
        Array.from({ length: this.#shards }, (_, shard) => ({
          pk: populationShardKey(category, channel, shard),
        })),
      ),
    );
    const shardsOf = new Map<string, ChannelEngagement[]>();
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      let pending: Record<string, unknown>[] = keys.slice(start, start + BATCH_GET_LIMIT);
      for (let round = 0; pending.length > 0; round++) {
        if (round >= MAX_ROUNDS) {
          throw new RetryLaterError('The population counts stayed unprocessed', { code: 'Throttled' });
        }
        const output = await this.#documents.send(
          new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: pending } } }),
        );
        for (const item of output.Responses?.[this.#table] ?? []) {
          const [, category, channel] = String(item.pk).split('#');
          const counts = populationShardCounts(item, nowMs);
          if (!counts || !category || !channel) continue;
          const key = `${category}#${channel}`;
          shardsOf.set(key, [...(shardsOf.get(key) ?? []), counts]);
        }
        pending = (output.UnprocessedKeys?.[this.#table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    for (const category of categories) {
      const counts: Record<string, ChannelEngagement> = {};
      for (const channel of CHANNELS) {
        const shards = shardsOf.get(populationKey(channel, category));
        if (shards) counts[populationKey(channel, category)] = mergeShards(shards, nowMs);
      }
      this.#cache.set(category, { counts, readAtMs: nowMs });
    }
  }
}
