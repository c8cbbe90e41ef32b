/**
 * `npm run bench:journeys -- [--n 1000] [--paths converted,timed-out] [--deadline 600]`
 * `npm run bench:journeys -- --load 100000 [--convert 0.3] [--hold 600] [--concurrency 16]`
 *
 * Cost: for each path of `cart-recovery` (converted: Product Added, then Order Completed with the
 * same cartId before the first timeout; timed out: both reminders, then exit), starts the local
 * runtime on fresh tables and queues of the shared emulators with only the engine's handlers
 * (journey-events on the messages table's stream, journey-timers), records N carts' touchpoints
 * with the touchpoint code on an uncounted client (their cost is bench/touchpoints.ts's), counts
 * every AWS request the engine makes, with EventBridge Scheduler stood in for as on AWS
 * (bench/lib/scheduler-stand-in.ts), and prints requests and cost per million runs against the
 * floor (bench/lib/journey-floor.ts) and the issue's targets. No router runs: the messages the runs
 * ask for stay on the outbound queue, where the bench reads them (delivering them is priced per
 * message in bench/load.ts, not per run).
 *
 * Load (`--load N`): N runs enter through the engine's `applyEvent` called in-process with
 * `--concurrency` inputs in flight (the local stream has one shard, read one batch at a time, which
 * would make entering N runs a serial walk; on AWS the stream has many shards), all wait in
 * `wait-for-order` at once, then a share gets its Order Completed (in-process too) and the rest
 * time out through the runtime's journey-timers consumer; the timers' clock is compressed so that
 * the first timeout fires `--hold` seconds after each entry (more than entering and ordering take).
 * That every run waited at once is read from the items at the end: the last entry (`enteredAt`)
 * came before the first departure from wait-for-order (a step's or a goal exit's time).
 *
 * Both end with the reconciliation: every run ended as its path says, each reminder asked for
 * exactly once (requestIds `<runId>.<stepId>` on the outbound queue, no duplicates), none lost.
 * Exits non-zero when it fails.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { fromRunItem } from '../functions/adapters/dynamodb/journey-run-store';
import { loadJourneys } from '../functions/adapters/files/journey-files';
import type { JourneyTimerQueue } from '../functions/adapters/sqs/journey-timer-queue';
import type { TouchpointEventInput } from '../functions/contract';
import { applyEvent } from '../functions/domain/journeys/journey-engine';
import type { JourneyEnginePorts } from '../functions/domain/journeys/journey-ports';
import type { JourneyEvent } from '../functions/domain/journeys/journey-run';
import { recordTouchpoints } from '../functions/domain/touchpoints/record-touchpoints';
import { JourneyEnv, type JourneysConfig, journeysConfigFromEnv } from '../functions/journeys-config';
import { touchpointsConfigFromEnv } from '../functions/touchpoints-config';
import { journeyPorts } from '../functions/wiring/journey-ports';
import { touchpointPorts } from '../functions/wiring/touchpoint-ports';
import { journeyStreamPatterns } from '../infra/journey-stream-filter';
import { journeyStream } from '../infra/resources';
import { createResources, type LocalEndpoints, localClientConfig, startEmulators } from '../local/emulators';
import type { HandlerModule, HandlerRegistration, LocalHandlerDeps } from '../local/handler-registry';
import { startLocalRuntime } from '../local/runtime';
import type { StreamHandler } from '../local/stream-source';
import {
  type CallCount,
  EMPTY_RECEIVE,
  installRequestCounter,
  type RequestCounter,
} from './lib/aws-requests';
import { chunk, inParallel } from './lib/batches';
import { type CostPerMillion, costPerMillion } from './lib/cost';
import { dynamoItemBytes } from './lib/item-size';
import { CART_RECOVERY_FLOOR, type CartRecoveryPath, journeyFloorPerMillion } from './lib/journey-floor';
import { measureEachPath, observerClients } from './lib/path-runs';
import { waitUntilQuiet } from './lib/queues';
import { AwsJourneyTimers, SchedulerStandIn } from './lib/scheduler-stand-in';
import { timed } from './load';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const JOURNEY_ID = 'cart-recovery';
const REPO_JOURNEYS = join(__dirname, '..', 'journeys');

/** The issue's targets: USD per million runs (requests only), and the ratio to the floor. */
const JOURNEY_TARGET_PER_MILLION = 10;
/** The target ratio of measured requests to the floor. */
const FLOOR_RATIO_TARGET = 1.3;

