/**
 * `npm run bench:touchpoints -- [--n 10000] [--customers 1000] [--paths api-single,queue] [--deadline 600]
 * [--concurrency 2]` (concurrent batches of the queue consumer):
 * for each path (the API with one event or a `{ batch }` of 100 per request; the touchpoints queue
 * with one event per SQS message, ten messages per SendMessageBatch, or published with the client's
 * TouchpointBatchPublisher as configured by default: `{ batch }` of up to 25 events per message), starts
 * the local runtime on fresh tables and queues of the shared emulators with only the handlers that
 * path uses (and the ledger's stream consumer, which reads every write to the messages table),
 * publishes N events of a realistic mix (bench/lib/touchpoint-mix.ts), counts every AWS request by
 * service and call, and prints requests per event, the cost per million events against the floor
 * (bench/lib/touchpoint-floor.ts) and the issue's targets, and the reconciliation: every accepted
 * event stored exactly once where it belongs, read back with a consistent scan. Exits non-zero when
 * the reconciliation fails.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbSourceStore } from '../functions/adapters/dynamodb/source-store';
import { sqsJson } from '../functions/adapters/sqs/sqs-json';
import { AddressPepperEnv } from '../functions/config';
import type { TouchpointEventInput, TouchpointsAccepted } from '../functions/contract';
import { newSource } from '../functions/domain/sources/write-keys';
import { ledgerStream } from '../infra/resources';
import { localAddressPepper } from '../local/address-pepper';
import { createResources, type LocalEndpoints, localClientConfig } from '../local/emulators';
import { handlerRegistry } from '../local/handler-registry';
import { startLocalRuntime } from '../local/runtime';
import {
  DEFAULT_EVENTS_PER_MESSAGE,
  TouchpointBatchPublisher,
} from '../packages/client/src/touchpoint-batch-publisher';
import type { CallCount, RequestCounter } from './lib/aws-requests';
import { chunk, inParallel } from './lib/batches';
import { type CostPerMillion, costPerMillion } from './lib/cost';
import { measureEachPath, observerClients } from './lib/path-runs';
import { queueDepth, waitUntilQuiet } from './lib/queues';
import {
  reconcileTouchpoints,
  type StoredTouchpointKey,
  type TouchpointReconciliation,
} from './lib/reconcile-touchpoints';
import { type TouchpointTransport, touchpointFloorPerMillion } from './lib/touchpoint-floor';
import { type TouchpointMixCounts, touchpointMix } from './lib/touchpoint-mix';
import { seedCustomers, timed } from './load';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

/** One way in for events, as publishers use it. */
export interface TouchpointPath {
  readonly name: string;
  readonly label: string;
  readonly transport: TouchpointTransport;
  /** Published with `@switchboard/client`'s TouchpointBatchPublisher (its defaults) rather than raw SendMessageBatch. */
  readonly publisher?: true;
  /** The issue's target, requests only, USD per million events. */
  readonly targetPerMillion: number;
}

/** The paths measured, in order. */
export const TOUCHPOINT_PATHS: readonly TouchpointPath[] = [
  {
    name: 'api-single',
    label: 'API, one event per POST /v1/events',
    transport: { kind: 'api', eventsPerRequest: 1 },
    targetPerMillion: 2.5,
  },
  {
    name: 'api-batch',
    label: 'API, { batch } of 100 events per POST /v1/events (as Segment clients batch)',
    transport: { kind: 'api', eventsPerRequest: 100 },
    targetPerMillion: 2.5,
  },
  {
    name: 'ingest-single',
    label: 'public ingest (function URL, server write key), one event per POST /ingest/v1/events',
    transport: { kind: 'ingest', eventsPerRequest: 1 },
    targetPerMillion: 2.5,
  },
  {
    name: 'queue',
    label: 'queue, one event per SQS message, SendMessageBatch of 10 messages',
    transport: { kind: 'queue', eventsPerMessage: 1 },
    targetPerMillion: 1.5,
  },
  {
    name: 'queue-publisher',
    label:
      'queue, published with TouchpointBatchPublisher as configured by default ({ batch } of up to 25 events per SQS message, SendMessageBatch of up to 10 messages)',
    transport: { kind: 'queue', eventsPerMessage: DEFAULT_EVENTS_PER_MESSAGE },
    publisher: true,
    targetPerMillion: 1.5,
  },
];

/** The target ratio of measured requests to the floor. */
export const FLOOR_RATIO_TARGET = 1.3;

