/**
 * Fault injection for the chaos suite, at the seams the code already has:
 * - {@link FaultySender} wraps a channel sender (the `sender` a sender factory takes) with provider
 *   5xx and 429 storms, timeouts, a channel that is down, and a crash between the provider's answer
 *   and the ledger write (the documented window; each crash is remembered for the reconciliation,
 *   and an attempt crashes at most once);
 * - {@link installDynamoDbThrottle} makes every DynamoDB request fail with
 *   `ProvisionedThroughputExceededException` for a window, on every client in the process.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Channel, ChannelMessage, Provider } from '../../functions/contract';
import { ChannelUnusableError, RetryLaterError } from '../../functions/domain/errors';
import type { ChannelSender, SendReceipt } from '../../functions/domain/ports';
import { attemptKeyOf } from './reconcile';

/** A fault the sender can be told to inject. */
export type SenderFault =
  | { readonly kind: '5xx' }
  | { readonly kind: '429'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'down' }
  | { readonly kind: 'crash-after-send' };

/** A fault active from `fromMs` to `toMs` after {@link FaultySender.start}, or for a share of sends. */
export interface FaultWindow {
  readonly fault: SenderFault;
  readonly fromMs: number;
  readonly toMs: number;
  /** Share of the sends inside the window that get the fault (1 = all). */
  readonly share?: number;
}

/** The error a crash injection throws: the process "died" after the provider accepted. */
export class InjectedCrashError extends Error {
  constructor(key: string) {
    super(`injected crash after the provider accepted ${key}`);
    this.name = 'InjectedCrashError';
  }
}

/** A channel sender that injects faults by time window, around a real (sandbox) sender. */
export class FaultySender implements ChannelSender {
  readonly channel: Channel;
  readonly provider: Provider;
  /** Attempts (`messageId#attempt#channel`) that crashed after the provider accepted them. */
  readonly crashed = new Set<string>();
  /** How many sends each fault kind hit. */
  readonly injected: Record<SenderFault['kind'], number> = {
    '5xx': 0,
    '429': 0,
    timeout: 0,
    down: 0,
    'crash-after-send': 0,
  };
  readonly #inner: ChannelSender;
  readonly #windows: readonly FaultWindow[];
  readonly #random: () => number;
  readonly #now: () => number;
  #startedAt: number | undefined;

  constructor(
    inner: ChannelSender,
    windows: readonly FaultWindow[],
    options: { random?: () => number; now?: () => number } = {},
  ) {
    this.#inner = inner;
    this.channel = inner.channel;
    this.provider = inner.provider;
    this.#windows = windows;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /** Starts the clock the windows are measured from (the first send starts it otherwise). */
  start(): void {
    this.#startedAt = this.#now();
  }

  async send(message: ChannelMessage): Promise<SendReceipt> {
    this.#startedAt ??= this.#now();
    const elapsed = this.#now() - this.#startedAt;
    const window = this.#windows.find(
      (candidate) =>
        elapsed >= candidate.fromMs && elapsed < candidate.toMs && this.#random() < (candidate.share ?? 1),
    );
    if (!window) return this.#inner.send(message);
    const { fault } = window;
    const key = attemptKeyOf({
      messageId: message.messageId,
      attempt: message.attempt,
      channel: this.channel,
    });
    // A crash falls in the window once per attempt: the reconciliation allows exactly one second
    // send for each crashed attempt, so the resend after the crash must go through.
    if (fault.kind === 'crash-after-send' && this.crashed.has(key)) return this.#inner.send(message);
    this.injected[fault.kind]++;
    switch (fault.kind) {
      case '5xx':
        throw new RetryLaterError('injected provider 5xx', { code: 'injected-503' });
      case '429':
        throw new RetryLaterError('injected provider 429', {
          code: 'injected-429',
          ...(fault.retryAfterSeconds !== undefined ? { retryAfterSeconds: fault.retryAfterSeconds } : {}),
        });
      case 'timeout':
        await new Promise((resolve) => setTimeout(resolve, fault.afterMs));
        throw new RetryLaterError('injected provider timeout', { code: 'ETIMEDOUT' });
      case 'down':
        throw new ChannelUnusableError('injected: channel down', { code: 'injected-down' });
      case 'crash-after-send': {
        await this.#inner.send(message);
        this.crashed.add(key);
        throw new InjectedCrashError(`${message.messageId}#${message.attempt}`);
      }
    }
  }
}

/** A DynamoDB throttling burst on every client in the process; `stop()` ends it early. */
export interface DynamoDbThrottle {
  /** Requests refused so far. */
  readonly refused: () => number;
  stop(): void;
}

/**
 * Refuses every DynamoDB request from `fromMs` to `toMs` after now with
 * `ProvisionedThroughputExceededException` (marked retryable, as DynamoDB does), then lets
 * them through again. Clients in `spare` (the test's own observers) are never refused.
 */
export function installDynamoDbThrottle(
  fromMs: number,
  toMs: number,
  spare: readonly object[] = [],
): DynamoDbThrottle {
  type Send = (this: { config?: { serviceId?: string } }, ...args: unknown[]) => Promise<unknown>;
  const prototype = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: Send };
  const original = prototype.send;
  const start = Date.now();
  const spared = new WeakSet(spare);
  let refused = 0;
  prototype.send = function throttledSend(...args) {
    const elapsed = Date.now() - start;
    if (this.config?.serviceId === 'DynamoDB' && !spared.has(this) && elapsed >= fromMs && elapsed < toMs) {
      refused++;
      const error = Object.assign(
        new Error('Injected: the level of configured provisioned throughput was exceeded'),
        {
          name: 'ProvisionedThroughputExceededException',
          $fault: 'client',
          $retryable: { throttling: true },
          $metadata: { httpStatusCode: 400 },
        },
      );
      return Promise.reject(error);
    }
    return original.apply(this, args);
  };
  return {
    refused: () => refused,
    stop: () => {
      if (prototype.send !== original) prototype.send = original;
    },
  };
}
