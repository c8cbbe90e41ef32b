/**
 * Delivering one channel message: the use case every channel sender (SMS, WhatsApp, email, push)
 * runs for each record of its queue.
 *
 * Main path: take the attempt's lease in the ledger (a conditional write) → send through the
 * provider → record `sent` with the provider's id and receipt details → schedule the receipt check.
 *
 * Everything else:
 * - already `sent` or further (a redelivery) → acknowledge without sending; a live lease held by
 *   another invocation → RetryLaterError from the ledger (SQS tries again later);
 * - `expiresAt` passed → recorded `expired`, not sent;
 * - RetryLaterError (or any unexpected error) from the provider → rethrown, so the record is a
 *   batch item failure and SQS retries it; on the `maxRetryableFailures`-th try the channel is given
 *   up instead: recorded `failed` (`retries_exhausted`) and handed back for fallback;
 * - ChannelUnusableError → recorded `failed` with the provider's code and handed back for fallback;
 *   an opt-out (Twilio 21610) is recorded in the customer's consent; unregistered push devices are
 *   removed from the profile (also after a send that some devices accepted).
 *
 * What a failure or a send still owes (fallback, opt-out, device removal, receipt check) is done
 * after the ledger write and is done again when a redelivered record finds the attempt finished,
 * so a crash between the two loses nothing; each of those steps is harmless to repeat.
 */
import {
  type Channel,
  type ChannelMessage,
  type Customer,
  type DeliveryError,
  type FallbackRequest,
  MessageStatus,
} from '../contract';
import { ChannelUnusableError, DevicesUnregisteredError, RetryLaterError } from './errors';
import type {
  AttemptKey,
  AttemptLedger,
  ChannelSender,
  CustomerRepository,
  FallbackQueue,
  LedgerAttempt,
  ReceiptCheckScheduler,
  SendReceipt,
} from './ports';
import { withoutDevices } from './push-devices';
import { channelCategories } from './webhook-use-cases';

/** The consent source recorded when a provider reports that the person opted out (Twilio 21610). */
export const PROVIDER_OPT_OUT_SOURCE = 'provider-opt-out';

/** The error code of an attempt given up after too many retryable failures. */
export const RETRIES_EXHAUSTED = 'retries_exhausted';

/** How one record ended (a retry is not an outcome: it is a thrown RetryLaterError). */
export const DeliveryOutcome = {
  /** The provider accepted the message; recorded `sent`. */
  SENT: 'sent',
  /** The attempt was already sent, failed or further along: acknowledged without sending. */
  ALREADY_DONE: 'already-done',
  /** The message's `expiresAt` had passed: recorded `expired`, not sent. */
  EXPIRED: 'expired',
  /** Recorded `failed` (permanent error or retries exhausted); handed back for fallback if allowed. */
  FAILED: 'failed',
  /** The customer was erased while the message was queued: dropped, nothing sent or written. */
  ERASED: 'erased',
} as const;
/** A delivery outcome. */
export type DeliveryOutcome = (typeof DeliveryOutcome)[keyof typeof DeliveryOutcome];

/** What happened to one record. */
export type DeliveryResult =
  | { readonly outcome: typeof DeliveryOutcome.SENT; readonly receipt: SendReceipt }
  | { readonly outcome: typeof DeliveryOutcome.ALREADY_DONE; readonly status: MessageStatus }
  | { readonly outcome: typeof DeliveryOutcome.EXPIRED }
  | { readonly outcome: typeof DeliveryOutcome.ERASED }
  | {
      readonly outcome: typeof DeliveryOutcome.FAILED;
      readonly error: DeliveryError;
      readonly fellBack: boolean;
    };

/** The lease and retry settings (see functions/config.ts `SenderEnv`). */
export interface DeliveryPolicy {
  /** Seconds an attempt's lease lasts: at least the function's timeout, shorter than the visibility timeout. */
  readonly leaseSeconds: number;
  /** On this try (SQS ApproximateReceiveCount), a retryable failure gives the channel up. */
  readonly maxRetryableFailures: number;
}

/** The customer store as a channel sender needs it: opt-outs and dead push devices. */
export type SenderCustomerStore = Pick<CustomerRepository, 'get' | 'setConsent' | 'setAddress'>;

/** Logging as the use case needs it; Powertools Logger fits. Never pass PII in `extra`. */
export interface DeliveryLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

/** What delivering needs. */
export interface DeliveryDependencies {
  readonly sender: ChannelSender;
  readonly ledger: Pick<
    AttemptLedger,
    'leaseAttempt' | 'recordSent' | 'recordFailed' | 'recordReceiptStatus'
  >;
  readonly customers: SenderCustomerStore;
  readonly fallback: FallbackQueue;
  readonly receipts: ReceiptCheckScheduler;
  readonly policy: DeliveryPolicy;
  readonly now?: () => Date;
  readonly logger?: DeliveryLogger;
}