/** What one path measured. */
export interface TouchpointPathResult {
  readonly path: TouchpointPath;
  readonly n: number;
  readonly counts: TouchpointMixCounts;
  readonly seconds: number;
  /** Concurrent batches of the queue consumer (queue paths only). */
  readonly queueConcurrency: number;
  readonly calls: readonly CallCount[];
  readonly lambda: ReadonlyMap<string, { invocations: number; durationMs: number }>;
  readonly httpApiRequests: number;
  readonly cost: CostPerMillion;
  readonly floor: CostPerMillion;
  readonly reconciliation: TouchpointReconciliation;
}

/** Options of one bench run. */
export interface TouchpointBenchOptions {
  readonly n: number;
  readonly customers: number;
  readonly paths: readonly TouchpointPath[];
  readonly deadlineSeconds: number;
  /**
   * Concurrent batches of the queue consumer (Lambda's maxConcurrency is 10): locally, on two
   * shared cores, ten batches of 100 events each outrun DynamoDB Local and time out.
   */
  readonly queueConcurrency: number;
  /** Called with each path's result as soon as it is measured (a long run shows progress). */
  readonly onResult?: (result: TouchpointPathResult) => void;
}

/** Runs every path on one set of emulators (each path on tables and queues of its own). */
export async function runTouchpointBench(options: TouchpointBenchOptions): Promise<TouchpointPathResult[]> {
  return measureEachPath(
    options.paths,
    (endpoints, counter, path) => runPath(endpoints, counter, path, options),
    { onResult: options.onResult },
  );
}

async function runPath(
  endpoints: LocalEndpoints,
  counter: RequestCounter,
  path: TouchpointPath,
  options: TouchpointBenchOptions,
): Promise<TouchpointPathResult> {
  const runId = `tp-${path.name}-${Date.now().toString(36)}`;
  const resources = await createResources(endpoints, { suffix: `-${runId}` });
  const emulators = { ...endpoints, ...resources };
  const observers = observerClients(endpoints, counter);
  const { sqs: observerSqs, dynamodb: observerDynamodb } = observers;
  // Seeding keys addresses with a pepper; the runtime sets its own when it starts, which the
  // touchpoint paths never use (they find profiles by id, not by address).
  process.env[AddressPepperEnv.LOCAL_PEPPER] ??= localAddressPepper();
  const customerIds = await seedCustomers(observerDynamodb, resources.tables.customers, options.customers);
  const mix = touchpointMix({ n: options.n, customerIds, runId });

  const consumer =
    path.transport.kind === 'api'
      ? 'api'
      : path.transport.kind === 'ingest'
        ? 'public-ingest'
        : 'record-touchpoints';
  const lambda = new Map<string, { invocations: number; durationMs: number }>();
  let httpApiRequests = 0;
  const registry = handlerRegistry
    .filter((registration) => registration.file === consumer || registration.file === ledgerStream.file)
    .map((registration) =>
      timed(registration, lambda, () => {
        // A function URL (the public ingest) costs its invocation only; API Gateway bills /v1.
        if (path.transport.kind === 'api') httpApiRequests++;
      }),
    );
  // Counting starts before the runtime: the event source's first long polls receive the first events.
  counter.reset();
  counter.active = true;
  const runtime = await startLocalRuntime({
    rootDir: mkdtempSync(join(tmpdir(), 'switchboard-touchpoints-')),
    handlersDir: join(__dirname, '..', 'functions', 'handlers'),
    emulators,
    registry,
    maxConcurrency: options.queueConcurrency,
    // BENCH_LOG=1 shows the runtime's notices (failed batches) on stderr.
    log: process.env.BENCH_LOG ? (line) => console.error(line) : () => {},
  });
  const publisher = new SQSClient(localClientConfig(endpoints, endpoints.sqsEndpoint));
  try {
    const started = performance.now();
    const deadline = Date.now() + options.deadlineSeconds * 1000;
    let accepted: number | undefined;
    if (path.transport.kind === 'api') {
      accepted = await postAll(runtime.http.url, mix.events, path.transport.eventsPerRequest);
    } else if (path.transport.kind === 'ingest') {
      // A backend's secret key: its events are trusted as sent, like the IAM API's.
      const backend = newSource('bench backend', 'server');
      const sources = new DynamoDbSourceStore({
        client: observerDynamodb,
        tableName: resources.tables.customers,
      });
      await sources.create(backend.source);
      accepted = await postAll(runtime.http.url, mix.events, 1, backend.writeKey);
    } else if (path.publisher) {
      await publishAll(publisher, resources.queues.touchpoints, mix.events);
    } else {
      await sendAll(publisher, resources.queues.touchpoints, mix.events, path.transport.eventsPerMessage);
    }
    const queues =
      path.transport.kind === 'queue' ? [resources.queues.touchpoints, resources.queues.touchpointsDlq] : [];
    await waitUntilQuiet(observerSqs, queues, lambda, deadline);
    const seconds = (performance.now() - started) / 1000;
    counter.active = false;

    const leftOnQueues = (await Promise.all(queues.map((url) => queueDepth(observerSqs, url)))).reduce(
      (sum, depth) => sum + depth,
      0,
    );
    const stored = await scanTouchpoints(observerDynamodb, resources.tables.messages);
    const reconciliation = reconcileTouchpoints({
      homes: mix.homes,
      stored,
      ...(accepted !== undefined ? { accepted } : {}),
      leftOnQueues,
    });
    const calls = [...counter.calls.values()].map((call) => ({ ...call }));
    return {
      path,
      n: options.n,
      counts: mix.counts,
      seconds,
      queueConcurrency: options.queueConcurrency,
      calls,
      lambda,
      httpApiRequests,
      cost: costPerMillion({ calls, lambda, httpRequests: 0, httpApiRequests }, options.n),
      floor: touchpointFloorPerMillion(mix.counts, path.transport),
      reconciliation,
    };
  } finally {
    counter.active = false;
    await runtime.stop();
    publisher.destroy();
    observers.destroy();
  }
}