/** One path of cart-recovery as the bench drives it. */
interface JourneyBenchPath {
  readonly name: CartRecoveryPath;
  readonly label: string;
  /**
   * SWITCHBOARD_TIME_SCALE: converted runs must still wait when their order arrives (1 h of journey
   * time is 300 s at 12); timed-out runs should take seconds (1 h is 0.1 s and 24 h 2.4 s at 36,000).
   */
  readonly timeScale: number;
}

/** The paths measured, in order. */
const JOURNEY_PATHS: readonly JourneyBenchPath[] = [
  {
    name: 'converted',
    label: 'Product Added, then Order Completed with the same cartId before the first timeout',
    timeScale: 12,
  },
  {
    name: 'timed-out',
    label: 'no order: the push reminder after 1 h, the WhatsApp reminder after 24 h more, then exit',
    timeScale: 36_000,
  },
];

/** What a run of each path must have done, read back from its item. */
const EXPECTED: Record<CartRecoveryPath, { exitReason: string; path: string[]; sends: string[] }> = {
  converted: { exitReason: 'goal', path: [], sends: [] },
  'timed-out': {
    exitReason: 'completed',
    path: [
      'wait-for-order:timeout',
      'push-reminder:sent cart-reminder',
      'wait-again:timeout',
      'whatsapp-reminder:sent cart-reminder',
      'reminded:exit',
    ],
    sends: ['push-reminder', 'whatsapp-reminder'],
  },
};

/** The outcome of checking every run and every message asked for. */
interface JourneyReconciliation {
  readonly expected: number;
  readonly endedAsExpected: number;
  readonly messages: number;
  readonly findings: string[];
}

/** What one path measured. */
interface JourneyPathResult {
  readonly path: JourneyBenchPath;
  readonly n: number;
  readonly seconds: number;
  readonly calls: readonly CallCount[];
  readonly lambda: ReadonlyMap<string, { invocations: number; durationMs: number }>;
  /** Mean size of a run item at the end, in bytes (DynamoDB's item size: names and values). */
  readonly meanItemBytes: number;
  readonly cost: CostPerMillion;
  readonly floor: CostPerMillion;
  readonly reconciliation: JourneyReconciliation;
}

/** A cart's two events, as a shop publishes them. */
function productAdded(customerId: string, cartId: string): TouchpointEventInput {
  return {
    type: 'track',
    event: 'Product Added',
    userId: customerId,
    messageId: `pa-${cartId}`,
    timestamp: new Date().toISOString(),
    context: { channel: 'web' },
    properties: {
      cartId,
      items: [{ name: 'Linen shirt', quantity: 1, price: 59 }],
      total: 59,
      currency: 'EUR',
      cartUrl: 'https://shop.example.com/cart',
    },
  } as TouchpointEventInput;
}

function orderCompleted(customerId: string, cartId: string): TouchpointEventInput {
  return {
    type: 'track',
    event: 'Order Completed',
    userId: customerId,
    messageId: `oc-${cartId}`,
    timestamp: new Date().toISOString(),
    context: { channel: 'store' },
    properties: { cartId, orderId: `o-${cartId}`, revenue: 59, currency: 'EUR' },
  } as TouchpointEventInput;
}

/** A touchpoint as the engine receives it from the stream (journey-inputs.ts `touchpointEventOf`). */
function asJourneyEvent(event: TouchpointEventInput): JourneyEvent {
  const body = event as unknown as Record<string, unknown>;
  return {
    id: String(body.messageId),
    name: String(body.event),
    customerId: String(body.userId),
    at: String(body.timestamp),
    body,
  };
}

