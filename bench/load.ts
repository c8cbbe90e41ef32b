/**
 * `npm run bench:load -- --n 10000 [--rate 100] [--customers 1000] [--deadline 900]`: starts the
 * local runtime (emulators, every handler that is built, sandbox providers), publishes N requests
 * with the publisher helper, waits until every queue has drained, reads the ledger back and
 * reconciles it with what the sandbox providers received, and prints throughput, latency, AWS
 * requests per message by service and call, and the cost per million messages they imply.
 *
 * With the channel senders still placeholders, only the router runs: the run then reconciles the
 * router stage (every request recorded; every planned attempt waiting on its channel queue) and
 * reports publish → routed latency instead of publish → provider.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { publishMessages } from '@switchboard/client';
import type { SQSEvent } from 'aws-lambda';
import { DynamoDbCustomerStore } from '../functions/adapters/dynamodb/customer-store';
import { addressKeyerFromEnv } from '../functions/adapters/secrets/keyed-hash';
import { type Channel, CustomerSchema, type MessageRequestInput } from '../functions/contract';
import type { ChannelSender, EventPublisher, FallbackQueue } from '../functions/domain/ports';
import { createLedgerStreamHandler } from '../functions/handlers/ledger-stream';
import { ledgerStreamDependenciesFromEnv } from '../functions/wiring/ledger-stream-ports';
import { type LocalEndpoints, type LocalResources, localClientConfig } from '../local/emulators';
import type { HandlerModule, HandlerRegistration, LocalHandlerDeps } from '../local/handler-registry';
import { handlerRegistry } from '../local/handler-registry';
import { startLocalRuntime } from '../local/runtime';
import type { CallbackStep } from '../local/sandbox/callbacks';
import { type CallCount, installRequestCounter } from './lib/aws-requests';
import {
  type CostPerMillion,
  carriesNews,
  costPerMillion,
  floorPerMillion,
  type WebhookRequestShape,
} from './lib/cost';
import { type DynamoDbThrottle, installDynamoDbThrottle } from './lib/faults';
import { queueDepth } from './lib/queues';
import { type LedgerView, readLedger } from './lib/read-ledger';
import {
  describeReconciliation,
  type ProviderReceipt,
  type Reconciliation,
  reconcile,
} from './lib/reconcile';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

/** Options of one load run. */
export interface LoadOptions {
  readonly n: number;
  /** Publish rate in messages per second; unlimited (as fast as SQS takes them) when unset. */
  readonly rate?: number;
  readonly customers: number;
  /** Give up waiting for the queues to drain after this many seconds. */
  readonly deadlineSeconds: number;
  /** Running emulators and resources to use (the chaos suite's); the run starts its own otherwise. */
  readonly emulators?: LocalEndpoints & LocalResources;
  /** Faults (chaos suite): see {@link ChaosOptions}. */
  readonly chaos?: ChaosOptions;
  /** Run only these handler files (e.g. `['route-messages']` for the router stage); all built ones otherwise. */
  readonly handlers?: readonly string[];
}

/** Faults injected while messages flow. */
export interface ChaosOptions {
  /** Publish every request this many extra times (duplicate SQS deliveries of the same request). */
  readonly duplicates?: number;
  /** Refuse every DynamoDB request of the handlers in this window (ms after publishing starts). */
  readonly dynamodbThrottle?: { readonly fromMs: number; readonly toMs: number };
  /** Wrap each channel's sandbox sender (provider faults, crash window). */
  readonly wrapSender?: (sender: ChannelSender) => ChannelSender;
  /** Attempts where a crash was injected after the provider answered, read at reconciliation. */
  readonly crashWindow?: () => ReadonlySet<string>;
  readonly channelsDown?: readonly Channel[];
  /** Queue visibility timeout to set (seconds) so that failed records come back quickly. */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Wrap each handler the runtime builds (by file name): e.g. drop a record on purpose, to prove
   * the reconciliation notices.
   */
  readonly wrapHandler?: <H extends (...args: never[]) => Promise<unknown>>(file: string, handler: H) => H;
  /** Wrap the stream consumer's events publisher (SNS publish failures, a dropping publisher). */
  readonly wrapEvents?: (events: EventPublisher) => EventPublisher;
  /** Wrap the stream consumer's fallback queue (SQS send failures, a dropped fallback). */
  readonly wrapFallbacks?: (fallbacks: FallbackQueue) => FallbackQueue;
  /** Rewrite the sandbox providers' status callbacks before they are scheduled (duplicate, reorder). */
  readonly callbacks?: (steps: readonly CallbackStep[]) => CallbackStep[];
}