/**
 * Requests in flight on the API paths: eight single events, or two batches (eight batches of 100
 * at once overran DynamoDB Local on two shared cores).
 */
function requestsInFlight(eventsPerRequest: number): number {
  return eventsPerRequest === 1 ? 8 : 2;
}

/** Posts the events as one event or `{ batch }` bodies; returns the accepted count. */
async function postAll(
  httpUrl: string,
  events: readonly TouchpointEventInput[],
  perRequest: number,
  writeKey?: string,
): Promise<number> {
  const bodies = chunk(events, perRequest).map((batch) => (perRequest === 1 ? batch[0] : { batch }));
  const path = writeKey ? '/ingest/v1/events' : '/v1/events';
  const auth: Record<string, string> = writeKey
    ? { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` }
    : {};
  let accepted = 0;
  await inParallel(bodies, requestsInFlight(perRequest), async (body) => {
    const response = await fetch(`${httpUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 202) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
    accepted += (JSON.parse(text) as TouchpointsAccepted).accepted;
  });
  return accepted;
}

/** Sends the events as SQS messages of one event or a `{ batch }`, ten messages per SendMessageBatch. */
async function sendAll(
  sqs: SQSClient,
  queueUrl: string,
  events: readonly TouchpointEventInput[],
  perMessage: number,
): Promise<void> {
  const bodies = chunk(events, perMessage).map((batch) => (perMessage === 1 ? batch[0] : { batch }));
  await inParallel(chunk(bodies, 10), 4, async (entries) => {
    const output = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.map((body, index) => ({ Id: String(index), MessageBody: sqsJson(body) })),
      }),
    );
    if (output.Failed?.length)
      throw new Error(`SendMessageBatch failed: ${JSON.stringify(output.Failed[0])}`);
  });
}

/** Publishes the events with the client's batching publisher, as a service would; fails on any failed event. */
async function publishAll(
  sqs: SQSClient,
  queueUrl: string,
  events: readonly TouchpointEventInput[],
): Promise<void> {
  const publisher = new TouchpointBatchPublisher({ client: sqs, queueUrl });
  const published = events.map((event) => publisher.publish(event));
  await publisher.close();
  const failed = (await Promise.all(published)).filter((result) => result.status === 'failed');
  if (failed.length > 0) throw new Error(`TouchpointBatchPublisher failed: ${JSON.stringify(failed[0])}`);
}

/** Every touchpoint key in the table, read with a strongly consistent scan. */
async function scanTouchpoints(dynamodb: DynamoDBClient, table: string): Promise<StoredTouchpointKey[]> {
  const keys: StoredTouchpointKey[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ProjectionExpression: 'pk, sk',
        ...(startKey ? { ExclusiveStartKey: startKey as ScanCommand['input']['ExclusiveStartKey'] } : {}),
      }),
    );
    for (const item of page.Items ?? []) keys.push({ pk: item.pk?.S ?? '', sk: item.sk?.S ?? '' });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return keys;
}

