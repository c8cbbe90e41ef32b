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
import { type ChannelMessage, type DeliveryError, MessageStatus } from '../../contract';
import { ChannelUnusableError, DevicesUnregisteredError, RetryLaterError } from '../errors';
import type { AttemptKey } from '../ledger-model';
import type { SendReceipt } from '../ports';
import { finishFailure, finishSent, finishWhatIsOwed } from './delivery-follow-ups';
import { proposeLinkTokens, withTrackedLinks } from './track-links';
import {
  type Delivery,
  type DeliveryDependencies,
  type DeliveryLogger,
  DeliveryOutcome,
  type DeliveryResult,
  type FailureFollowUps,
  RETRIES_EXHAUSTED,
} from './types';

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
  const linkTokens = deps.links ? proposeLinkTokens(message, deps.links, now()) : [];

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
      ...(message.template ? { template: message.template } : {}),
      fallbackAllowed: fallbackAllowed(message),
      ...(linkTokens.length > 0 ? { linkTokens } : {}),
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

  // Links are rewritten per attempt, their items written before the message leaves (track-links.ts).
  const outgoing =
    deps.links && linkTokens.length > 0
      ? await withTrackedLinks(message, key, lease.attempt.linkTokens ?? [], deps.links)
      : message;
  if (outgoing === 'erased') {
    logger.info('Customer erased while the message was being sent; dropped without sending', ids);
    return { outcome: DeliveryOutcome.ERASED };
  }

  let receipt: SendReceipt;
  try {
    receipt = await deps.sender.send(outgoing);
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
