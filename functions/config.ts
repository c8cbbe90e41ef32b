/**
 * Configuration from the environment, read once at module level and checked: a missing variable
 * fails fast with its name. The names are shared with infra/ (which sets them) and local/ (which
 * sets them for the in-process runtime), so they live here once.
 *
 * AWS endpoints are not configured here: the AWS SDK reads `AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_SQS` and `AWS_ENDPOINT_URL_SNS` itself, which is how the local runtime and the
 * tests point the same code at the emulators.
 */

/** Environment variable names. */
export const Env = {
  CUSTOMERS_TABLE: 'SWITCHBOARD_CUSTOMERS_TABLE',
  MESSAGES_TABLE: 'SWITCHBOARD_MESSAGES_TABLE',
  OUTBOUND_QUEUE_URL: 'SWITCHBOARD_OUTBOUND_QUEUE_URL',
  SMS_QUEUE_URL: 'SWITCHBOARD_SMS_QUEUE_URL',
  WHATSAPP_QUEUE_URL: 'SWITCHBOARD_WHATSAPP_QUEUE_URL',
  EMAIL_QUEUE_URL: 'SWITCHBOARD_EMAIL_QUEUE_URL',
  PUSH_QUEUE_URL: 'SWITCHBOARD_PUSH_QUEUE_URL',
  EVENTS_TOPIC_ARN: 'SWITCHBOARD_EVENTS_TOPIC_ARN',
  /** Days a message stays on the timeline before DynamoDB TTL removes it. */
  RETENTION_DAYS: 'SWITCHBOARD_RETENTION_DAYS',
  /** Folder holding the message templates; defaults to the repository's `templates/` (or `templates/` beside the Lambda bundle). */
  TEMPLATES_DIR: 'SWITCHBOARD_TEMPLATES_DIR',
  /** The receipts queue: delayed receipt-timeout checks. */
  RECEIPTS_QUEUE_URL: 'SWITCHBOARD_RECEIPTS_QUEUE_URL',
  /**
   * SendGrid's Event Webhook verification key (public, base64 DER as the console shows it). Optional
   * when deployed: unset, the webhook reads `eventWebhookPublicKey` from the SendGrid secret. The
   * webhooks' secrets live in the providers' own secrets (handlers/shared/webhook-wiring.ts).
   */
  SENDGRID_WEBHOOK_PUBLIC_KEY: 'SWITCHBOARD_SENDGRID_WEBHOOK_PUBLIC_KEY',
  /** Seconds a signed SendGrid event request stays acceptable (default 300). */
  SENDGRID_WEBHOOK_TOLERANCE_SECONDS: 'SWITCHBOARD_SENDGRID_WEBHOOK_TOLERANCE_SECONDS',
  /**
   * The public base URL Twilio calls, when a proxy or custom-domain mapping sits in front of the
   * HTTP API (see functions/adapters/twilio-signature.ts); unset, the Host header is used.
   */
  PUBLIC_BASE_URL: 'SWITCHBOARD_PUBLIC_BASE_URL',
  /** What "please stop texting me" does: `flag` (default, recorded for review) or `opt-out`. */
  PLAIN_LANGUAGE_OPT_OUT: 'SWITCHBOARD_PLAIN_LANGUAGE_OPT_OUT',
  /** Time zone (IANA) for customers without one; default UTC. */
  DEFAULT_TIMEZONE: 'SWITCHBOARD_DEFAULT_TIMEZONE',
  /** Quiet hours for customers without their own, `HH:MM-HH:MM`; default 21:00-08:00. */
  QUIET_HOURS: 'SWITCHBOARD_QUIET_HOURS',
  /** ARN of the outbound queue, the target of long-delay schedules. */
  OUTBOUND_QUEUE_ARN: 'SWITCHBOARD_OUTBOUND_QUEUE_ARN',
  /** Role EventBridge Scheduler assumes to send to the outbound queue. Unset: delays chain through SQS. */
  SCHEDULER_ROLE_ARN: 'SWITCHBOARD_SCHEDULER_ROLE_ARN',
  /** EventBridge Scheduler group for long-delay schedules; default `default`. */
  SCHEDULE_GROUP: 'SWITCHBOARD_SCHEDULE_GROUP',
} as const;

/** Thrown when configuration is missing or malformed. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** The value of a required variable, or a ConfigurationError naming it. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`Environment variable ${name} is required but not set`);
  }
  return value;
}

/** The value of an optional variable, or the default. */
export function optionalEnv(name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value;
}

/** A positive whole number from the environment, or the default. */
export function positiveIntEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(
      `Environment variable ${name} must be a positive whole number, got "${raw}"`,
    );
  }
  return value;
}
