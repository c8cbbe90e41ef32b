/**
 * Factories for the journey dispatch fence's tests: journey messages, run items as the engine's
 * store lays them out (journey-run-store.ts `runItem`), and a goal exit written the way the engine
 * writes a run — a Put conditioned on the version it read.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { fromRunItem, runItem } from '../../functions/adapters/dynamodb/journey-run-store';
import { journeyRunKey, retentionSeconds } from '../../functions/adapters/dynamodb/messages-table';
import type { MessageRequest } from '../../functions/contract';
import { type JourneyRun, requestIdFor } from '../../functions/domain/journeys';
import type {
  FenceWrite,
  JourneyDispatchFence,
  JourneySend,
} from '../../functions/domain/routing/journey-dispatch-fence';
import { aRequest } from './factories';

/** One run of a journey: where its item is and its id. */
export interface TestRun {
  readonly customerId: string;
  readonly journeyId: string;
  readonly key: string;
  readonly runId: string;
}

/** A run of `cart-recovery` for a customer, with a fresh cart key and run id. */
export function aTestRun(customerId: string, overrides: Partial<TestRun> = {}): TestRun {
  const key = overrides.key ?? `cart-${randomUUID().slice(0, 8)}`;
  return { customerId, journeyId: 'cart-recovery', key, runId: `jr_${randomUUID()}`, ...overrides };
}

/** The message a run's send step publishes: `requestId` `<runId>.<stepId>`, the journey's metadata. */
export function aJourneyMessage(
  run: TestRun,
  stepId = 'push-reminder',
  overrides: Parameters<typeof aRequest>[1] = {},
): MessageRequest {
  return aRequest(run.customerId, {
    requestId: requestIdFor(run.runId, stepId),
    category: 'marketing',
    content: { text: 'Your cart misses you', title: 'Your cart' },
    metadata: {
      journeyId: run.journeyId,
      journeyVersion: '1',
      journeyRunId: run.runId,
      journeyKey: run.key,
      journeyStepId: stepId,
    },
    ...overrides,
  });
}

/** What a run item says about its state. */
export interface RunItemState {
  readonly status?: 'active' | 'exited';
  readonly exitReason?: 'completed' | 'goal' | 'cancelled';
  readonly version?: number;
  readonly sendIds?: readonly string[];
  readonly dispatched?: Readonly<Record<string, string>>;
}

/** A run item as the engine stores it (journey-run-store.ts), for the fence to read and write. */
export function aRunItem(run: TestRun, state: RunItemState = {}): Record<string, unknown> {
  const status = state.status ?? 'active';
  const at = '2026-11-23T10:00:00.000Z';
  const sendIds = [...(state.sendIds ?? [])];
  const journeyRun: JourneyRun = {
    runId: run.runId,
    journeyId: run.journeyId,
    journeyVersion: 1,
    customerId: run.customerId,
    key: run.key,
    status,
    version: state.version ?? 3,
    heldOut: false,
    enteredAt: at,
    entry: { id: `pa-${run.key}`, name: 'Product Added', customerId: run.customerId, at, body: {} },
    matched: {},
    sends: Object.fromEntries(sendIds.map((requestId) => [requestId.split('.').pop(), { requestId }])),
    seenEventIds: [],
    path: [],
    ...(state.exitReason ? { exit: { reason: state.exitReason, at } } : {}),
  };
  const stored = { run: journeyRun, dispatched: { ...(state.dispatched ?? {}) }, lastEffects: [] };
  return runItem(stored, new Date(at), retentionSeconds());
}

/** Writes a run item as the engine would (unconditionally: the test sets the scene). */
export async function putRunItem(
  documents: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
): Promise<void> {
  await documents.send(new PutCommand({ TableName: tableName, Item: item }));
}

/** The run item as stored now (strongly consistent). */
export async function runItemOf(
  documents: DynamoDBDocumentClient,
  tableName: string,
  run: TestRun,
): Promise<Record<string, unknown> | undefined> {
  const output = await documents.send(
    new GetCommand({
      TableName: tableName,
      Key: journeyRunKey(run.customerId, run.journeyId, run.key),
      ConsistentRead: true,
    }),
  );
  return output.Item;
}

/** A goal exit that was stored, with the run item it was computed from. */
export interface RecordedExit {
  /** The item the successful write replaced (what the engine read before it). */
  readonly replaced: Record<string, unknown>;
  /** Writes refused because the version moved under it (each followed by a fresh read). */
  readonly refused: number;
  /** When DynamoDB acknowledged the write (epoch ms): the exit was recorded by then. */
  readonly acknowledgedAt: number;
}

/**
 * Exits a run on a goal the way the engine writes: read the item, write the whole exited run with
 * `version + 1` on the condition that the version read is still stored, and on refusal read again
 * and write again. `dispatched` is kept as read: the engine never drops what the fence recorded.
 */
export async function exitOnGoal(
  documents: DynamoDBDocumentClient,
  tableName: string,
  run: TestRun,
  at = new Date().toISOString(),
): Promise<RecordedExit> {
  for (let refused = 0; refused < 50; refused += 1) {
    const read = await runItemOf(documents, tableName, run);
    if (!read) throw new Error(`no run item for ${run.runId}`);
    const stored = fromRunItem(read);
    const version = stored.run.version;
    const exited: JourneyRun = {
      ...stored.run,
      status: 'exited',
      version: version + 1,
      exit: { reason: 'goal', at },
    };
    const item = runItem({ ...stored, run: exited }, new Date(at), retentionSeconds());
    try {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: '#version = :read',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':read': version },
        }),
      );
      return { replaced: read, refused, acknowledgedAt: Date.now() };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  throw new Error(`the goal exit of ${run.runId} was refused 50 times`);
}

/** A fence that answers what the test scripted, and remembers what it was asked (pure-logic tests). */
export class ScriptedJourneyFence implements JourneyDispatchFence {
  /** Every send it was asked to mark, in order. */
  readonly asked: JourneySend[] = [];

  constructor(public answer: FenceWrite) {}

  async markDispatched(send: JourneySend): Promise<FenceWrite> {
    this.asked.push(send);
    return this.answer;
  }
}