/** One record to deliver. */
export interface Delivery {
  readonly message: ChannelMessage;
  /** Which try this is (SQS ApproximateReceiveCount, 1 for the first). */
  readonly receiveCount: number;
  /** Unique per invocation and record: the lease's owner. */
  readonly owner: string;
}

/** What a failure owes after it is recorded, kept in the attempt's details so a redelivery can finish it. */
interface FailureFollowUps {
  readonly fallback: boolean;
  readonly optedOut: boolean;
  readonly removedDevices: readonly string[];
}

const silentLogger: DeliveryLogger = { info() {}, warn() {} };

/** Delivers one channel message; throws RetryLaterError (or an unexpected error) when SQS should retry. */
export async function deliverChannelMessage(
  delivery: Delivery,
  deps: DeliveryDependencies,
): Promise<DeliveryResult> {
  const { message } = delivery;
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? silentLogger;
  const key: AttemptKey = {
    customerId: message.customerId,
    messageId: message.messageId,
    channel: message.channel,
    attempt: message.attempt,
  };
  const ids = { messageId: message.messageId, channel: message.channel, attempt: message.attempt };

  const lease = await deps.ledger.leaseAttempt(key, {
    owner: delivery.owner,
    leaseSeconds: deps.policy.leaseSeconds,
    now: now(),
    queuedAt: message.queuedAt,
    // So that a status callback reads only the attempt item (docs/webhooks.md, "Cost").
    context: {
      requestId: message.requestId,
      category: message.category,
      metadata: message.metadata,
      fallbackAllowed: fallbackAllowed(message),
    },
  });
  if (lease.outcome === 'erased') {
    logger.info('Customer erased while the message was queued; dropped without sending', ids);
    return { outcome: DeliveryOutcome.ERASED };
  }
  if (lease.outcome === 'already-done') {
    await finishWhatIsOwed(message, lease.attempt, deps, logger);
    logger.info('Attempt already done; acknowledged without sending', {
      ...ids,
      status: lease.attempt.status,
    });
    return { outcome: DeliveryOutcome.ALREADY_DONE, status: lease.attempt.status };
  }

  if (message.expiresAt && Date.parse(message.expiresAt) <= now().getTime()) {
    // The lease is not released: `expired` is terminal, so no later lease is possible anyway.
    await deps.ledger.recordReceiptStatus(key, { status: MessageStatus.EXPIRED, at: now() });
    logger.info('Message expired before it could be sent', ids);
    return { outcome: DeliveryOutcome.EXPIRED };
  }

  let receipt: SendReceipt;
  try {
    receipt = await deps.sender.send(message);
  } catch (error) {
    if (error instanceof ChannelUnusableError) {
      return fail(message, key, failureOf(error), deps, logger, {
        fallback: fallbackAllowed(message),
        optedOut: error.optedOut,
        removedDevices: error instanceof DevicesUnregisteredError ? error.removedDevices : [],
      });
    }
    // A transient fault, or a bug (retried like a fault, so no message is lost).
    const code = error instanceof RetryLaterError ? error.code : 'unexpected_error';
    if (delivery.receiveCount < deps.policy.maxRetryableFailures) {
      logger.warn('Send failed transiently; SQS will retry', {
        ...ids,
        code,
        receiveCount: delivery.receiveCount,
        retryAfterSeconds: error instanceof RetryLaterError ? error.retryAfterSeconds : undefined,
      });
      throw error;
    }
    const gaveUp: DeliveryError = {
      code: RETRIES_EXHAUSTED,
      message: `gave up after ${delivery.receiveCount} tries; last error ${code}`,
      permanent: true,
    };
    return fail(message, key, gaveUp, deps, logger, {
      fallback: fallbackAllowed(message),
      optedOut: false,
      removedDevices: [],
    });
  }

  // The double-send window (docs/channels.md): from the provider's answer to this write.
  await deps.ledger.recordSent(key, receipt, now());
  await finishSent(message, receipt.details, deps, logger);
  logger.info('Sent', { ...ids, provider: receipt.provider, providerMessageId: receipt.providerMessageId });
  return { outcome: DeliveryOutcome.SENT, receipt };
}

/** Whether a failed attempt hands the message back: the request allows fallback and channels remain. */
function fallbackAllowed(message: ChannelMessage): boolean {
  // The router leaves `fallbackChannels` empty when the request says `routing.fallback: false`.
  return message.fallbackChannels.length > 0;
}

function failureOf(error: ChannelUnusableError): DeliveryError {
  return { code: error.code.slice(0, 64), message: error.message.slice(0, 1024), permanent: true };
}