/** What one load run measured. */
export interface LoadResult {
  readonly options: LoadOptions;
  readonly stages: readonly string[];
  readonly publishSeconds: number;
  readonly endToEndSeconds: number;
  readonly throughput: number;
  /** Publish → provider call, or publish → routed when no sender ran. */
  readonly latencyLabel: string;
  readonly latencyMs: { p50: number; p95: number; p99: number; max: number };
  readonly perMessage: readonly { key: string; requests: number; readUnits: number; writeUnits: number }[];
  readonly lambda: ReadonlyMap<string, { invocations: number; durationMs: number }>;
  readonly cost: CostPerMillion;
  readonly floor: CostPerMillion;
  readonly reconciliation: Reconciliation;
  readonly channelQueueDepth: number;
  readonly plannedAttemptsWaiting: number;
  /** DynamoDB requests refused by the injected throttle. */
  readonly throttled: number;
  /** Router records delivered more than once by SQS (visibility timeout ran out or a failure). */
  readonly redeliveredRecords: number;
  /** Records each queue consumer received more than once (SQS retries), by handler file. */
  readonly retriedRecords: ReadonlyMap<string, number>;
  /** The ledger as read back for the reconciliation. */
  readonly ledger: LedgerView;
  /** What the sandbox providers received. */
  readonly received: readonly ProviderReceipt[];
  /** Webhook requests that carried news (a write and an event at the floor) and those that did not. */
  readonly callbacks: { readonly useful: number; readonly redundant: number };
  /** How the webhooks answered the sandbox's signed callbacks (HTTP status → count). */
  readonly callbackAnswers: ReadonlyMap<string, number>;
}

const SENDER_FACTORIES: Record<string, string> = {
  'send-sms': 'createSendSmsHandler',
  'send-whatsapp': 'createSendWhatsAppHandler',
  'send-email': 'createSendEmailHandler',
  'send-push': 'createSendPushHandler',
};