/** A folder holding cart-recovery alone: an Order Completed would otherwise start post-purchase runs too. */
function cartRecoveryOnly(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-journeys-'));
  copyFileSync(join(REPO_JOURNEYS, `${JOURNEY_ID}.yaml`), join(dir, `${JOURNEY_ID}.yaml`));
  return dir;
}

/** The engine's ports with timers routed as on AWS. */
function engineOn(
  config: JourneysConfig,
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient },
  scheduler: SchedulerStandIn,
): JourneyEnginePorts & { timerQueue: JourneyTimerQueue } {
  const ports = journeyPorts(config, clients, { bufferStats: true });
  return {
    ...ports,
    timers: new AwsJourneyTimers({
      client: clients.sqs,
      queueUrl: config.timersQueueUrl,
      scheduler,
      timeScale: config.timeScale,
    }),
  };
}

/** The engine's two handlers, built on the runtime's clients with the stood-in scheduler. */
function engineRegistry(scheduler: SchedulerStandIn, withStream: boolean): HandlerRegistration[] {
  const registrations: HandlerRegistration[] = [
    {
      kind: 'sqs',
      file: 'journey-timers',
      queue: 'journeyTimers',
      build: (module: HandlerModule, deps: LocalHandlerDeps) =>
        (module.createJourneyTimersHandler as (ports: unknown) => never)(
          engineOn(journeysConfigFromEnv(), deps, scheduler),
        ),
    },
  ];
  if (withStream) {
    registrations.unshift({
      kind: 'stream',
      file: journeyStream.file,
      source: journeyStream,
      tables: ['messages'],
      filterPatterns: (table) => journeyStreamPatterns(table, loadJourneys()),
      build: (module: HandlerModule, deps: LocalHandlerDeps) => {
        const config = journeysConfigFromEnv();
        return (module.createJourneyEventsHandler as (deps: unknown) => StreamHandler)({
          tables: { messages: config.messagesTable, customers: config.customersTable },
          engine: engineOn(config, deps, scheduler),
        });
      },
    });
  }
  return registrations;
}

/** Runs every cost path on one set of emulators (each path on tables and queues of its own). */
async function runJourneyBench(options: {
  readonly n: number;
  readonly paths: readonly JourneyBenchPath[];
  readonly deadlineSeconds: number;
  readonly onResult?: (result: JourneyPathResult) => void;
}): Promise<JourneyPathResult[]> {
  return measureEachPath(
    options.paths,
    (endpoints, counter, path) => runPath(endpoints, counter, path, options.n, options.deadlineSeconds),
    { separateEmptyReceives: true, onResult: options.onResult },
  );
}

