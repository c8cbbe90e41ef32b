/**
 * A batching publisher of touchpoint events: it buffers events, packs them into `{ batch }` bodies
 * (as many events per SQS message as the contract and SQS allow) and sends ten messages per
 * SendMessageBatch, when the buffer fills a request, when the oldest event has waited long enough,
 * or on `flush()`. Publishing one event per SendMessage costs one SQS request per event; this costs
 * about one per thousand small events. Written here because no SQS library packs many JSON
 * documents into size-limited bodies and batch requests (the SDK's SendMessageBatch takes
 * ready-made messages; sqs-producer-style libraries send one message per item).
 */
import { randomUUID } from 'node:crypto';
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsJson } from '../../../functions/adapters/sqs/sqs-json';
import {
  ContractValidationError,
  parseTouchpointBody,
  TOUCHPOINT_BATCH_MAX_BYTES,
  TOUCHPOINT_BATCH_MAX_EVENTS,
  type TouchpointEventInput,
} from '../../../functions/contract';
import { utf8Bytes } from '../../../functions/contract/fields';
import type { EventFields, TouchpointPublishOptions } from './publish-touchpoint';

/** SQS's limits: messages per SendMessageBatch, and bytes per message and per request (256 KiB). */
export const SQS_SEND_BATCH_LIMITS = { messages: 10, bytes: 256 * 1024 } as const;

/** Events per SQS message unless the options say otherwise (see `maxEventsPerMessage`). */
export const DEFAULT_EVENTS_PER_MESSAGE = 25;

/** What happened to one event given to a {@link TouchpointBatchPublisher}. */
export type TouchpointPublishResult =
  | { readonly messageId: string; readonly status: 'published'; readonly sqsMessageId: string }
  | {
      readonly messageId: string;
      readonly status: 'failed';
      /** SQS's error code for the entry, or the name of the error the whole request failed with. */
      readonly code: string;
      readonly message: string;
    };

/** Options of a {@link TouchpointBatchPublisher}. */
export interface TouchpointBatchPublisherOptions extends TouchpointPublishOptions {
  /**
   * Most events in one SQS message, 1 to 100 (the contract's `{ batch }` limit); 25 by default.
   * The consumer records a batch's events at once (ten messages a batch): 250 per invocation keeps
   * it well inside its timeout, and the requests saved beyond 25 are worth under a cent per million.
   */
  readonly maxEventsPerMessage?: number;
  /**
   * Longest an event waits in the buffer before it is sent, in milliseconds; 1000 by default. 0
   * turns the timer off: only a full request and `flush()` send. The timer keeps Node running
   * until it fires, so buffered events are not dropped when the process would otherwise exit.
   */
  readonly flushIntervalMs?: number;
  /** Called with the results of every SendMessageBatch, whatever started it (size, time or flush). */
  readonly onResults?: (results: readonly TouchpointPublishResult[]) => void;
}

/** One event's JSON and size, for packing. */
export interface SizedEvent {
  readonly json: string;
  readonly bytes: number;
}

/** The limits {@link packTouchpointRequests} packs within. */
export interface PackingLimits {
  readonly eventsPerMessage: number;
  readonly messageBytes: number;
  readonly messagesPerRequest: number;
  readonly requestBytes: number;
}

// `{"batch":[` + `]}`
const ENVELOPE_BYTES = utf8Bytes('{"batch":[]}');

/** The UTF-8 size of the `{ batch }` body holding events of these sizes. */
function bodyBytes(eventBytes: number, events: number): number {
  return ENVELOPE_BYTES + eventBytes + Math.max(0, events - 1);
}

/**
 * Packs events, in order, into SendMessageBatch requests of `{ batch }` messages: each message
 * within the events and bytes per message, each request within the messages and bytes per request.
 * Returns, per request, the events (by index) of each message. Greedy: in order, as full as fits.
 */