/** Runs one load benchmark. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const counter = installRequestCounter();
  const lambda = new Map<string, { invocations: number; durationMs: number }>();
  let httpRequests = 0;
  const callbacks = { useful: 0, redundant: 0, seen: new Set<string>() };
  const redelivered = { records: 0 };
  const retriedRecords = new Map<string, number>();
  const registry = (await loadableRegistry()).filter(
    (registration) => !options.handlers || options.handlers.includes(registration.file),
  );
  const stages = registry.map((registration) => registration.file);
  const chaos = options.chaos ?? {};
  const wrapSender = chaos.wrapSender;
  const runtime = await startLocalRuntime({
    rootDir: mkdtempSync(join(tmpdir(), 'switchboard-load-')),
    handlersDir: join(__dirname, '..', 'functions', 'handlers'),
    ...(options.emulators ? { emulators: options.emulators } : {}),
    registry: registry.map((registration) =>
      timed(
        registration,
        lambda,
        (request) => {
          httpRequests++;
          if (carriesNews(request, callbacks.seen)) callbacks.useful++;
          else callbacks.redundant++;
        },
        wrapSender,
        redelivered,
        {
          retried: retriedRecords,
          ...(chaos.wrapHandler ? { wrapHandler: chaos.wrapHandler } : {}),
          ...(chaos.wrapEvents ? { wrapEvents: chaos.wrapEvents } : {}),
          ...(chaos.wrapFallbacks ? { wrapFallbacks: chaos.wrapFallbacks } : {}),
        },
      ),
    ),
    sandbox: { outboxLimit: 100, firstCallbackMs: 50, callbackStepMs: 50 },
    ...(chaos.visibilityTimeoutSeconds ? { waitTimeSeconds: 1 } : {}),
    // BENCH_LOG=1 shows the runtime's notices (failed batches, webhook errors) on stderr.
    log: process.env.BENCH_LOG ? (line) => console.error(line) : () => {},
  });
  let throttle: DynamoDbThrottle | undefined;
  try {
    const { emulators } = runtime;
    if (chaos.callbacks) {
      // The sandbox senders schedule their callbacks through this one object at send time.
      const { callbacks } = runtime.sandbox;
      const schedule = callbacks.schedule.bind(callbacks);
      const rewrite = chaos.callbacks;
      callbacks.schedule = (outboxId, steps) => schedule(outboxId, rewrite(steps));
    }
    const observerSqs = new SQSClient(localClientConfig(emulators, emulators.sqsEndpoint));
    const observerDynamodb = new DynamoDBClient(localClientConfig(emulators, emulators.dynamodbEndpoint));
    counter.ignore(observerSqs);
    counter.ignore(observerDynamodb);
    const publisher = new SQSClient(localClientConfig(emulators, emulators.sqsEndpoint));

    if (chaos.visibilityTimeoutSeconds) {
      for (const url of Object.values(emulators.queues)) {
        await observerSqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: url,
            Attributes: { VisibilityTimeout: String(chaos.visibilityTimeoutSeconds) },
          }),
        );
      }
    }
    const customerIds = await seedCustomers(observerDynamodb, emulators.tables.customers, options.customers);
    const received: ProviderReceipt[] = [];
    let lastProviderActivity = Date.now();
    const callbackSeen = new Map<string, number>();
    const callbackAnswers = new Map<string, number>();
    runtime.sandbox.outbox.subscribe((change) => {
      lastProviderActivity = Date.now();
      if (change.kind !== 'added') {
        const callback = change.entry.callbacks.at(-1);
        if (callback && callbackSeen.get(change.entry.id) !== change.entry.callbacks.length) {
          callbackSeen.set(change.entry.id, change.entry.callbacks.length);
          const answer = callback.httpStatus ? String(callback.httpStatus) : (callback.error ?? 'no answer');
          callbackAnswers.set(answer, (callbackAnswers.get(answer) ?? 0) + 1);
        }
        return;
      }
      const { entry } = change;
      received.push({
        messageId: entry.messageId,
        attempt: entry.attempt,
        channel: entry.channel,
        outcome: entry.outcome,
        at: new Date().toISOString(),
      });
    });

    const requests: MessageRequestInput[] = Array.from({ length: options.n }, (_, index) => ({
      schemaVersion: 1,
      requestId: `load-${randomUUID()}`,
      customerId: customerIds[index % customerIds.length] as string,
      category: 'transactional',
      content: {
        text: `Your code is ${String(index).padStart(6, '0')}`,
        subject: 'Your code',
        title: 'Code',
      },
    }));
    const publishedAt = new Map<string, number>();
    const copies = 1 + (chaos.duplicates ?? 0);
    const toPublish =
      copies === 1 ? requests : requests.flatMap((request) => Array.from({ length: copies }, () => request));

    counter.active = true;
    if (chaos.dynamodbThrottle) {
      throttle = installDynamoDbThrottle(chaos.dynamodbThrottle.fromMs, chaos.dynamodbThrottle.toMs, [
        observerDynamodb,
      ]);
    }
    const started = performance.now();
    const startedAt = Date.now();
    await publishAll(toPublish, options.rate, async (chunk) => {
      const at = Date.now();
      for (const request of chunk)
        if (!publishedAt.has(request.requestId)) publishedAt.set(request.requestId, at);
      const results = await publishMessages(chunk, {
        queueUrl: emulators.queues.outbound,
        client: publisher,
      });
      const failed = results.filter((result) => result.status !== 'published');
      if (failed.length > 0) throw new Error(`publish failed: ${JSON.stringify(failed[0])}`);
    });
    const publishSeconds = (performance.now() - started) / 1000;

    const watched = [
      'outbound',
      ...stages.filter((file) => file in SENDER_FACTORIES).map((file) => file.slice(5)),
    ];
    await waitForDrain(
      observerSqs,
      watched.map((queue) => emulators.queues[queue as keyof typeof emulators.queues]),
      {
        deadline: startedAt + options.deadlineSeconds * 1000,
        quietSince: () => lastProviderActivity,
      },
    );
    // The sandbox posts status callbacks in the background; a message is not done until its last
    // callback has been answered (the outbox keeps only its latest entries, so its change feed
    // alone can look quiet while callbacks are still queued).
    const deadline = startedAt + options.deadlineSeconds * 1000;
    await Promise.race([
      runtime.sandbox.callbacks.idle(),
      new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref()),
    ]);
    const endToEndSeconds = (performance.now() - started) / 1000;
    counter.active = false;

    const ledger = await readLedger(observerDynamodb, emulators.tables.messages);
    const routerOnly = !stages.some((file) => file in SENDER_FACTORIES);
    const reconciliation = reconcile({
      published: requests.map((request) => ({
        requestId: request.requestId,
        customerId: request.customerId,
      })),
      ...ledger,
      received,
      routerOnly,
      ...(chaos.crashWindow ? { crashWindow: chaos.crashWindow() } : {}),
      ...(chaos.channelsDown ? { channelsDown: chaos.channelsDown } : {}),
    });

    // Router only: every planned attempt must be waiting on its channel queue (nothing lost in dispatch).
    const plannedAttemptsWaiting = ledger.messages.reduce(
      (sum, message) => sum + (message.status === 'queued' ? message.attempts.length : 0),
      0,
    );
    let channelQueueDepth = 0;
    if (routerOnly) {
      for (const channel of ['sms', 'whatsapp', 'email', 'push'] as Channel[]) {
        channelQueueDepth += await queueDepth(observerSqs, emulators.queues[channel]);
      }
    }

    const latencies: number[] = [];
    if (routerOnly) {
      for (const message of ledger.messages) {
        const at = publishedAt.get(message.requestId);
        const routed = message.history.find((change) => change.status !== 'scheduled')?.at;
        if (at !== undefined && routed) latencies.push(Date.parse(routed) - at);
      }
    } else {
      const byMessage = new Map(ledger.messages.map((message) => [message.messageId, message.requestId]));
      for (const receipt of received) {
        const at = publishedAt.get(byMessage.get(receipt.messageId) ?? '');
        if (at !== undefined && receipt.attempt === 1) latencies.push(Date.parse(receipt.at) - at);
      }
    }
    latencies.sort((a, b) => a - b);

    const calls = [...counter.calls.values()];
    const usage = { calls, lambda, httpRequests };
    observerSqs.destroy();
    observerDynamodb.destroy();
    publisher.destroy();
    return {
      options,
      stages,
      publishSeconds,
      endToEndSeconds,
      throughput: options.n / endToEndSeconds,
      latencyLabel: routerOnly ? 'publish → routed' : 'publish → provider call',
      latencyMs: {
        p50: percentile(latencies, 0.5),
        p95: percentile(latencies, 0.95),
        p99: percentile(latencies, 0.99),
        max: latencies.at(-1) ?? Number.NaN,
      },
      perMessage: perMessage(calls, options.n),
      lambda,
      cost: costPerMillion(usage, options.n),
      floor: floorPerMillion({
        senders: !routerOnly,
        usefulCallbacksPerMessage: callbacks.useful / options.n,
        redundantCallbacksPerMessage: callbacks.redundant / options.n,
      }),
      callbacks: { useful: callbacks.useful, redundant: callbacks.redundant },
      reconciliation,
      channelQueueDepth,
      plannedAttemptsWaiting,
      throttled: throttle?.refused() ?? 0,
      redeliveredRecords: redelivered.records,
      retriedRecords,
      ledger,
      received,
      callbackAnswers,
    };
  } finally {
    throttle?.stop();
    counter.uninstall();
    await runtime.stop();
  }
}

/** The fixed handler list, minus sender files that are still placeholders (no factory). */
async function loadableRegistry(): Promise<HandlerRegistration[]> {
  const loadable: HandlerRegistration[] = [];
  for (const registration of handlerRegistry) {
    const factory = SENDER_FACTORIES[registration.file];
    if (factory) {
      const module = (await import(`../functions/handlers/${registration.file}`)) as HandlerModule;
      if (typeof module[factory] !== 'function') continue;
    }
    loadable.push(registration);
  }
  return loadable;
}

