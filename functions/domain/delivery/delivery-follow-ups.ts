/**
 * What a delivery owes after its ledger write: fallback, the opt-out a provider reported, removal
 * of dead push devices, the receipt-timeout check. Each step is harmless to repeat, so a
 * redelivered record that finds its attempt finished runs them again (a crash between the ledger
 * write and these steps loses nothing).
 */
import {
  type Channel,
  type ChannelMessage,
  type Customer,
  type FallbackRequest,
  MessageStatus,
} from '../../contract';
import { channelWideCategories } from '../consent/consent-rules';
import type { LedgerAttempt } from '../ledger-model';
import type { SendReceipt } from '../ports';
import { withoutDevices } from '../push-devices';
import type { DeliveryDependencies, DeliveryLogger, FailureFollowUps } from './types';

/** The consent source recorded when a provider reports that the person opted out (Twilio 21610). */
export const PROVIDER_OPT_OUT_SOURCE = 'provider-opt-out';

/** Opt-out, device removal and fallback after a recorded failure. Each is harmless to repeat. */
export async function finishFailure(
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
export async function finishSent(
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
export async function finishWhatIsOwed(
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
  for (const category of channelWideCategories(stored.customer, message.channel)) {
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
