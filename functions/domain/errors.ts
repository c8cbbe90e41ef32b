/**
 * Errors that say what happens next. Adapters translate provider and AWS errors into these at the
 * boundary; handlers decide from the class alone.
 *
 * - {@link RetryLaterError}: a transient fault (throttling, 5xx, timeout). The record is reported
 *   as a batch item failure and SQS retries it with backoff.
 * - {@link ChannelUnusableError}: this channel will not reach this person now (invalid address,
 *   opted out, not a WhatsApp user, closed window without a template). Recorded as `failed` and
 *   handed back to the router for fallback.
 * - {@link RequestRejectedError}: the request itself is wrong. Recorded as `rejected`, never retried.
 */

/** Base class of every Switchboard error. */
export class SwitchboardError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A transient fault: try the same thing again later. */
export class RetryLaterError extends SwitchboardError {
  /** The provider's or service's code, when it gave one. */
  readonly code: string;
  /** Seconds the provider asked us to wait, when it said (Retry-After). */
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, options: ErrorOptions & { code: string; retryAfterSeconds?: number }) {
    super(message, options);
    this.code = options.code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** This channel will not reach this person now: give up on it and fall back. */
export class ChannelUnusableError extends SwitchboardError {
  /** The provider's code, such as Twilio's `21211` or `invalid_address`. */
  readonly code: string;
  /** When the code means the person opted out through the provider (e.g. Twilio 21610). */
  readonly optedOut: boolean;
  constructor(message: string, options: ErrorOptions & { code: string; optedOut?: boolean }) {
    super(message, options);
    this.code = options.code;
    this.optedOut = options.optedOut ?? false;
  }
}

/** The request is invalid: record it as rejected with the reason, do not retry. */
export class RequestRejectedError extends SwitchboardError {
  /** Each reason, in plain words. */
  readonly reasons: readonly string[];
  constructor(reasons: readonly string[], options?: ErrorOptions) {
    super(reasons.join('; '), options);
    this.reasons = reasons;
  }
}

/**
 * Every push device of the customer was reported gone by its push service. The channel is unusable,
 * and the devices must be removed from the profile.
 */
export class DevicesUnregisteredError extends ChannelUnusableError {
  /** Keys of the devices to remove (FCM token or Web Push endpoint, see domain/push-devices.ts). */
  readonly removedDevices: readonly string[];
  constructor(message: string, options: ErrorOptions & { code: string; removedDevices: readonly string[] }) {
    super(message, options);
    this.removedDevices = options.removedDevices;
  }
}

/**
 * A timeline cursor that Switchboard did not issue for this customer's timeline (garbled, forged,
 * or taken from another customer's pages): the caller's mistake, answered 400, never a 5xx.
 */
export class InvalidCursorError extends SwitchboardError {}
