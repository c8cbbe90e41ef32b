/**
 * Errors of the webhook boundary. Each says what the handler answers, so a handler decides from the
 * class alone: 401 for a request that cannot be proven to come from the provider, 400 for one that
 * is authentic but unreadable. Neither ever becomes a 5xx: a 5xx makes providers retry bad input.
 */
import { SwitchboardError } from './errors';

/** The request's signature, timestamp or secret is missing, forged or stale: answer 401, change nothing. */
export class WebhookAuthenticationError extends SwitchboardError {
  /** Why, in words safe to log (never the secret or the signature itself). */
  readonly reason: string;
  constructor(reason: string, options?: ErrorOptions) {
    super(`Webhook request not authenticated: ${reason}`, options);
    this.reason = reason;
  }
}

/** The request is authentic (or not yet checked) but its body or headers cannot be read: answer 400. */
export class WebhookPayloadError extends SwitchboardError {
  /** What was wrong, in plain words. */
  readonly reason: string;
  constructor(reason: string, options?: ErrorOptions) {
    super(`Webhook payload rejected: ${reason}`, options);
    this.reason = reason;
  }
}
