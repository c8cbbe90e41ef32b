/**
 * A local stand-in for Lambda's SQS event source mapping. It long-polls a queue, hands batches of
 * real `SQSEvent` records to a handler, deletes what succeeded and leaves the rest on the queue,
 * so that visibility timeouts and redrive to the DLQ happen on the queue itself exactly as on AWS.
 *
 * Behaviour copied from Lambda (with `ReportBatchItemFailures` on):
 * - a handler that returns nothing (or an empty `batchItemFailures`) succeeded for every record;
 * - a handler that returns `batchItemFailures` failed those records only; an identifier that is
 *   empty or not in the batch fails the whole batch, as Lambda does;
 * - a handler that throws, or runs past the function timeout, failed every record;
 * - failed records are not touched: they reappear after the queue's visibility timeout and move to
 *   the DLQ after `maxReceiveCount` receives (the queue's redrive policy does that, not this loop).
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { QueueDefinition } from '../infra/resources';
import { lambdaContext } from './lambda-context';

/** A Lambda SQS handler as the local loop calls it. */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler may be `async () => {}`, as on Lambda.
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined | void>;

/** What happened to one batch, for logs and the console. */
export interface BatchOutcome {
  readonly queue: string;
  readonly received: number;
  readonly deleted: number;
  readonly failed: number;
  /** Set when the handler threw or timed out (every record failed). */
  readonly error?: unknown;
}

/** Where the local loop reports what it does. */
export interface EventSourceLog {
  batch?(outcome: BatchOutcome): void;
  error?(message: string, error: unknown): void;
}

/** Options for {@link startEventSource}. */
export interface EventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** ARN of the queue, copied into every record's `eventSourceARN`. */
  readonly queueArn: string;
  /** The queue's shared definition: batch size, concurrency, function timeout. */
  readonly definition: QueueDefinition;
  readonly handler: SqsHandler;
  /** Name shown in the Lambda context and logs, e.g. `send-sms`. */
  readonly functionName: string;
  readonly region: string;
  /** At most this many batches in flight; defaults to (and is capped by) the definition's maxConcurrency. */
  readonly maxConcurrency?: number;
  /** Long-poll wait; Lambda's pollers use 20 s. Tests use less so that stop() returns quickly. */
  readonly waitTimeSeconds?: number;
  readonly log?: EventSourceLog;
}

/** A running event source. */
export interface EventSource {
  readonly functionName: string;
  /** Batches being handled right now. */
  readonly inFlight: number;
  /** Stops polling, cancels waiting receives, and resolves once every in-flight batch has finished. */
  stop(): Promise<void>;
}

/** SQS returns at most ten messages per receive. */
const SQS_MAX_RECEIVE = 10;
/** Pause after a failed receive (emulator gone, throttled) before polling again. */
const RECEIVE_ERROR_BACKOFF_MS = 1_000;

/** Starts polling a queue with up to `maxConcurrency` concurrent batches. */
export function startEventSource(options: EventSourceOptions): EventSource {
  const concurrency = Math.max(
    1,
    Math.min(options.maxConcurrency ?? options.definition.maxConcurrency, options.definition.maxConcurrency),
  );
  const stopper = new Stopper();
  let inFlight = 0;
  const workers = Array.from({ length: concurrency }, () =>
    pollUntilStopped(options, stopper, {
      started: () => {
        inFlight++;
      },
      finished: () => {
        inFlight--;
      },
    }),
  );
  let stopping: Promise<void> | undefined;
  return {
    functionName: options.functionName,
    get inFlight() {
      return inFlight;
    },
    stop() {
      stopping ??= (async () => {
        stopper.stop();
        await Promise.all(workers);
      })();
      return stopping;
    },
  };
}

async function pollUntilStopped(
  options: EventSourceOptions,
  stopper: Stopper,
  counter: { started(): void; finished(): void },
): Promise<void> {
  const maxMessages = Math.min(options.definition.batchSize, SQS_MAX_RECEIVE);
  while (!stopper.stopped) {
    let messages: Message[];
    const receive = stopper.child();
    try {
      const received = await options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: maxMessages,
          WaitTimeSeconds: options.waitTimeSeconds ?? 20,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: receive.signal },
      );
      messages = received.Messages ?? [];
    } catch (error) {
      if (stopper.stopped) return;
      options.log?.error?.(`${options.functionName}: receive from the queue failed`, error);
      await sleep(RECEIVE_ERROR_BACKOFF_MS, stopper);
      continue;
    } finally {
      receive.release();
    }
    if (messages.length === 0) continue;
    messages = await fillBatch(options, messages, maxMessages, stopper);
    // A batch that was received is always handled to the end, even during stop(), so that its
    // records are deleted or deliberately left for retry rather than abandoned half-way.
    counter.started();
    try {
      // Not inside `log?.batch?.(…)`: optional chaining would skip the call when there is no log.
      const outcome = await handleBatch(options, messages);
      options.log?.batch?.(outcome);
    } finally {
      counter.finished();
    }
  }
}