/** Wraps a registration so every invocation is counted and timed as Lambda would bill it. */
export function timed(
  registration: HandlerRegistration,
  lambda: Map<string, { invocations: number; durationMs: number }>,
  onHttp: (request: WebhookRequestShape) => void,
  wrapSender?: (sender: ChannelSender) => ChannelSender,
  redelivered: { records: number } = { records: 0 },
  chaos: {
    retried?: Map<string, number>;
    wrapHandler?: ChaosOptions['wrapHandler'];
    wrapEvents?: ChaosOptions['wrapEvents'];
    wrapFallbacks?: ChaosOptions['wrapFallbacks'];
  } = {},
): HandlerRegistration {
  const depsFor = (deps: LocalHandlerDeps): LocalHandlerDeps => wrapSenders(deps);
  const wrapSenders = (deps: LocalHandlerDeps): LocalHandlerDeps =>
    wrapSender
      ? {
          ...deps,
          senders: {
            sms: wrapSender(deps.senders.sms),
            whatsapp: wrapSender(deps.senders.whatsapp),
            email: wrapSender(deps.senders.email),
            push: wrapSender(deps.senders.push),
          },
        }
      : deps;
  const tally = { invocations: 0, durationMs: 0 };
  lambda.set(registration.file, tally);
  const wrap =
    <A extends unknown[], R>(handler: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      tally.invocations += 1;
      if (registration.kind === 'http') onHttp((args[0] ?? { rawPath: '' }) as WebhookRequestShape);
      else if (registration.kind === 'sqs') {
        const { Records = [] } = (args[0] ?? {}) as SQSEvent;
        const again = Records.filter(
          (record) => Number(record.attributes.ApproximateReceiveCount) > 1,
        ).length;
        if (registration.file === 'route-messages') redelivered.records += again;
        if (chaos.retried && again > 0) {
          chaos.retried.set(registration.file, (chaos.retried.get(registration.file) ?? 0) + again);
        }
      }
      try {
        return await handler(...args);
      } finally {
        tally.durationMs += performance.now() - started;
      }
    };
  const faulty = <H extends (...args: never[]) => Promise<unknown>>(handler: H): H =>
    chaos.wrapHandler ? chaos.wrapHandler(registration.file, handler) : handler;
  if (registration.kind === 'sqs') {
    return {
      ...registration,
      build: (module: HandlerModule, deps: LocalHandlerDeps) =>
        wrap(faulty(registration.build(module, depsFor(deps)))),
    };
  }
  if (registration.kind === 'stream') {
    const { wrapEvents, wrapFallbacks } = chaos;
    if (!wrapEvents && !wrapFallbacks) {
      return {
        ...registration,
        build: (module: HandlerModule, deps: LocalHandlerDeps) =>
          wrap(faulty(registration.build(module, deps))),
      };
    }
    // The same handler with its ports wrapped, built on first use as the Lambda entry point is
    // (the runtime sets the environment it reads before the first record).
    let built: ReturnType<typeof createLedgerStreamHandler> | undefined;
    const withFaults: ReturnType<typeof createLedgerStreamHandler> = (event, context) => {
      if (!built) {
        const ports = ledgerStreamDependenciesFromEnv();
        built = createLedgerStreamHandler({
          ...ports,
          events: wrapEvents ? wrapEvents(ports.events) : ports.events,
          fallbacks: wrapFallbacks ? wrapFallbacks(ports.fallbacks) : ports.fallbacks,
        });
      }
      return built(event, context);
    };
    return {
      ...registration,
      build: () => wrap(faulty(withFaults)) as unknown as ReturnType<typeof registration.build>,
    };
  }
  return {
    ...registration,
    build: (module: HandlerModule, deps: LocalHandlerDeps) => wrap(faulty(registration.build(module, deps))),
  };
}