async function runPath(
  endpoints: LocalEndpoints,
  counter: RequestCounter,
  path: JourneyBenchPath,
  n: number,
  deadlineSeconds: number,
): Promise<JourneyPathResult> {
  const tag = `jb-${path.name}-${Date.now().toString(36)}`;
  const resources = await createResources(endpoints, { suffix: `-${tag}` });
  const observers = observerClients(endpoints, counter);
  const { sqs: observerSqs, dynamodb: observerDynamodb } = observers;
  process.env[JourneyEnv.JOURNEYS_DIR] = cartRecoveryOnly();
  process.env[JourneyEnv.TIME_SCALE] = String(path.timeScale);
  const scheduler = new SchedulerStandIn({
    sqs: observerSqs,
    queueUrl: resources.queues.journeyTimers,
    counter,
  });
  const lambda = new Map<string, { invocations: number; durationMs: number }>();
  const registry = engineRegistry(scheduler, true).map((registration) =>
    timed(registration, lambda, () => {}),
  );
  counter.reset();
  counter.active = true;
  const runtime = await startLocalRuntime({
    rootDir: mkdtempSync(join(tmpdir(), 'switchboard-journeys-bench-')),
    emulators: { ...endpoints, ...resources },
    registry,
    handlersDir: join(__dirname, '..', 'functions', 'handlers'),
    log: process.env.BENCH_LOG ? (line) => console.error(line) : () => {},
  });
  try {
    const started = performance.now();
    const deadline = Date.now() + deadlineSeconds * 1000;
    const carts = Array.from({ length: n }, (_, index) => ({
      customerId: `${tag}-c${index}`,
      cartId: `cart-${index}`,
    }));
    const touchpoints = touchpointPorts(touchpointsConfigFromEnv(), observerDynamodb);
    const record = async (events: TouchpointEventInput[]) => {
      await inParallel(chunk(events, 100), 2, async (batch) => {
        const outcome = await recordTouchpoints({ batch }, touchpoints);
        if (!outcome.ok) throw new Error(`touchpoints refused: ${JSON.stringify(outcome.issues[0])}`);
      });
    };
    await record(carts.map((cart) => productAdded(cart.customerId, cart.cartId)));
    if (path.name === 'converted') {
      await until(
        () => countRuns(observerDynamodb, resources.tables.messages, 'waiting'),
        n,
        deadline,
        'waiting',
      );
      await record(carts.map((cart) => orderCompleted(cart.customerId, cart.cartId)));
    }
    await until(
      () => countRuns(observerDynamodb, resources.tables.messages, 'exited'),
      n,
      deadline,
      'exited',
    );
    await untilQuiet(observerSqs, [resources.queues.journeyTimers], lambda, scheduler, deadline);
    const seconds = (performance.now() - started) / 1000;
    counter.active = false;
    const runs = await scanRuns(observerDynamodb, resources.tables.messages);
    const requestIds = await drainOutbound(observerSqs, resources.queues.outbound);
    const expectations = new Map(carts.map((cart) => [`${cart.customerId}\n${cart.cartId}`, path.name]));
    const reconciliation = reconcileRuns(expectations, runs, requestIds);
    const calls = [...counter.calls.values()].map((call) => ({ ...call }));
    return {
      path,
      n,
      seconds,
      calls,
      lambda,
      meanItemBytes: runs.reduce((sum, run) => sum + run.bytes, 0) / Math.max(1, runs.length),
      // Idle polls of the event sources are the queue's cost per hour, not per run: listed, not priced.
      cost: costPerMillion(
        { calls: calls.filter((call) => call.call !== EMPTY_RECEIVE), lambda, httpRequests: 0 },
        n,
      ),
      floor: journeyFloorPerMillion(CART_RECOVERY_FLOOR[path.name]),
      reconciliation,
    };
  } finally {
    counter.active = false;
    scheduler.stop();
    await runtime.stop();
    observers.destroy();
  }
}

/** What the load run measured. */
interface JourneyLoadResult {
  readonly n: number;
  readonly converting: number;
  readonly concurrency: number;
  readonly enterSeconds: number;
  /**
   * Runs waiting in wait-for-order at one instant, read from the items: those entered by the last
   * entry and not yet gone from wait-for-order then (all of them when the last entry is before the
   * first departure: a step, or a goal exit).
   */
  readonly waitingAtOnce: number;
  readonly lastEntry: string;
  readonly firstDeparture: string;
  readonly orderSeconds: number;
  readonly finishSeconds: number;
  readonly totalSeconds: number;
  readonly timerInvocations: number;
  readonly reconciliation: JourneyReconciliation;
}