/** One path's result as printable lines (the same table goes into docs/BENCHMARKS.md). */
export function describeTouchpointPath(result: TouchpointPathResult): string[] {
  const f = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
  const { counts, n } = result;
  const requestsOnly = result.cost.total - result.cost.lambdaCompute;
  const ratio = requestsOnly / result.floor.total;
  const target = result.path.targetPerMillion;
  const verdict = (met: boolean, by: string) => (met ? 'met' : `missed by ${by}`);
  return [
    `${result.path.name}: ${result.path.label}`,
    `  N=${n} (${counts.customerEvents} with a userId of which ${counts.traitIdentifies} identify with traits, ${counts.stitches} stitching; ${counts.anonymousEvents} anonymous, ${counts.movedEvents} of them before their stitch); ${f(result.seconds, 1)} s${result.path.transport.kind === 'queue' ? `; consumer concurrency ${result.queueConcurrency}` : `; ${requestsInFlight(result.path.transport.eventsPerRequest)} requests in flight`}`,
    '  AWS requests per event:',
    ...[...result.calls]
      .sort((a, b) => `${a.service} ${a.call}`.localeCompare(`${b.service} ${b.call}`))
      .map(
        (call) =>
          `    ${`${call.service} ${call.call}`.padEnd(34)} ${f(call.requests / n).padStart(7)} req` +
          (call.readUnits || call.writeUnits
            ? `  ${f(call.readUnits / n)} RRU  ${f(call.writeUnits / n)} WRU${call.gsiWriteUnits ? ` (${f(call.gsiWriteUnits / n)} on indexes)` : ''}`
            : ''),
      ),
    ...(result.httpApiRequests > 0
      ? [`    ${'API Gateway HTTP API'.padEnd(34)} ${f(result.httpApiRequests / n).padStart(7)} req`]
      : []),
    '  Lambda invocations per event:',
    ...[...result.lambda.entries()]
      .filter(([, tally]) => tally.invocations > 0)
      .map(
        ([name, tally]) =>
          `    ${name.padEnd(34)} ${f(tally.invocations / n).padStart(7)}  (${f(tally.durationMs / tally.invocations, 1)} ms each, in-process)`,
      ),
    `  cost per 1M events, requests only: ${costLine({ ...result.cost, lambda: result.cost.lambda - result.cost.lambdaCompute, total: requestsOnly })}`,
    `  floor per 1M events:               ${costLine(result.floor)}`,
    `  target at most $${target.toFixed(2)}: ${verdict(requestsOnly <= target, `$${f(requestsOnly - target)} (${f((requestsOnly / target - 1) * 100, 1)}%)`)}; ratio to floor ${f(ratio, 2)}× (target at most ${FLOOR_RATIO_TARGET}×: ${verdict(ratio <= FLOOR_RATIO_TARGET, `${f(ratio - FLOOR_RATIO_TARGET, 2)}×`)})`,
    `  (Lambda duration, measured in-process and not in the target: $${f(result.cost.lambdaCompute)} per 1M)`,
    `  reconciliation: ${result.reconciliation.storedOnce} of ${result.reconciliation.expected} events stored exactly once where they belong${result.reconciliation.findings.length === 0 ? '' : ' — FAILED'}`,
    ...result.reconciliation.findings.slice(0, 20).map((finding) => `    ${finding}`),
  ];
}

function costLine(cost: CostPerMillion): string {
  return `$${cost.total.toFixed(3)} = HTTP API $${cost.httpApi.toFixed(3)} + Lambda $${cost.lambda.toFixed(3)} + SQS $${cost.sqs.toFixed(3)} + DynamoDB $${cost.dynamodb.toFixed(3)}`;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const n = Number(argument('n') ?? 10_000);
  const names = argument('paths')?.split(',');
  const paths = names ? TOUCHPOINT_PATHS.filter((path) => names.includes(path.name)) : TOUCHPOINT_PATHS;
  if (names && paths.length !== names.length) {
    throw new Error(`--paths takes ${TOUCHPOINT_PATHS.map((path) => path.name).join(', ')}`);
  }
  const results = await runTouchpointBench({
    n,
    customers: Number(argument('customers') ?? Math.min(1000, n)),
    paths,
    deadlineSeconds: Number(argument('deadline') ?? 600),
    queueConcurrency: Number(argument('concurrency') ?? 2),
    onResult: (result) => {
      for (const line of describeTouchpointPath(result)) console.log(line);
    },
  });
  if (results.some((result) => result.reconciliation.findings.length > 0)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
