/**
 * A journey's counts on the messages table (keys: messages-table.ts): one item per journey ×
 * shard × version, `journeystats#<journeyId>#<shard>` / `v<version>`, kind `journey-stats`,
 * holding top-level numeric counters only — no customer id, so erasure has nothing to do here,
 * and no TTL: a journey's counts are kept for as long as the table.
 *
 * Each record() is one UpdateItem that ADDs the run's delta (domain/journeys/journey-stats.ts) to
 * a shard picked at random, so a busy journey's writes spread over {@link JOURNEY_STATS_SHARDS}
 * items; the reader sums them with one Query per shard partition (every version in it), never a scan.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { JourneyStatsReader, JourneyStatsRecorder } from '../../domain/journeys/journey-ports';
import type { JourneyRun } from '../../domain/journeys/journey-run';
import { journeyStatsDelta } from '../../domain/journeys/journey-stats';
import { journeyStatsKey, journeyStatsPartition, messagesDocuments } from './messages-table';

/** The `kind` of a journey stats item. */
export const JOURNEY_STATS_KIND = 'journey-stats';
/** Shards per journey version: the reader makes this many Queries. */
export const JOURNEY_STATS_SHARDS = 8;
const NOT_COUNTERS = new Set(['pk', 'sk', 'kind', 'journeyId', 'journeyVersion']);

/** Options of the store. */
export interface DynamoDbJourneyStatsOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Picks a shard from 0 to `shards - 1` (random; tests pass their own). */
  readonly pickShard?: (shards: number) => number;
}

/** Counts what changes in runs, and reads the counts back summed. */
export class DynamoDbJourneyStats implements JourneyStatsRecorder, JourneyStatsReader {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #pick: (shards: number) => number;

  constructor(options: DynamoDbJourneyStatsOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
    this.#pick = options.pickShard ?? ((shards) => Math.floor(Math.random() * shards));
  }

  async record(before: JourneyRun | undefined, after: JourneyRun): Promise<void> {
    const { journeyId, journeyVersion, counters } = journeyStatsDelta(before, after);
    const entries = Object.entries(counters);
    if (entries.length === 0) return;
    const names: Record<string, string> = {
      '#kind': 'kind',
      '#journeyId': 'journeyId',
      '#journeyVersion': 'journeyVersion',
    };
    const values: Record<string, unknown> = {
      ':kind': JOURNEY_STATS_KIND,
      ':journeyId': journeyId,
      ':journeyVersion': journeyVersion,
    };
    const adds = entries.map(([counter, amount], index) => {
      names[`#c${index}`] = counter;
      values[`:c${index}`] = amount;
      return `#c${index} :c${index}`;
    });
    await this.#documents.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: journeyStatsKey(journeyId, this.#pick(JOURNEY_STATS_SHARDS), journeyVersion),
        UpdateExpression: `SET #kind = :kind, #journeyId = :journeyId, #journeyVersion = :journeyVersion ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async read(journeyId: string): Promise<ReadonlyMap<number, Readonly<Record<string, number>>>> {
    const shards = await Promise.all(
      Array.from({ length: JOURNEY_STATS_SHARDS }, (_, shard) => this.#readShard(journeyId, shard)),
    );
    const byVersion = new Map<number, Record<string, number>>();
    for (const item of shards.flat()) {
      const version = Number(item.journeyVersion);
      const sums = byVersion.get(version) ?? {};
      for (const [name, value] of Object.entries(item)) {
        if (!NOT_COUNTERS.has(name) && typeof value === 'number') sums[name] = (sums[name] ?? 0) + value;
      }
      byVersion.set(version, sums);
    }
    return byVersion;
  }

  async #readShard(journeyId: string, shard: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#documents.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': journeyStatsPartition(journeyId, shard) },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}
