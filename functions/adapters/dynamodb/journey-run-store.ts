/**
 * Journey runs on the messages table (keys: messages-table.ts): one item per customer × journey ×
 * business key, in the customer's partition (so erasure sweeps it with her messages), on no index.
 *
 * The item's top-level `version` is the truth: the engine writes only if it still holds the
 * version it read, and the router's dispatch fence raises it too, so an advance that read the run
 * before a dispatch is applied again to what is stored. `status`, `exitReason`, `runId` and
 * `sendIds` sit at the top level for the fence's condition, and the run's ids for the timeline;
 * the run itself, with the last write's input and effects, is the compressed `state`
 * (journey-run-layout.ts: every KB of the item is paid on every write).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { JourneyRunStore, RunAddress, StoredRun } from '../../domain/journeys/journey-ports';
import { putConditionally } from './conditional';
import { decodeRunState, encodeRunState } from './journey-run-layout';
import {
  JOURNEY_RUN_KIND,
  journeyRunKey,
  journeyRunPrefix,
  messagesDocuments,
  partitionOf,
  retentionSeconds,
} from './messages-table';

/** Options of {@link DynamoDbJourneyRunStore}. */
export interface DynamoDbJourneyRunStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Days a run item is kept after its last write (TTL). */
  readonly retentionDays?: number;
  readonly now?: () => Date;
}

/** {@link JourneyRunStore} on the messages table. */
export class DynamoDbJourneyRunStore implements JourneyRunStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;
  readonly #now: () => Date;

  constructor(options: DynamoDbJourneyRunStoreOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
    this.#retentionSeconds = retentionSeconds(options.retentionDays);
    this.#now = options.now ?? (() => new Date());
  }

  async get(address: RunAddress): Promise<StoredRun | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: journeyRunKey(address.customerId, address.journeyId, address.key),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : fromRunItem(Item);
  }

  async ofCustomer(customerId: string, journeyId: string): Promise<StoredRun[]> {
    const runs: StoredRun[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#documents.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': partitionOf(customerId),
            ':prefix': journeyRunPrefix(journeyId),
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) runs.push(fromRunItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return runs;
  }

  async put(next: StoredRun, expectedVersion: number | undefined): Promise<boolean> {
    const item = runItem(next, this.#now(), this.#retentionSeconds);
    return putConditionally(
      this.#documents,
      new PutCommand({
        TableName: this.#table,
        Item: item,
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': expectedVersion },
            }),
      }),
    );
  }
}

/** The item of a run as stored at `now`, kept `retentionSeconds` after it. */
export function runItem(next: StoredRun, now: Date, retentionSeconds: number): Record<string, unknown> {
  const { run } = next;
  return {
    ...journeyRunKey(run.customerId, run.journeyId, run.key),
    kind: JOURNEY_RUN_KIND,
    runId: run.runId,
    journeyId: run.journeyId,
    journeyVersion: run.journeyVersion,
    customerId: run.customerId,
    runKey: run.key,
    status: run.status,
    ...(run.exit === undefined ? {} : { exitReason: run.exit.reason }),
    version: run.version,
    sendIds: Object.values(run.sends).map((send) => send.requestId),
    dispatched: next.dispatched,
    state: encodeRunState({
      run,
      ...(next.lastInputId === undefined ? {} : { lastInputId: next.lastInputId }),
      lastEffects: next.lastEffects,
    }),
    updatedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + retentionSeconds,
  };
}

/** A run item as the engine reads it: the run at the item's version, with the fence's marks. */
export function fromRunItem(item: Record<string, unknown>): StoredRun {
  if (!(item.state instanceof Uint8Array)) {
    throw new Error(`run item ${String(item.runId)} has no state: not written by this store`);
  }
  const state = decodeRunState(item.state, {
    runId: String(item.runId),
    journeyId: String(item.journeyId),
    journeyVersion: Number(item.journeyVersion),
    customerId: String(item.customerId),
    runKey: String(item.runKey),
    status: item.status as StoredRun['run']['status'],
    version: Number(item.version),
  });
  return { ...state, dispatched: (item.dispatched ?? {}) as Record<string, string> };
}
