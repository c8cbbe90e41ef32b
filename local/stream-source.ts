/**
 * A local stand-in for Lambda's DynamoDB Streams event source mapping: it reads a table's stream on
 * DynamoDB Local (ListStreams, DescribeStream, GetShardIterator, GetRecords) and invokes a handler
 * with Lambda's `DynamoDBStreamEvent`.
 *
 * Behaviour copied from Lambda (with `ReportBatchItemFailures` and `BisectBatchOnFunctionError`):
 * - each shard is read in order, one batch at a time; a child shard (after a rollover) is read only
 *   once its parent is finished, from its start; shards that exist when the source starts are read
 *   from LATEST, like a new mapping with `StartingPosition: LATEST`;
 * - a handler that throws or times out failed the batch: the batch is split in two and each half
 *   retried (bisect), never moving past it; a handler that reports `batchItemFailures` is retried
 *   from the first sequence number it names (an identifier not in the batch fails the whole batch);
 * - after `maxRetryAttempts` retries a record is given up and handed to `onFailure` (Lambda's
 *   on-failure destination), and the shard moves on;
 * - stop() ends polling and resolves once the batch in hand has finished.
 *
 * Written by hand because no library reads DynamoDB Streams into Lambda events outside Lambda
 * (the Kinesis Client Library adapter is Java).
 */
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type Shard,
  type ShardIteratorType,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesFilterPattern } from '../infra/ledger-stream-filter';
import { lambdaContext } from './lambda-context';

/** A Lambda DynamoDB Streams handler as the local loop calls it. */
export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler may return nothing, as on Lambda.
) => Promise<DynamoDBBatchResponse | void>;

/** Records given up after the retries, as Lambda's on-failure destination would receive them. */
export interface StreamFailure {
  readonly streamArn: string;
  readonly shardId: string;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
  readonly records: number;
  readonly error: unknown;
}

/** Options for {@link startStreamSource}. */
export interface StreamSourceOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  readonly handler: StreamHandler;
  readonly functionName: string;
  readonly region: string;
  /** Records per invocation (Lambda's `batchSize`). */
  readonly batchSize: number;
  /** Retries of a failing record before it is given up (Lambda's `retryAttempts`). */
  readonly maxRetryAttempts: number;
  /** The function timeout. */
  readonly timeoutSeconds: number;
  /**
   * Where reading starts on the shards open at start: LATEST (the default, like a new mapping on a
   * table in use) or TRIM_HORIZON (everything the stream still holds; tests on fresh tables).
   */
  readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Pause between polls of an idle shard (Lambda polls each shard about four times a second). */
  readonly pollIntervalMs?: number;
  /** Pause before a retry of a failed batch. */
  readonly retryDelayMs?: number;
  readonly onFailure?: (failure: StreamFailure) => void;
  /**
   * Lambda filter patterns (the event source mapping's FilterCriteria): a record matching none is
   * dropped before the handler, as Lambda drops it. Unset, every record is handed over.
   */
  readonly filterPatterns?: readonly Record<string, unknown>[];
  readonly log?: (message: string, error?: unknown) => void;
}

/** A running stream source. */
export interface StreamSource {
  readonly functionName: string;
  /** Resolves once every change written so far has been handed to the handler successfully or given up. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops polling; resolves once the batch in hand has finished. */
  stop(): Promise<void>;
}

/** Why a stream source cannot start. */
export class StreamSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamSourceError';
  }
}

const DESCRIBE_EVERY_MS = 1_000;

interface ShardState {
  readonly shard: Shard;
  iterator?: string | undefined;
  lastSequence?: string | undefined;
  /** Records read but not yet handled successfully (a failed batch is kept here and retried). */
  pending: _Record[];
  attempts: number;
  finished: boolean;
}