async function fail(
  message: ChannelMessage,
  key: AttemptKey,
  error: DeliveryError,
  deps: DeliveryDependencies,
  logger: DeliveryLogger,
  owed: FailureFollowUps,
): Promise<DeliveryResult> {
  const at = (deps.now ?? (() => new Date()))();
  await deps.ledger.recordFailed(key, error, at, {
    fallbackOwed: owed.fallback,
    optedOut: owed.optedOut,
    removedDevices: owed.removedDevices,
  });
  await finishFailure(message, owed, error.code, at.toISOString(), deps, logger);
  logger.warn('Channel gave up on the message', {
    messageId: message.messageId,
    channel: message.channel,
    attempt: message.attempt,
    code: error.code,
    fallback: owed.fallback,
  });
  return { outcome: DeliveryOutcome.FAILED, error, fellBack: owed.fallback };
}

/** Opt-out, device removal and fallback after a recorded failure. Each is harmless to repeat. */
async function finishFailure(
  message: ChannelMessage,
  owed: FailureFollowUps,
  code: string,
  at: string,
  deps: DeliveryDependencies,
  logger: DeliveryLogger,
): Promise<void> {
  if (owed.optedOut) await recordOptOut(message, at, deps, logger);
  if (owed.removedDevices.length > 0) await removeDevices(message, owed.removedDevices, deps, logger);
  if (owed.fallback) {
    const request: FallbackRequest = {
      kind: 'fallback',
      schemaVersion: 1,
      messageId: message.messageId,
      customerId: message.customerId,
      triedChannels: [message.channel],
      // Codes only: provider error messages are kept in the ledger, not repeated on the timeline.
      reason: `${message.channel}: failed (${code})`,
      requestedAt: at,
    };
    await deps.fallback.enqueue(request);
  }
}

/** Device removal and the receipt check after a recorded send. Each is harmless to repeat. */
async function finishSent(
  message: ChannelMessage,
  details: SendReceipt['details'],
  deps: DeliveryDependencies,
  logger: DeliveryLogger,
): Promise<void> {
  const removed = stringList(details?.removedDevices);
  if (removed.length > 0) await removeDevices(message, removed, deps, logger);
  if (message.receiptTimeoutSeconds !== undefined) {
    const now = (deps.now ?? (() => new Date()))();
    await deps.receipts.schedule({
      schemaVersion: 1,
      messageId: message.messageId,
      // Messages are stored under their customer: the check needs it to find the attempt.
      customerId: message.customerId,
      channel: message.channel,
      attempt: message.attempt,
      dueAt: new Date(now.getTime() + message.receiptTimeoutSeconds * 1000).toISOString(),
    });
  }
}

/**
 * A redelivered record found its attempt finished: finish what that attempt may still owe, in case
 * the invocation that finished it died before it could.
 */
async function finishWhatIsOwed(
  message: ChannelMessage,
  attempt: LedgerAttempt,
  deps: DeliveryDependencies,
  logger: DeliveryLogger,
): Promise<void> {
  if (attempt.status === MessageStatus.SENT) {
    await finishSent(message, attempt.details, deps, logger);
    return;
  }
  if (attempt.status === MessageStatus.FAILED && attempt.details && 'fallbackOwed' in attempt.details) {
    const failedAt =
      [...attempt.history].reverse().find((change) => change.status === MessageStatus.FAILED)?.at ??
      (deps.now ?? (() => new Date()))().toISOString();
    await finishFailure(
      message,
      {
        fallback: attempt.details.fallbackOwed === true,
        optedOut: attempt.details.optedOut === true,
        removedDevices: stringList(attempt.details.removedDevices),
      },
      attempt.error?.code ?? 'failed',
      failedAt,
      deps,
      logger,
    );
  }
}

/** Records the opt-out on this channel for every category a channel-wide STOP covers. */
async function recordOptOut(
  message: ChannelMessage,
  at: string,
  deps: DeliveryDependencies,
  logger: DeliveryLogger,
): Promise<void> {
  const stored = await deps.customers.get(message.customerId);
  if (!stored) return;
  // The failure's own time, so a redelivery never overrides an opt-in the person gave since.
  const record = { status: 'opted_out', at, source: PROVIDER_OPT_OUT_SOURCE } as const;
  for (const category of channelCategories(stored.customer, message.channel)) {
    await deps.customers.setConsent(message.customerId, category, message.channel, record);
  }
  logger.info('Recorded an opt-out the provider reported', {
    messageId: message.messageId,
    customerId: message.customerId,
    channel: message.channel,
  });
}

/** Takes devices the push service reported gone out of the profile. */
async function removeDevices(
  message: ChannelMessage,
  removed: readonly string[],
  deps: DeliveryDependencies,
  logger: DeliveryLogger,
): Promise<void> {
  const stored = await deps.customers.get(message.customerId);
  const devices = stored?.customer.addresses.push;
  if (!stored || !devices) return;
  const remaining = withoutDevices(devices, removed);
  if (remaining.length === devices.length) return;
  const channel: Channel = 'push';
  await deps.customers.setAddress(
    message.customerId,
    channel,
    remaining.length > 0 ? (remaining as Customer['addresses']['push']) : undefined,
  );
  logger.info('Removed unregistered push devices from the profile', {
    messageId: message.messageId,
    customerId: message.customerId,
    removed: devices.length - remaining.length,
  });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