/**
 * Lambda's batching window: with `batchingWindowSeconds`, a batch that is not full yet is held
 * while more messages are received, until it is full or the window has passed.
 */
async function fillBatch(
  options: EventSourceOptions,
  first: Message[],
  maxMessages: number,
  stopper: Stopper,
): Promise<Message[]> {
  const windowSeconds = options.definition.batchingWindowSeconds ?? 0;
  const messages = [...first];
  const closesAt = Date.now() + windowSeconds * 1000;
  while (messages.length < maxMessages && Date.now() < closesAt && !stopper.stopped) {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: maxMessages - messages.length,
        WaitTimeSeconds: Math.max(0, Math.min(20, Math.floor((closesAt - Date.now()) / 1000))),
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const more = received.Messages ?? [];
    if (more.length === 0 && Date.now() < closesAt)
      await sleep(Math.min(200, closesAt - Date.now()), stopper);
    messages.push(...more);
  }
  return messages;
}

/** Invokes the handler with one batch and deletes the records that succeeded. */
async function handleBatch(options: EventSourceOptions, messages: Message[]): Promise<BatchOutcome> {
  const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, options.queueArn, options.region)) };
  const timeoutMs = options.definition.consumerTimeoutSeconds * 1000;
  const context = lambdaContext(options.functionName, options.region, timeoutMs);
  const base = { queue: options.functionName, received: messages.length };
  let failedIds: Set<string>;
  try {
    const response = await withTimeout(options.handler(event, context), timeoutMs, options.functionName);
    failedIds = failedRecordIds(response, event);
  } catch (error) {
    return { ...base, deleted: 0, failed: messages.length, error };
  }
  const succeeded = messages.filter((m) => !failedIds.has(m.MessageId ?? ''));
  await deleteMessages(options, succeeded);
  return { ...base, deleted: succeeded.length, failed: messages.length - succeeded.length };
}

/**
 * The records a handler's response failed. Lambda treats a malformed response (an empty or unknown
 * identifier) as a failure of the whole batch, so this does too.
 */
export function failedRecordIds(response: Awaited<ReturnType<SqsHandler>>, event: SQSEvent): Set<string> {
  const all = new Set(event.Records.map((r) => r.messageId));
  const failures = response?.batchItemFailures ?? [];
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = failure?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

async function deleteMessages(options: EventSourceOptions, messages: Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += SQS_MAX_RECEIVE) {
    const chunk = messages.slice(start, start + SQS_MAX_RECEIVE);
    try {
      const result = await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: chunk.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      for (const failure of result.Failed ?? []) {
        // The record will be delivered again; handlers are idempotent, so that is only extra work.
        options.log?.error?.(`${options.functionName}: could not delete a handled record`, failure);
      }
    } catch (error) {
      options.log?.error?.(`${options.functionName}: could not delete handled records`, error);
    }
  }
}

/** The record Lambda would build from an SQS message. */
export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const system = message.Attributes ?? {};
  const attributes: SQSRecord['attributes'] = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
    SentTimestamp: system.SentTimestamp ?? String(Date.now()),
    SenderId: system.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  };
  for (const name of ['AWSTraceHeader', 'SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId']) {
    const value = system[name as keyof typeof system];
    if (value !== undefined) (attributes as unknown as Record<string, string>)[name] = value;
  }
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: toRecordAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  if (message.MD5OfMessageAttributes) {
    (record as SQSRecord & { md5OfMessageAttributes?: string }).md5OfMessageAttributes =
      message.MD5OfMessageAttributes;
  }
  return record;
}

function toRecordAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    // Lambda spells these in camelCase, always includes both list fields, and base64-encodes binary.
    out[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
        : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    };
  }
  return out;
}

/** Why a local invocation failed without the handler throwing. */
export class LocalTimeoutError extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName} did not finish within its ${timeoutMs} ms timeout`);
    this.name = 'LocalTimeoutError';
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, functionName: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LocalTimeoutError(functionName, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A source's stop, fanned out to one AbortController per receive or wait rather than one signal
 * shared by every worker: the SDK adds an abort listener per request, so 20 workers with a receive
 * in flight on one shared signal would pass Node's limit of ten listeners and warn
 * (MaxListenersExceededWarning).
 */
class Stopper {
  stopped = false;
  private readonly controllers = new Set<AbortController>();

  stop(): void {
    this.stopped = true;
    for (const controller of this.controllers) controller.abort();
  }

  /** A signal aborted on stop, for one receive or wait; release it when that is over. */
  child(): { signal: AbortSignal; release(): void } {
    const controller = new AbortController();
    if (this.stopped) controller.abort();
    this.controllers.add(controller);
    return { signal: controller.signal, release: () => this.controllers.delete(controller) };
  }
}

function sleep(ms: number, stopper: Stopper): Promise<void> {
  const { signal, release } = stopper.child();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      release();
      resolve();
    }
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}