/** Starts reading a table's stream. */
export async function startStreamSource(options: StreamSourceOptions): Promise<StreamSource> {
  const { Streams = [] } = await options.streams.send(
    new ListStreamsCommand({ TableName: options.tableName }),
  );
  const streamArn = Streams[0]?.StreamArn;
  if (!streamArn)
    throw new StreamSourceError(`Table ${options.tableName} has no stream (StreamSpecification)`);
  const shards = new Map<string, ShardState>();
  for (const shard of await describeShards(options, streamArn)) {
    const state: ShardState = { shard, pending: [], attempts: 0, finished: false };
    const position = options.startingPosition ?? 'LATEST';
    // From LATEST, only the open shards matter; from TRIM_HORIZON, closed ones are read first.
    if (position === 'TRIM_HORIZON') state.iterator = await iteratorFor(options, streamArn, shard, position);
    else if (!shard.SequenceNumberRange?.EndingSequenceNumber) {
      state.iterator = await iteratorFor(options, streamArn, shard, position);
    } else state.finished = true;
    shards.set(shard.ShardId ?? '', state);
  }
  let stopped = false;
  // When the latest pass that found nothing to do began.
  let lastIdlePass = 0;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    let describedAt = Date.now();
    while (!stopped) {
      const passStarted = Date.now();
      if (Date.now() - describedAt >= DESCRIBE_EVERY_MS) {
        describedAt = Date.now();
        await discoverShards(options, streamArn, shards).catch((error) =>
          options.log?.('describe failed', error),
        );
      }
      let busy = false;
      for (const state of shards.values()) {
        if (stopped || state.finished || !parentFinished(state, shards)) continue;
        busy = (await pollShard(options, streamArn, state).catch(pollError(options, state))) || busy;
      }
      if (!busy) {
        lastIdlePass = passStarted;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, options.pollIntervalMs ?? 250);
        });
        wake = undefined;
      }
    }
  })();
  return {
    functionName: options.functionName,
    async caughtUp(timeoutMs = 10_000) {
      // Caught up: a full pass over every shard found nothing to do after this call was made.
      const asked = Date.now();
      while (!(lastIdlePass > asked && [...shards.values()].every((state) => state.pending.length === 0))) {
        if (Date.now() - asked > timeoutMs)
          throw new StreamSourceError(`${options.functionName}: stream not caught up`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

/** Reads (or re-reads, after a failure) one batch of a shard and hands it over; true if there were records. */
async function pollShard(
  options: StreamSourceOptions,
  streamArn: string,
  state: ShardState,
): Promise<boolean> {
  if (state.pending.length === 0) {
    let output: { Records?: _Record[] | undefined; NextShardIterator?: string | undefined } | undefined;
    while (!output) {
      const fresh = !state.iterator;
      if (!state.iterator) {
        state.iterator = await iteratorFor(
          options,
          streamArn,
          state.shard,
          state.lastSequence ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          state.lastSequence,
        );
      }
      try {
        output = await options.streams.send(
          new GetRecordsCommand({ ShardIterator: state.iterator, Limit: options.batchSize }),
        );
      } catch (error) {
        // Iterators last 15 minutes: get a new one after the last record handled.
        if (error instanceof ExpiredIteratorException) {
          state.iterator = undefined;
          return true;
        }
        // DynamoDB Local answers this way to a TRIM_HORIZON iterator taken while the shard had no
        // record, even once records have arrived: take a fresh iterator and read again at once.
        // Only a fresh iterator that still finds nothing means the shard is empty; treating a
        // stale one as empty made caughtUp() answer before records written earlier were handed over.
        if (error instanceof TrimmedDataAccessException && !state.lastSequence) {
          state.iterator = undefined;
          if (fresh) return false;
          continue;
        }
        throw error;
      }
    }
    state.pending = (output.Records ?? []).filter((record) => passesFilter(options, streamArn, record));
    state.iterator = output.NextShardIterator;
    // A closed shard's iterator ends: the shard is finished once its last records are handled.
    if (!state.iterator && state.pending.length === 0) state.finished = true;
    if (state.pending.length === 0) return false;
  }
  await handleBatch(options, streamArn, state);
  if (!state.iterator && state.pending.length === 0) state.finished = true;
  return true;
}

/**
 * Invokes the handler with the pending records (or the first half, after a thrown error: bisect)
 * and drops what succeeded from the front of the pending list.
 */
async function handleBatch(
  options: StreamSourceOptions,
  streamArn: string,
  state: ShardState,
): Promise<void> {
  const size =
    state.attempts > 0
      ? Math.max(1, Math.ceil(state.pending.length / 2 ** state.attempts))
      : state.pending.length;
  const batch = state.pending.slice(0, size);
  const event: DynamoDBStreamEvent = {
    Records: batch.map((record) => toLambdaRecord(record, streamArn, options.region)),
  };
  const timeoutMs = options.timeoutSeconds * 1000;
  let failedFrom: number;
  let failure: unknown;
  try {
    const response = await withTimeout(
      options.handler(event, lambdaContext(options.functionName, options.region, timeoutMs)),
      timeoutMs,
    );
    failedFrom = firstFailedIndex(response, event);
    failure = failedFrom < batch.length ? new Error('the handler reported batch item failures') : undefined;
  } catch (error) {
    failedFrom = 0;
    failure = error;
  }
  const done = batch.slice(0, failedFrom);
  if (done.length > 0) {
    state.lastSequence = done.at(-1)?.dynamodb?.SequenceNumber;
    state.pending = state.pending.slice(done.length);
    state.attempts = 0;
  }
  if (failure === undefined) return;
  state.attempts++;
  options.log?.(`${options.functionName}: ${batch.length - done.length} records left for retry`, failure);
  if (state.attempts > options.maxRetryAttempts) {
    // Given up, as Lambda does after retryAttempts: the failed record goes to the on-failure
    // destination and the shard moves past it.
    const failed = state.pending[0];
    options.onFailure?.({
      streamArn,
      shardId: state.shard.ShardId ?? '',
      firstSequenceNumber: failed?.dynamodb?.SequenceNumber ?? '',
      lastSequenceNumber: failed?.dynamodb?.SequenceNumber ?? '',
      records: 1,
      error: failure,
    });
    state.lastSequence = failed?.dynamodb?.SequenceNumber;
    state.pending = state.pending.slice(1);
    state.attempts = 0;
    return;
  }
  await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 200));
}

/** The index of the first record to retry: Lambda checkpoints before the lowest failed sequence number. */
export function firstFailedIndex(
  response: Awaited<ReturnType<StreamHandler>>,
  event: DynamoDBStreamEvent,
): number {
  const sequence = event.Records.map((record) => record.dynamodb?.SequenceNumber);
  let first = event.Records.length;
  for (const failure of response?.batchItemFailures ?? []) {
    const index = sequence.indexOf(failure?.itemIdentifier);
    // An identifier that is empty or not in the batch fails the whole batch, as on Lambda.
    if (!failure?.itemIdentifier || index < 0) return 0;
    first = Math.min(first, index);
  }
  return first;
}

function passesFilter(options: StreamSourceOptions, streamArn: string, record: _Record): boolean {
  const patterns = options.filterPatterns;
  if (!patterns) return true;
  const lambdaRecord = toLambdaRecord(record, streamArn, options.region);
  return patterns.some((pattern) => matchesFilterPattern(pattern, lambdaRecord));
}

/** The record Lambda builds from a stream record. */
export function toLambdaRecord(record: _Record, streamArn: string, region: string): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName ?? 'MODIFY',
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(change.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(change.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      Keys: change.Keys as never,
      ...(change.NewImage ? { NewImage: change.NewImage as never } : {}),
      ...(change.OldImage ? { OldImage: change.OldImage as never } : {}),
      SequenceNumber: change.SequenceNumber ?? '',
      SizeBytes: change.SizeBytes ?? 0,
      StreamViewType: change.StreamViewType ?? 'NEW_AND_OLD_IMAGES',
    },
  };
}

async function describeShards(options: StreamSourceOptions, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const { StreamDescription } = await options.streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
    );
    shards.push(...(StreamDescription?.Shards ?? []));
    start = StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return shards;
}