export function packTouchpointRequests(events: readonly SizedEvent[], limits: PackingLimits): number[][][] {
  const requests: number[][][] = [];
  let request: number[][] = [];
  let requestBytes = 0;
  let message: number[] = [];
  let messageEventBytes = 0;
  const closeMessage = () => {
    if (message.length === 0) return;
    request.push(message);
    requestBytes += bodyBytes(messageEventBytes, message.length);
    message = [];
    messageEventBytes = 0;
  };
  const closeRequest = () => {
    if (request.length > 0) requests.push(request);
    request = [];
    requestBytes = 0;
  };
  events.forEach((event, index) => {
    const grown = bodyBytes(messageEventBytes + event.bytes, message.length + 1);
    const fits =
      message.length < limits.eventsPerMessage &&
      grown <= limits.messageBytes &&
      requestBytes + grown <= limits.requestBytes;
    if (!fits) {
      closeMessage();
      const alone = bodyBytes(event.bytes, 1);
      if (request.length >= limits.messagesPerRequest || requestBytes + alone > limits.requestBytes) {
        closeRequest();
      }
    }
    message.push(index);
    messageEventBytes += event.bytes;
  });
  closeMessage();
  closeRequest();
  return requests;
}

interface Pending extends SizedEvent {
  readonly messageId: string;
  readonly settle: (result: TouchpointPublishResult) => void;
}

/**
 * Buffers touchpoint events and sends them to the touchpoints queue in `{ batch }` messages, ten
 * per SendMessageBatch. Each event is validated when it is given (a `ContractValidationError`, and
 * nothing buffered, when it breaks the contract); each gets a result once its request returns:
 * `published`, or `failed` with SQS's code. No event is dropped silently: the promise `publish`
 * returns, `flush()`'s answer and `onResults` all carry every failure. On Lambda, `await flush()`
 * before the handler returns: a frozen instance runs no timer.
 */
export class TouchpointBatchPublisher {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #limits: PackingLimits;
  readonly #flushIntervalMs: number;
  readonly #onResults: ((results: readonly TouchpointPublishResult[]) => void) | undefined;
  #buffer: Pending[] = [];
  #bufferBytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #sending = new Set<Promise<TouchpointPublishResult[]>>();
  #closed = false;