/** Puts `count` customers (`load-customer-<i>`, with SMS and email addresses) and returns their ids. */
export async function seedCustomers(client: DynamoDBClient, table: string, count: number): Promise<string[]> {
  // The runtime set this run's pepper in the environment: seed under the key its handlers read.
  const store = new DynamoDbCustomerStore({ client, tableName: table, keyer: addressKeyerFromEnv() });
  const ids: string[] = [];
  for (let start = 0; start < count; start += 25) {
    const batch = Array.from({ length: Math.min(25, count - start) }, (_, offset) => {
      const index = start + offset;
      const id = `load-customer-${index}`;
      ids.push(id);
      return store.put(
        CustomerSchema.parse({
          customerId: id,
          addresses: {
            sms: `+33612${String(index).padStart(6, '0')}`,
            email: `load-${index}@example.com`,
          },
          preferences: { channels: ['sms', 'email'] },
          consent: {},
          timezone: 'UTC',
        }),
      );
    });
    await Promise.all(batch);
  }
  return ids;
}

/** Publishes in chunks of 100 (10 SendMessageBatch each), at `rate` per second if set. */
async function publishAll(
  requests: readonly MessageRequestInput[],
  rate: number | undefined,
  publish: (chunk: MessageRequestInput[]) => Promise<void>,
): Promise<void> {
  if (rate) {
    const chunk = Math.max(1, Math.min(10, Math.round(rate / 10)));
    const interval = (1000 * chunk) / rate;
    const start = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let index = 0; index < requests.length; index += chunk) {
      const due = start + (index / chunk) * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(publish(requests.slice(index, index + chunk)));
    }
    await Promise.all(inFlight);
    return;
  }
  const chunks: MessageRequestInput[][] = [];
  for (let index = 0; index < requests.length; index += 100) chunks.push(requests.slice(index, index + 100));
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < chunks.length) await publish(chunks[next++] as MessageRequestInput[]);
    }),
  );
}

