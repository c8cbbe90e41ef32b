/**
 * Magic addresses that make the sandbox fail on purpose, in the spirit of Twilio's test numbers,
 * so that every error, fallback and failure-receipt path can be tried locally. Documented in
 * docs/local.md; any other address succeeds (sent → delivered).
 */

/** SMS and WhatsApp numbers (the same for both). */
export const SandboxPhone = {
  /** Refused at send: not a valid phone number (Twilio 21211, permanent). */
  INVALID: '+15005550001',
  /** Refused at send: the person has opted out with the carrier (Twilio 21610). */
  OPTED_OUT: '+15005550004',
  /** Refused at send with 429 every time (Twilio 20429): retried, then exhausted. */
  THROTTLED: '+15005550008',
  /** Accepted, then a failure receipt: `undelivered`, Twilio 30003 (unreachable handset). */
  UNDELIVERABLE: '+15005550009',
} as const;

/** Email addresses. */
export const SandboxEmail = {
  /** Accepted (processed), then a `bounce` event (5.1.1, address does not exist). */
  BOUNCE: 'bounce@sandbox.switchboard.dev',
  /** Refused at send with 429 every time. */
  THROTTLED: 'throttled@sandbox.switchboard.dev',
} as const;

/** Push devices. */
export const SandboxPush = {
  /** An FCM token the sandbox reports as UNREGISTERED (the app was uninstalled). */
  UNREGISTERED_TOKEN: 'unregistered',
  /** A Web Push subscription whose endpoint ends with this path answers 410 Gone. */
  UNREGISTERED_ENDPOINT_SUFFIX: '/unregistered',
} as const;