  constructor(options: TouchpointBatchPublisherOptions) {
    const eventsPerMessage = options.maxEventsPerMessage ?? DEFAULT_EVENTS_PER_MESSAGE;
    if (
      !Number.isInteger(eventsPerMessage) ||
      eventsPerMessage < 1 ||
      eventsPerMessage > TOUCHPOINT_BATCH_MAX_EVENTS
    ) {
      throw new RangeError(`maxEventsPerMessage must be an integer from 1 to ${TOUCHPOINT_BATCH_MAX_EVENTS}`);
    }
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
    this.#limits = {
      eventsPerMessage,
      // The consumer takes bodies up to the contract's 500 KB; SQS's own limit is the smaller.
      messageBytes: Math.min(SQS_SEND_BATCH_LIMITS.bytes, TOUCHPOINT_BATCH_MAX_BYTES),
      messagesPerRequest: SQS_SEND_BATCH_LIMITS.messages,
      requestBytes: SQS_SEND_BATCH_LIMITS.bytes,
    };
    this.#flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.#onResults = options.onResults;
  }

  /** Events waiting in the buffer. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /**
   * Validates an event and buffers it; resolves with its result once sent (never rejects). Throws
   * a `ContractValidationError` (nothing buffered) when the event breaks the contract.
   */
  publish(event: TouchpointEventInput): Promise<TouchpointPublishResult> {
    if (this.#closed) throw new Error('The touchpoint publisher is closed: nothing more can be published');
    // One event through the consumer's own parser: the schema and the 32 KB per-event limit.
    const body = parseTouchpointBody(event);
    const parsed = body.success ? body.data.events[0] : undefined;
    if (!parsed?.ok) {
      throw new ContractValidationError(
        'touchpoint event',
        body.success ? (parsed?.issues ?? []) : body.issues,
      );
    }
    const json = sqsJson(event);
    const bytes = utf8Bytes(json);
    const result = new Promise<TouchpointPublishResult>((settle) => {
      this.#buffer.push({ json, bytes, messageId: parsed.event.messageId, settle });
    });
    this.#bufferBytes += bytes + 1;
    this.#afterAdd();
    return result;
  }

  /** Buffers a `track` event (a random messageId unless given); resolves with its result. */
  track(fields: EventFields<'track'>): Promise<TouchpointPublishResult> {
    return this.publish({ ...fields, type: 'track', messageId: fields.messageId ?? randomUUID() });
  }

  /** Buffers an `identify` event (a random messageId unless given); resolves with its result. */
  identify(fields: EventFields<'identify'>): Promise<TouchpointPublishResult> {
    return this.publish({ ...fields, type: 'identify', messageId: fields.messageId ?? randomUUID() });
  }

  /** Buffers a `page` event (a random messageId unless given); resolves with its result. */
  page(fields: EventFields<'page'>): Promise<TouchpointPublishResult> {
    return this.publish({ ...fields, type: 'page', messageId: fields.messageId ?? randomUUID() });
  }

  /**
   * Sends everything buffered and waits for every send under way; resolves with the results of
   * all those events, in the order they were sent.
   */
  async flush(): Promise<TouchpointPublishResult[]> {
    this.#stopTimer();
    const pending = this.#buffer;
    this.#buffer = [];
    this.#bufferBytes = 0;
    if (pending.length > 0) this.#send(pending, packTouchpointRequests(pending, this.#limits));
    const answers = await Promise.all([...this.#sending]);
    return answers.flat();
  }

  /** Flushes, then refuses further events. */
  async close(): Promise<TouchpointPublishResult[]> {
    this.#closed = true;
    return this.flush();
  }

  #afterAdd(): void {
    // Enough to fill a request: send the full requests now and keep a last, partial, one.
    const full =
      this.#buffer.length >= this.#limits.eventsPerMessage * this.#limits.messagesPerRequest ||
      this.#bufferBytes >= this.#limits.requestBytes;
    if (full) {
      const requests = packTouchpointRequests(this.#buffer, this.#limits);
      const last = requests.at(-1) ?? [];
      const lastIsFull =
        last.length === this.#limits.messagesPerRequest &&
        last.every((message) => message.length === this.#limits.eventsPerMessage);
      const ready = lastIsFull ? requests : requests.slice(0, -1);
      const sendUpTo = ready.length === requests.length ? this.#buffer.length : (last.flat()[0] ?? 0);
      if (ready.length > 0) {
        const sending = this.#buffer.slice(0, sendUpTo);
        this.#buffer = this.#buffer.slice(sendUpTo);
        this.#bufferBytes = this.#buffer.reduce((sum, event) => sum + event.bytes + 1, 0);
        this.#send(sending, ready);
      }
    }
    if (this.#buffer.length === 0) this.#stopTimer();
    else if (this.#timer === undefined && this.#flushIntervalMs > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.flush();
      }, this.#flushIntervalMs);
    }
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Sends packed requests of `events` one after another; tracked until done. */
  #send(events: readonly Pending[], requests: readonly number[][][]): void {
    const sending = (async () => {
      const results: TouchpointPublishResult[] = [];
      for (const request of requests) results.push(...(await this.#sendRequest(events, request)));
      return results;
    })();
    this.#sending.add(sending);
    void sending.finally(() => this.#sending.delete(sending));
  }

  async #sendRequest(
    events: readonly Pending[],
    messages: readonly number[][],
  ): Promise<TouchpointPublishResult[]> {
    const entries: SendMessageBatchRequestEntry[] = messages.map((indexes, id) => ({
      Id: String(id),
      MessageBody: `{"batch":[${indexes.map((index) => events[index]?.json).join(',')}]}`,
    }));
    // Per message (entry Id), the result each of its events gets.
    const outcome = new Map<string, (messageId: string) => TouchpointPublishResult>();
    try {
      const output = await this.#client.send(
        new SendMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: entries }),
      );
      for (const ok of output.Successful ?? []) {
        outcome.set(ok.Id ?? '', (messageId) => ({
          messageId,
          status: 'published',
          sqsMessageId: ok.MessageId ?? '',
        }));
      }
      for (const failed of output.Failed ?? []) {
        outcome.set(failed.Id ?? '', (messageId) => ({
          messageId,
          status: 'failed',
          code: failed.Code ?? 'Unknown',
          message: failed.Message ?? 'SQS refused the message',
        }));
      }
    } catch (error) {
      const code = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      for (const entry of entries)
        outcome.set(entry.Id ?? '', (messageId) => ({ messageId, status: 'failed', code, message }));
    }
    const results: TouchpointPublishResult[] = [];
    messages.forEach((indexes, id) => {
      const answer =
        outcome.get(String(id)) ??
        ((messageId: string): TouchpointPublishResult => ({
          messageId,
          status: 'failed',
          code: 'Unknown',
          message: 'SQS answered neither success nor failure for the message',
        }));
      for (const index of indexes) {
        const event = events[index];
        if (!event) continue;
        const result = answer(event.messageId);
        event.settle(result);
        results.push(result);
      }
    });
    this.#onResults?.(results);
    return results;
  }
}