/** The load run (see the file's comment). */
async function runJourneyLoad(options: {
  readonly n: number;
  readonly convertShare: number;
  readonly holdSeconds: number;
  readonly concurrency: number;
  readonly deadlineSeconds: number;
  readonly log: (line: string) => void;
}): Promise<JourneyLoadResult> {
  const endpoints = await startEmulators();
  const counter = installRequestCounter();
  const tag = `jl-${Date.now().toString(36)}`;
  const resources = await createResources(endpoints, { suffix: `-${tag}` });
  const sqs = new SQSClient(localClientConfig(endpoints, endpoints.sqsEndpoint));
  const dynamodb = new DynamoDBClient(localClientConfig(endpoints, endpoints.dynamodbEndpoint));
  process.env[JourneyEnv.JOURNEYS_DIR] = cartRecoveryOnly();
  // The runtime's timers consumer: 24 h of journey time in 2.4 s.
  process.env[JourneyEnv.TIME_SCALE] = '36000';
  const scheduler = new SchedulerStandIn({
    sqs,
    queueUrl: resources.queues.journeyTimers,
    counter,
    maxInFlight: 8,
  });
  const lambda = new Map<string, { invocations: number; durationMs: number }>();
  const registry = engineRegistry(scheduler, false).map((registration) =>
    timed(registration, lambda, () => {}),
  );
  const runtime = await startLocalRuntime({
    rootDir: mkdtempSync(join(tmpdir(), 'switchboard-journeys-load-')),
    emulators: { ...endpoints, ...resources },
    registry,
    handlersDir: join(__dirname, '..', 'functions', 'handlers'),
    log: (line) => options.log(`runtime: ${line}`),
  });
  try {
    const deadline = Date.now() + options.deadlineSeconds * 1000;
    // Entries in-process: the first timeout `holdSeconds` after each entry.
    const entryConfig = { ...journeysConfigFromEnv(), timeScale: 3600 / options.holdSeconds };
    const engine = engineOn(entryConfig, { dynamodb, sqs }, scheduler);
    const carts = Array.from({ length: options.n }, (_, index) => ({
      customerId: `${tag}-c${index}`,
      cartId: `cart-${index}`,
    }));
    const started = performance.now();
    let entered = 0;
    await inParallel(carts, options.concurrency, async (cart) => {
      await applyEvent(asJourneyEvent(productAdded(cart.customerId, cart.cartId)), engine);
      entered += 1;
      if (entered % 10_000 === 0) {
        options.log(`entered ${entered} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    });
    const enterSeconds = (performance.now() - started) / 1000;
    options.log(
      `entered ${options.n} runs in ${enterSeconds.toFixed(1)} s; ${scheduler.fired} timers fired so far`,
    );
    const converting = Math.round(options.n * options.convertShare);
    const ordersStarted = performance.now();
    await inParallel(carts.slice(0, converting), options.concurrency, async (cart) => {
      await applyEvent(asJourneyEvent(orderCompleted(cart.customerId, cart.cartId)), engine);
    });
    const orderSeconds = (performance.now() - ordersStarted) / 1000;
    options.log(
      `${converting} orders applied in ${orderSeconds.toFixed(1)} s (${scheduler.fired} timers fired so far); waiting for the timers`,
    );
    await untilQuiet(sqs, [resources.queues.journeyTimers], lambda, scheduler, deadline, options.log);
    const totalSeconds = (performance.now() - started) / 1000;
    const finishSeconds = totalSeconds - enterSeconds - orderSeconds;
    options.log(`quiet after ${totalSeconds.toFixed(1)} s; reading every run and every outbound message`);
    const runs = await scanRuns(dynamodb, resources.tables.messages);
    const requestIds = await drainOutbound(sqs, resources.queues.outbound);
    const expectations = new Map<string, CartRecoveryPath>(
      carts.map((cart, index) => [
        `${cart.customerId}\n${cart.cartId}`,
        index < converting ? 'converted' : 'timed-out',
      ]),
    );
    return {
      n: options.n,
      converting,
      concurrency: options.concurrency,
      enterSeconds,
      ...waitingWindow(runs),
      orderSeconds,
      finishSeconds,
      totalSeconds,
      timerInvocations: lambda.get('journey-timers')?.invocations ?? 0,
      reconciliation: reconcileRuns(expectations, runs, requestIds),
    };
  } finally {
    scheduler.stop();
    await runtime.stop();
    counter.uninstall();
    sqs.destroy();
    dynamodb.destroy();
    await endpoints.stop();
  }
}

/** A run item as the reconciliation reads it. */
interface RunRow {
  readonly customerId: string;
  readonly key: string;
  readonly runId: string;
  readonly status: string;
  readonly exitReason?: string;
  readonly path: string[];
  readonly sendIds: string[];
  readonly stepId?: string;
  readonly bytes: number;
  /** When the run entered, and when it first left wait-for-order (its first step, or its exit). */
  readonly enteredAt: string;
  readonly leftAt?: string;
}

/** Every run item, read with a strongly consistent scan. */
async function scanRuns(dynamodb: DynamoDBClient, table: string): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        FilterExpression: 'kind = :kind',
        ExpressionAttributeValues: { ':kind': { S: 'journey-run' } },
        ...(startKey ? { ExclusiveStartKey: startKey as ScanCommand['input']['ExclusiveStartKey'] } : {}),
      }),
    );
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw);
      const { run } = fromRunItem(item);
      const leftAt = run.path[0]?.at ?? run.exit?.at;
      rows.push({
        customerId: String(item.customerId),
        key: String(item.runKey),
        runId: String(item.runId),
        status: String(item.status),
        ...(typeof item.exitReason === 'string' ? { exitReason: item.exitReason } : {}),
        path: run.path.map((entry) => `${entry.stepId}:${entry.outcome ?? ''}`),
        sendIds: (item.sendIds ?? []) as string[],
        ...(run.position ? { stepId: run.position.stepId } : {}),
        bytes: dynamoItemBytes(raw),
        enteredAt: String(run.enteredAt),
        ...(leftAt === undefined ? {} : { leftAt }),
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

/** How many runs were waiting at the instant of the last entry (entered by then, not yet left). */
function waitingWindow(runs: readonly RunRow[]): {
  waitingAtOnce: number;
  lastEntry: string;
  firstDeparture: string;
} {
  const never = '9999';
  // ISO times of one clock sort as strings.
  const lastEntry =
    runs
      .map((run) => run.enteredAt)
      .sort()
      .at(-1) ?? '';
  const firstDeparture = runs.map((run) => run.leftAt ?? never).sort()[0] ?? never;
  const waitingAtOnce = runs.filter(
    (run) => run.enteredAt <= lastEntry && (run.leftAt ?? never) > lastEntry,
  ).length;
  return { waitingAtOnce, lastEntry, firstDeparture };
}

/**
 * Runs exited (a count of the items' top-level status), or active and waiting in wait-for-order
 * (the run's position is in its compressed state, so the items are read), by a consistent scan.
 */
async function countRuns(
  dynamodb: DynamoDBClient,
  table: string,
  what: 'waiting' | 'exited',
): Promise<number> {
  if (what === 'waiting') {
    const runs = await scanRuns(dynamodb, table);
    return runs.filter((run) => run.status === 'active' && run.stepId === 'wait-for-order').length;
  }
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        Select: 'COUNT',
        FilterExpression: 'kind = :kind AND #status = :exited',
        ExpressionAttributeValues: { ':kind': { S: 'journey-run' }, ':exited': { S: 'exited' } },
        ExpressionAttributeNames: { '#status': 'status' },
        ...(startKey ? { ExclusiveStartKey: startKey as ScanCommand['input']['ExclusiveStartKey'] } : {}),
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

async function until(
  count: () => Promise<number>,
  target: number,
  deadline: number,
  what: string,
): Promise<void> {
  while (Date.now() < deadline) {
    if ((await count()) >= target) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`fewer than ${target} runs ${what} before the deadline`);
}

/** Every requestId on the outbound queue (received once each, then deleted), duplicates kept. */
async function drainOutbound(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const ids: string[] = [];
  await inParallel([0, 1, 2, 3], 4, async () => {
    let empty = 0;
    while (empty < 3) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 600,
        }),
      );
      if (Messages.length === 0) {
        empty += 1;
        continue;
      }
      empty = 0;
      for (const message of Messages) ids.push(String(JSON.parse(message.Body ?? '{}').requestId));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  });
  return ids;
}

/** Checks every run against its path, and every message asked for against the runs. */
function reconcileRuns(
  expectations: ReadonlyMap<string, CartRecoveryPath>,
  runs: readonly RunRow[],
  requestIds: readonly string[],
): JourneyReconciliation {
  const findings: string[] = [];
  const seen = new Set<string>();
  const wanted = new Set<string>();
  let endedAsExpected = 0;
  for (const run of runs) {
    const address = `${run.customerId}\n${run.key}`;
    const pathName = expectations.get(address);
    if (pathName === undefined) {
      findings.push(`unexpected run ${run.runId} of ${run.customerId} × ${run.key}`);
      continue;
    }
    if (seen.has(address)) findings.push(`two run items for ${run.customerId} × ${run.key}`);
    seen.add(address);
    const expected = EXPECTED[pathName];
    const steps = run.path.map((entry) => entry.split(':')[0]);
    const problems: string[] = [];
    if (run.status !== 'exited' || run.exitReason !== expected.exitReason) {
      problems.push(`${run.status}/${run.exitReason ?? '-'} (stepped in ${run.stepId ?? '-'})`);
    }
    if (run.path.join('|') !== expected.path.join('|'))
      problems.push(`path ${run.path.join(' → ') || '(none)'}`);
    if (new Set(steps).size !== steps.length) problems.push('a step taken twice');
    const sends = expected.sends.map((step) => `${run.runId}.${step}`);
    if ([...run.sendIds].sort().join('|') !== [...sends].sort().join('|')) {
      problems.push(`sendIds ${run.sendIds.join(', ') || '(none)'}`);
    }
    for (const id of sends) wanted.add(id);
    if (problems.length === 0) endedAsExpected += 1;
    else findings.push(`${pathName} run ${run.runId}: ${problems.join('; ')}`);
  }
  for (const address of expectations.keys()) {
    if (!seen.has(address)) findings.push(`lost: no run for ${address.replace('\n', ' × ')}`);
  }
  const counts = new Map<string, number>();
  for (const id of requestIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, count] of counts) {
    if (!wanted.has(id)) findings.push(`a message no run asked for: ${id}`);
    else if (count > 1) findings.push(`asked for ${count} times: ${id}`);
  }
  for (const id of wanted) if (!counts.has(id)) findings.push(`lost message: ${id}`);
  return { expected: expectations.size, endedAsExpected, messages: requestIds.length, findings };
}

/** Waits until the engine is done: timers queue empty, no schedule pending, no handler running. */
async function untilQuiet(
  sqs: SQSClient,
  queueUrls: readonly string[],
  lambda: ReadonlyMap<string, { invocations: number }>,
  scheduler: SchedulerStandIn,
  deadline: number,
  log?: (line: string) => void,
): Promise<void> {
  const invocations = () => [...lambda.values()].reduce((sum, tally) => sum + tally.invocations, 0);
  const quiet = await waitUntilQuiet(sqs, queueUrls, lambda, deadline, {
    pending: () => scheduler.pending,
    ...(log
      ? {
          progress: () =>
            log(
              `  ${invocations()} consumer invocations, ${scheduler.fired} schedules fired, ${scheduler.pending} pending`,
            ),
        }
      : {}),
  });
  if (!quiet) throw new Error('the engine was still busy at the deadline');
}

/** One path's result as printable lines (the same table goes into docs/BENCHMARKS.md). */
function describeJourneyPath(result: JourneyPathResult): string[] {
  const f = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
  const { n } = result;
  const requestsOnly = result.cost.total - result.cost.lambdaCompute;
  const ratio = requestsOnly / result.floor.total;
  const verdict = (met: boolean, by: string) => (met ? 'met' : `missed by ${by}`);
  return [
    `${result.path.name}: ${result.path.label}`,
    `  N=${n} runs; SWITCHBOARD_TIME_SCALE=${result.path.timeScale}; ${f(result.seconds, 1)} s; mean run item ${f(result.meanItemBytes / 1024, 2)} KB at the end`,
    '  AWS requests per run (the engine only; Scheduler stood in for as on AWS):',
    ...[...result.calls]
      .sort((a, b) => `${a.service} ${a.call}`.localeCompare(`${b.service} ${b.call}`))
      .map(
        (call) =>
          `    ${`${call.service} ${call.call}`.padEnd(40)} ${f(call.requests / n).padStart(7)} req` +
          (call.readUnits || call.writeUnits
            ? `  ${f(call.readUnits / n)} RRU  ${f(call.writeUnits / n)} WRU`
            : '') +
          (call.call === EMPTY_RECEIVE ? '  (idle polls: per hour of the queue, not priced per run)' : '') +
          (call.service === 'DynamoDB Streams' ? '  (Lambda reads streams for free)' : ''),
      ),
    '  Lambda invocations per run:',
    ...[...result.lambda.entries()].map(
      ([name, tally]) =>
        `    ${name.padEnd(40)} ${f(tally.invocations / n).padStart(7)}  (${f(tally.durationMs / Math.max(1, tally.invocations), 1)} ms each, in-process)`,
    ),
    `  cost per 1M runs, requests only: ${costLine({ ...result.cost, lambda: result.cost.lambda - result.cost.lambdaCompute, total: requestsOnly })}`,
    `  floor per 1M runs:               ${costLine(result.floor)}`,
    `  target at most $${JOURNEY_TARGET_PER_MILLION.toFixed(2)}: ${verdict(requestsOnly <= JOURNEY_TARGET_PER_MILLION, `$${f(requestsOnly - JOURNEY_TARGET_PER_MILLION)}`)}; ratio to floor ${f(ratio, 2)}× (target at most ${FLOOR_RATIO_TARGET}×: ${verdict(ratio <= FLOOR_RATIO_TARGET, `${f(ratio - FLOOR_RATIO_TARGET, 2)}×`)})`,
    `  (Lambda duration, measured in-process and not in the target: $${f(result.cost.lambdaCompute)} per 1M)`,
    ...describeReconciliation(result.reconciliation),
  ];
}

function describeReconciliation(reconciliation: JourneyReconciliation): string[] {
  return [
    `  reconciliation: ${reconciliation.endedAsExpected} of ${reconciliation.expected} runs ended as their path says; ${reconciliation.messages} messages on the outbound queue${reconciliation.findings.length === 0 ? ', each asked for once, none lost' : ` — FAILED (${reconciliation.findings.length} findings)`}`,
    ...reconciliation.findings.slice(0, 20).map((finding) => `    ${finding}`),
  ];
}

function costLine(cost: CostPerMillion): string {
  return `$${cost.total.toFixed(3)} = Lambda $${cost.lambda.toFixed(3)} + SQS $${cost.sqs.toFixed(3)} + DynamoDB $${cost.dynamodb.toFixed(3)} + Scheduler $${cost.scheduler.toFixed(3)}`;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const load = argument('load');
  if (load !== undefined) {
    const result = await runJourneyLoad({
      n: Number(load),
      convertShare: Number(argument('convert') ?? 0.3),
      holdSeconds: Number(argument('hold') ?? 600),
      concurrency: Number(argument('concurrency') ?? 16),
      deadlineSeconds: Number(argument('deadline') ?? 3600),
      log: (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
    });
    console.log(
      `load: ${result.n} runs (${result.converting} converted, ${result.n - result.converting} timed out), ${result.concurrency} inputs in flight`,
    );
    console.log(
      `  entered in ${result.enterSeconds.toFixed(1)} s (${(result.n / result.enterSeconds).toFixed(0)} runs/s); ${result.waitingAtOnce} waiting in wait-for-order at once (the last entered at ${result.lastEntry}, the first left at ${result.firstDeparture})`,
    );
    console.log(
      `  orders applied in ${result.orderSeconds.toFixed(1)} s; timers finished ${result.finishSeconds.toFixed(1)} s later (${result.timerInvocations} journey-timers invocations); ${result.totalSeconds.toFixed(1)} s in all`,
    );
    for (const line of describeReconciliation(result.reconciliation)) console.log(line);
    if (result.reconciliation.findings.length > 0 || result.waitingAtOnce !== result.n) process.exitCode = 1;
    return;
  }
  const names = argument('paths')?.split(',');
  const paths = names ? JOURNEY_PATHS.filter((path) => names.includes(path.name)) : JOURNEY_PATHS;
  if (names && paths.length !== names.length) {
    throw new Error(`--paths takes ${JOURNEY_PATHS.map((path) => path.name).join(', ')}`);
  }
  const results = await runJourneyBench({
    n: Number(argument('n') ?? 1000),
    paths,
    deadlineSeconds: Number(argument('deadline') ?? 600),
    onResult: (result) => {
      for (const line of describeJourneyPath(result)) console.log(line);
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