/** Waits until the queues stay empty and the providers have been quiet for two seconds. */
async function waitForDrain(
  sqs: SQSClient,
  queueUrls: readonly string[],
  options: { deadline: number; quietSince: () => number },
): Promise<void> {
  let emptyPolls = 0;
  while (Date.now() < options.deadline) {
    const depths = await Promise.all(queueUrls.map((url) => queueDepth(sqs, url)));
    const empty = depths.every((depth) => depth === 0);
    emptyPolls = empty ? emptyPolls + 1 : 0;
    if (emptyPolls >= 2 && Date.now() - options.quietSince() > 2000) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}

function perMessage(calls: readonly CallCount[], n: number) {
  return calls
    .map((call) => ({
      key: `${call.service} ${call.call}`,
      requests: call.requests / n,
      readUnits: call.readUnits / n,
      writeUnits: call.writeUnits / n,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** The run as printable lines (the same table goes into docs/BENCHMARKS.md). */
export function describeLoad(result: LoadResult): string[] {
  const f = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
  const lines = [
    `load: N=${result.options.n}${result.options.rate ? ` at ${result.options.rate}/s` : ' (as fast as possible)'}, ${result.options.customers} customers`,
    `  handlers running: ${result.stages.join(', ')}`,
    `  publish ${f(result.publishSeconds)} s; end to end ${f(result.endToEndSeconds)} s; throughput ${f(result.throughput, 0)} messages/s`,
    `  latency ${result.latencyLabel}: p50 ${f(result.latencyMs.p50, 0)} ms, p95 ${f(result.latencyMs.p95, 0)} ms, p99 ${f(result.latencyMs.p99, 0)} ms, max ${f(result.latencyMs.max, 0)} ms`,
    '  AWS requests per message:',
    ...result.perMessage.map(
      (row) =>
        `    ${row.key.padEnd(30)} ${f(row.requests, 3).padStart(7)} req` +
        (row.readUnits || row.writeUnits ? `  ${f(row.readUnits, 3)} RRU  ${f(row.writeUnits, 3)} WRU` : ''),
    ),
    '  Lambda invocations per message:',
    ...[...result.lambda.entries()]
      .filter(([, tally]) => tally.invocations > 0)
      .map(
        ([name, tally]) =>
          `    ${name.padEnd(30)} ${f(tally.invocations / result.options.n, 3).padStart(7)}  (${f(tally.durationMs / tally.invocations, 1)} ms each, in-process)`,
      ),
    `  cost per 1M messages (USD): ${costLine(result.cost)}`,
    `  floor per 1M messages:      ${costLine(result.floor)} (no Lambda duration)`,
    `  requests only (target at most $5): $${f(result.cost.total - result.cost.lambdaCompute, 3)} per 1M; ratio to floor ${f((result.cost.total - result.cost.lambdaCompute) / result.floor.total)}× (target at most 1.3×)`,
  ];
  if (result.callbackAnswers.size > 0) {
    lines.push(
      `  webhook answers to provider callbacks: ${[...result.callbackAnswers].map(([answer, count]) => `${answer} ×${count}`).join(', ')}`,
    );
  }
  if (result.stages.every((file) => !(file in SENDER_FACTORIES))) {
    lines.push(
      `  router only: ${result.plannedAttemptsWaiting} planned attempts, ${result.channelQueueDepth} on the channel queues (${result.redeliveredRecords} router records redelivered by SQS)`,
    );
  }
  return [...lines, ...describeReconciliation(result.reconciliation)];
}

function costLine(cost: CostPerMillion): string {
  return `total $${cost.total.toFixed(3)} = Lambda $${cost.lambda.toFixed(3)} (of which duration $${cost.lambdaCompute.toFixed(3)}) + SQS $${cost.sqs.toFixed(3)} + DynamoDB $${cost.dynamodb.toFixed(3)} + SNS $${cost.sns.toFixed(3)} + webhook URLs $${cost.httpApi.toFixed(3)}`;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const n = Number(argument('n') ?? 10_000);
  const rate = argument('rate') ? Number(argument('rate')) : undefined;
  const handlers = argument('handlers')?.split(',');
  const result = await runLoad({
    n,
    ...(rate ? { rate } : {}),
    customers: Number(argument('customers') ?? Math.min(1000, n)),
    deadlineSeconds: Number(argument('deadline') ?? 900),
    ...(handlers ? { handlers } : {}),
  });
  for (const line of describeLoad(result)) console.log(line);
  const lostOrStuck = result.reconciliation.findings.length;
  const dispatchLost = result.channelQueueDepth < result.plannedAttemptsWaiting && result.stages.length > 0;
  if (lostOrStuck > 0 || (dispatchLost && !result.stages.some((file) => file in SENDER_FACTORIES))) {
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
