/**
 * Push delivery to several devices: what happened at each device, and what that means for the
 * message as a whole. Pure, so the rule is tested once for FCM and Web Push together.
 */
import { ChannelUnusableError, DevicesUnregisteredError, RetryLaterError } from './errors';
import type { SendReceipt } from './ports';

/** What one push service said for one device. */
export type DeviceOutcome =
  | {
      readonly device: string;
      readonly provider: 'fcm' | 'webpush';
      readonly result: 'delivered';
      readonly providerMessageId: string;
    }
  /** The push service says the device is gone for good: remove it from the profile. */
  | {
      readonly device: string;
      readonly provider: 'fcm' | 'webpush';
      readonly result: 'gone';
      readonly code: string;
    }
  /** A transient fault: this device might accept the message later. */
  | {
      readonly device: string;
      readonly provider: 'fcm' | 'webpush';
      readonly result: 'retry';
      readonly code: string;
      readonly retryAfterSeconds?: number;
      /** What went wrong, for the error message (no personal data). */
      readonly reason?: string;
    }
  /** The push service refused this message for this device; sending it again will not help. */
  | {
      readonly device: string;
      readonly provider: 'fcm' | 'webpush';
      readonly result: 'failed';
      readonly code: string;
    };

/** A device outcome without the device and provider (what a push service's answer means). */
export type DeviceResult = DeviceOutcome extends infer Outcome
  ? Outcome extends DeviceOutcome
    ? Omit<Outcome, 'device' | 'provider'>
    : never
  : never;

/**
 * The receipt for a push message, or the error that says what happens next.
 *
 * - At least one device accepted: sent. Devices that failed transiently are not retried, since a
 *   retry would notify the accepting devices twice; gone devices are listed in `removedDevices`.
 * - None accepted and one failed transiently: RetryLaterError (gone devices are found again then).
 * - None accepted, none transient: DevicesUnregisteredError when some are gone (remove them, fall
 *   back), ChannelUnusableError otherwise.
 */
export function summarisePushOutcomes(outcomes: readonly DeviceOutcome[]): SendReceipt {
  const delivered = outcomes.filter((outcome) => outcome.result === 'delivered');
  const removedDevices = outcomes
    .filter((outcome) => outcome.result === 'gone')
    .map((outcome) => outcome.device);
  const retry = outcomes.filter((outcome) => outcome.result === 'retry');
  const failed = outcomes.filter((outcome) => outcome.result === 'failed');
  const [first] = delivered;
  if (first) {
    return {
      provider: first.provider,
      providerMessageId: first.providerMessageId,
      details: {
        devices: outcomes.length,
        delivered: delivered.length,
        providerMessageIds: delivered.map((outcome) => outcome.providerMessageId),
        removedDevices,
        failedDevices: failed.length + retry.length,
      },
    };
  }
  const [firstRetry] = retry;
  if (firstRetry) {
    const waits = retry.map((outcome) => outcome.retryAfterSeconds).filter((wait) => wait !== undefined);
    return throwing(
      new RetryLaterError(
        `No push device accepted the message; ${retry.length} failed transiently (${firstRetry.code}${firstRetry.reason ? `: ${firstRetry.reason}` : ''})`,
        {
          code: firstRetry.code,
          ...(waits.length > 0 ? { retryAfterSeconds: Math.max(...waits) } : {}),
        },
      ),
    );
  }
  if (removedDevices.length > 0) {
    return throwing(
      new DevicesUnregisteredError(
        `No push device accepted the message: ${removedDevices.length} of ${outcomes.length} are no longer registered`,
        { code: failed.length === 0 ? 'all_devices_unregistered' : 'no_device_accepted', removedDevices },
      ),
    );
  }
  const codes = [...new Set(failed.map((outcome) => outcome.code))].join(', ');
  return throwing(
    new ChannelUnusableError(`No push device accepted the message (${codes || 'no devices'})`, {
      code: failed[0]?.code ?? 'no_devices',
    }),
  );
}

function throwing(error: Error): never {
  throw error;
}