/** Adds shards that appeared since (rollover): they are read from their start. */
async function discoverShards(
  options: StreamSourceOptions,
  streamArn: string,
  shards: Map<string, ShardState>,
) {
  for (const shard of await describeShards(options, streamArn)) {
    const id = shard.ShardId ?? '';
    if (!shards.has(id)) shards.set(id, { shard, pending: [], attempts: 0, finished: false });
  }
}

function parentFinished(state: ShardState, shards: Map<string, ShardState>): boolean {
  const parent = state.shard.ParentShardId ? shards.get(state.shard.ParentShardId) : undefined;
  // A parent no longer listed has been trimmed: nothing of it is left to read.
  return !parent || parent.finished;
}

async function iteratorFor(
  options: StreamSourceOptions,
  streamArn: string,
  shard: Shard,
  type: ShardIteratorType,
  sequenceNumber?: string,
): Promise<string | undefined> {
  const output = await options.streams.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shard.ShardId,
      ShardIteratorType: type,
      ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
    }),
  );
  return output.ShardIterator;
}

function pollError(options: StreamSourceOptions, state: ShardState) {
  return (error: unknown): boolean => {
    options.log?.(`${options.functionName}: reading shard ${state.shard.ShardId} failed`, error);
    return false;
  };
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the handler did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
