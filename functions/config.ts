/**
 * Configuration from the environment, read once at module level and checked: a missing variable
 * fails fast with its name. The names are shared with infra/ (which sets them) and local/ (which
 * sets them for the in-process runtime), so they live here once.
 *
 * AWS endpoints are not configured here: the AWS SDK reads `AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_SQS` and `AWS_ENDPOINT_URL_SNS` itself, which is how the local runtime and the
 * tests point the same code at the emulators.
 */

import { type Channel, QuietHoursSchema, timeZone } from './contract';
import type { DeliveryPolicy } from './domain/delivery';
import { DEFAULT_ROUTING, type RoutingDefaults } from './domain/plan-route';

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
  /** Personal context fields touchpoints keep, comma-separated (`ip`, `userAgent`); none by default. */
  KEEP_CLIENT_CONTEXT: 'SWITCHBOARD_KEEP_CLIENT_CONTEXT',
  /** Folder holding the message templates; defaults to the repository's `templates/` (or the `templates.json` the bundler writes beside the Lambda bundle). */
  TEMPLATES_DIR: 'SWITCHBOARD_TEMPLATES_DIR',
  /** The receipts queue: delayed receipt-timeout checks. */
  RECEIPTS_QUEUE_URL: 'SWITCHBOARD_RECEIPTS_QUEUE_URL',
  /**
   * SendGrid's Event Webhook verification key (public, base64 DER as the console shows it). Optional
   * when deployed: unset, the webhook reads `eventWebhookPublicKey` from the SendGrid webhook secret.
   * The webhooks' secrets live in the providers' secrets (wiring/webhook-ports.ts).
   */
  SENDGRID_WEBHOOK_PUBLIC_KEY: 'SWITCHBOARD_SENDGRID_WEBHOOK_PUBLIC_KEY',
  /** Seconds a signed SendGrid event request stays acceptable (default 300). */
  SENDGRID_WEBHOOK_TOLERANCE_SECONDS: 'SWITCHBOARD_SENDGRID_WEBHOOK_TOLERANCE_SECONDS',
  /**
   * The public base URL Twilio calls, when a proxy or custom-domain mapping sits in front of the
   * HTTP API (see functions/adapters/twilio/signature.ts); unset, the Host header is used.
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

/** Default days a message stays on the timeline ({@link Env.RETENTION_DAYS}). */
export const DEFAULT_RETENTION_DAYS = 400;

/** Settings of the channel senders (send-sms, send-whatsapp, send-email, send-push). */
export const SenderEnv = {
  /**
   * Seconds an attempt's lease lasts (default {@link DEFAULT_SEND_LEASE_SECONDS}). The stack sets it
   * to the channel queue's consumer timeout: long enough that a live invocation never loses its
   * lease, short enough that the first redelivery after a crash (one visibility timeout later) finds
   * it expired. See docs/channels.md, "The double-send window".
   */
  LEASE_SECONDS: 'SWITCHBOARD_SEND_LEASE_SECONDS',
  /**
   * Retryable failures after which a channel is given up and the message falls back (default
   * {@link DEFAULT_MAX_RETRYABLE_FAILURES}); the stack sets it to one less than the queue's
   * maxReceiveCount so that a message never reaches the DLQ for a provider fault.
   */
  MAX_RETRYABLE_FAILURES: 'SWITCHBOARD_SEND_MAX_RETRYABLE_FAILURES',
} as const;

/** Default EventBridge Scheduler group of long-delay schedules ({@link Env.SCHEDULE_GROUP}). */
export const DEFAULT_SCHEDULE_GROUP = 'default';

/** Default lease: the channel queues' consumer timeout (infra/resources.ts; a test keeps them equal). */
export const DEFAULT_SEND_LEASE_SECONDS = 30;

/** Default retry limit: one less than the channel queues' maxReceiveCount (infra/resources.ts; tested). */
export const DEFAULT_MAX_RETRYABLE_FAILURES = 7;

/** Environment variable names of the Twilio settings that are not secrets. */
export const TwilioEnv = {
  /** The SMS sender: an E.164 number or an alphanumeric sender id. */
  SMS_FROM: 'SWITCHBOARD_TWILIO_SMS_FROM',
  /** A Messaging Service SID (MG…); when set, Twilio picks the sender and SMS_FROM is not needed. */
  MESSAGING_SERVICE_SID: 'SWITCHBOARD_TWILIO_MESSAGING_SERVICE_SID',
  /** The WhatsApp sender number in E.164 (without the `whatsapp:` prefix). */
  WHATSAPP_FROM: 'SWITCHBOARD_TWILIO_WHATSAPP_FROM',
  /** The public URL of `POST /webhooks/twilio/status`; per-message ids are added as query parameters. */
  STATUS_CALLBACK_URL: 'SWITCHBOARD_TWILIO_STATUS_CALLBACK_URL',
  /** Scheme and host of the Twilio API (a mock locally); Twilio's by default. */
  API_BASE_URL: 'SWITCHBOARD_TWILIO_API_BASE_URL',
} as const;

/** Environment variable names of the SendGrid settings that are not secrets. */
export const SendGridEnv = {
  FROM_EMAIL: 'SWITCHBOARD_EMAIL_FROM',
  FROM_NAME: 'SWITCHBOARD_EMAIL_FROM_NAME',
  REPLY_TO: 'SWITCHBOARD_EMAIL_REPLY_TO',
  /**
   * HTTPS URL that unsubscribes with one POST (RFC 8058); `{customerId}`, `{category}` and
   * `{messageId}` are replaced, URL-encoded.
   */
  UNSUBSCRIBE_URL: 'SWITCHBOARD_EMAIL_UNSUBSCRIBE_URL',
  /** Optional mailto address for List-Unsubscribe, for mail clients without one-click. */
  UNSUBSCRIBE_MAILTO: 'SWITCHBOARD_EMAIL_UNSUBSCRIBE_MAILTO',
  /** Scheme and host of the SendGrid API (a mock locally; `https://api.eu.sendgrid.com` for EU). */
  API_BASE_URL: 'SWITCHBOARD_SENDGRID_API_BASE_URL',
} as const;

/** Environment variable names of the FCM settings that are not secrets. */
export const FcmEnv = {
  /** Scheme and host of the FCM API (a local server in tests). */
  API_BASE_URL: 'SWITCHBOARD_FCM_API_BASE_URL',
  /** Google's OAuth token endpoint (a local server in tests). */
  TOKEN_URL: 'SWITCHBOARD_FCM_TOKEN_URL',
  /** The Firebase project to send through, when not the service account's own `project_id`. */
  PROJECT_ID: 'SWITCHBOARD_FCM_PROJECT_ID',
} as const;

/** Environment variable names of the Web Push settings that are not secrets. */
export const WebPushEnv = {
  /** VAPID subject: a `mailto:` or `https:` contact for push services (RFC 8292). */
  SUBJECT: 'SWITCHBOARD_WEBPUSH_SUBJECT',
} as const;

/**
 * Environment variable names for provider credentials: a Secrets Manager ARN per provider
 * (deployed), or the providers' usual variables (locally); see adapters/secrets/provider-credentials.ts.
 */
export const CredentialsEnv = {
  TWILIO_SECRET_ARN: 'SWITCHBOARD_TWILIO_SECRET_ARN',
  SENDGRID_SECRET_ARN: 'SWITCHBOARD_SENDGRID_SECRET_ARN',
  /**
   * The SendGrid webhook's own secret (Event Webhook verification key, Inbound Parse token), apart
   * from the API key so that the public webhook cannot read the key that sends mail.
   */
  SENDGRID_WEBHOOK_SECRET_ARN: 'SWITCHBOARD_SENDGRID_WEBHOOK_SECRET_ARN',
  FCM_SECRET_ARN: 'SWITCHBOARD_FCM_SECRET_ARN',
  WEBPUSH_SECRET_ARN: 'SWITCHBOARD_WEBPUSH_SECRET_ARN',
  /** Seconds a secret stays cached in a warm function (default 300). */
  SECRETS_MAX_AGE: 'SWITCHBOARD_SECRETS_MAX_AGE_SECONDS',
  TWILIO_ACCOUNT_SID: 'TWILIO_ACCOUNT_SID',
  TWILIO_AUTH_TOKEN: 'TWILIO_AUTH_TOKEN',
  TWILIO_API_KEY_SID: 'TWILIO_API_KEY_SID',
  SENDGRID_API_KEY: 'SENDGRID_API_KEY',
  FCM_SERVICE_ACCOUNT_JSON: 'FCM_SERVICE_ACCOUNT_JSON',
  VAPID_PUBLIC_KEY: 'VAPID_PUBLIC_KEY',
  VAPID_PRIVATE_KEY: 'VAPID_PRIVATE_KEY',
} as const;

/**
 * Variables of the keyed address hash (functions/adapters/secrets/keyed-hash.ts): the pepper's
 * secret ARN (deployed), the pepper itself (locally), and `read` to also read the plain SHA-256
 * keys stored before keying (migration, docs/deploy.md).
 */
export const AddressPepperEnv = {
  SECRET_ARN: 'SWITCHBOARD_ADDRESS_PEPPER_SECRET_ARN',
  LOCAL_PEPPER: 'SWITCHBOARD_ADDRESS_PEPPER',
  LEGACY: 'SWITCHBOARD_LEGACY_ADDRESS_HASH',
} as const;

/** Default seconds a secret stays cached in a warm function ({@link CredentialsEnv.SECRETS_MAX_AGE}), so a rotation is picked up without a deploy. */
export const DEFAULT_SECRETS_MAX_AGE_SECONDS = 300;

/** Seconds a secret stays cached, from the environment (default {@link DEFAULT_SECRETS_MAX_AGE_SECONDS}). */
export function secretsMaxAgeFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveIntEnv(CredentialsEnv.SECRETS_MAX_AGE, DEFAULT_SECRETS_MAX_AGE_SECONDS, env);
}

/** CloudWatch namespace of Switchboard's own metrics (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Switchboard';

/** Powertools service name shared by every function, so metric dimensions are predictable. */
export const SERVICE_NAME = 'switchboard';

/**
 * Metrics the channel senders emit (Powertools Metrics, unit Count), with dimensions
 * `service` = SERVICE_NAME (Powertools' default dimension) and `channel` = sms|whatsapp|email|push.
 * The per-channel failure-rate alarm is SendFailed / (MessageSent + SendFailed).
 */
export const SenderMetric = {
  /** A provider accepted the message (one per attempt recorded `sent`). */
  SENT: 'MessageSent',
  /** An attempt ended in `failed`: permanent provider error or retries exhausted (not transient retries). */
  FAILED: 'SendFailed',
} as const;

/** The dimension naming the channel on sender metrics. */
export const CHANNEL_DIMENSION = 'channel';

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

/** Days a message stays on the timeline, from {@link Env.RETENTION_DAYS} (default {@link DEFAULT_RETENTION_DAYS}). */
export function retentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveIntEnv(Env.RETENTION_DAYS, DEFAULT_RETENTION_DAYS, env);
}

/** Where the API finds its tables and the outbound queue. */
export interface ApiConfig {
  readonly customersTable: string;
  readonly messagesTable: string;
  readonly outboundQueueUrl: string;
  readonly retentionDays: number;
  /** The EventBridge Scheduler group of delayed sends; unset locally (the SQS delay chain). */
  readonly scheduleGroup?: string;
}

/** Reads the API's configuration from the environment, failing fast on a missing variable. */
export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return {
    customersTable: requireEnv(Env.CUSTOMERS_TABLE, env),
    messagesTable: requireEnv(Env.MESSAGES_TABLE, env),
    outboundQueueUrl: requireEnv(Env.OUTBOUND_QUEUE_URL, env),
    retentionDays: retentionDaysFromEnv(env),
    ...(env[Env.SCHEDULE_GROUP] ? { scheduleGroup: env[Env.SCHEDULE_GROUP] } : {}),
  };
}

/** Where the router finds its tables and queues, and its routing defaults. */
export interface RouteMessagesConfig {
  readonly customersTable: string;
  readonly messagesTable: string;
  readonly outboundQueueUrl: string;
  readonly channelQueueUrls: Readonly<Record<Channel, string>>;
  readonly retentionDays: number;
  readonly defaults: RoutingDefaults;
  /** EventBridge Scheduler settings; without them long delays chain through SQS (local runtime). */
  readonly scheduler?: {
    readonly outboundQueueArn: string;
    readonly roleArn: string;
    readonly groupName: string;
  };
}

/** Reads the router's configuration from the environment, failing fast on a missing variable. */
export function routeMessagesConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RouteMessagesConfig {
  const roleArn = env[Env.SCHEDULER_ROLE_ARN];
  return {
    customersTable: requireEnv(Env.CUSTOMERS_TABLE, env),
    messagesTable: requireEnv(Env.MESSAGES_TABLE, env),
    outboundQueueUrl: requireEnv(Env.OUTBOUND_QUEUE_URL, env),
    channelQueueUrls: {
      sms: requireEnv(Env.SMS_QUEUE_URL, env),
      whatsapp: requireEnv(Env.WHATSAPP_QUEUE_URL, env),
      email: requireEnv(Env.EMAIL_QUEUE_URL, env),
      push: requireEnv(Env.PUSH_QUEUE_URL, env),
    },
    retentionDays: retentionDaysFromEnv(env),
    defaults: routingDefaultsFromEnv(env),
    ...(roleArn
      ? {
          scheduler: {
            roleArn,
            outboundQueueArn: requireEnv(Env.OUTBOUND_QUEUE_ARN, env),
            groupName: optionalEnv(Env.SCHEDULE_GROUP, DEFAULT_SCHEDULE_GROUP, env),
          },
        }
      : {}),
  };
}

/** Default time zone and quiet hours from the environment. */
export function routingDefaultsFromEnv(env: NodeJS.ProcessEnv = process.env): RoutingDefaults {
  const zone = optionalEnv(Env.DEFAULT_TIMEZONE, DEFAULT_ROUTING.timeZone, env);
  // A configured zone is checked here, so a typo fails at start-up rather than on the first
  // marketing message. The built-in UTC is not: the check loads Intl's time-zone data (about a
  // seventh of a cold start, `npm run bench:cold`), which transactional messages never need otherwise.
  if (zone !== DEFAULT_ROUTING.timeZone && !timeZone.safeParse(zone).success) {
    throw new ConfigurationError(
      `Environment variable ${Env.DEFAULT_TIMEZONE} must be an IANA time zone, got "${zone}"`,
    );
  }
  const raw = env[Env.QUIET_HOURS];
  if (!raw) return { timeZone: zone, quietHours: DEFAULT_ROUTING.quietHours };
  const [start, end] = raw.split('-');
  const quietHours = QuietHoursSchema.safeParse({ start: start?.trim(), end: end?.trim() });
  if (!quietHours.success) {
    throw new ConfigurationError(
      `Environment variable ${Env.QUIET_HOURS} must look like 21:00-08:00, got "${raw}"`,
    );
  }
  return { timeZone: zone, quietHours: quietHours.data };
}

/** Where a channel sender finds its tables and queues, and its lease and retry settings. */
export interface ChannelConsumerConfig {
  readonly customersTable: string;
  readonly messagesTable: string;
  /** Where fallback requests go (the router's queue). */
  readonly outboundQueueUrl: string;
  /** Where receipt-timeout checks go. */
  readonly receiptsQueueUrl: string;
  readonly retentionDays: number;
  readonly policy: DeliveryPolicy;
}

/** Reads a channel sender's configuration from the environment, failing fast on a missing variable. */
export function channelConsumerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelConsumerConfig {
  return {
    customersTable: requireEnv(Env.CUSTOMERS_TABLE, env),
    messagesTable: requireEnv(Env.MESSAGES_TABLE, env),
    outboundQueueUrl: requireEnv(Env.OUTBOUND_QUEUE_URL, env),
    receiptsQueueUrl: requireEnv(Env.RECEIPTS_QUEUE_URL, env),
    retentionDays: retentionDaysFromEnv(env),
    policy: {
      leaseSeconds: positiveIntEnv(SenderEnv.LEASE_SECONDS, DEFAULT_SEND_LEASE_SECONDS, env),
      maxRetryableFailures: positiveIntEnv(
        SenderEnv.MAX_RETRYABLE_FAILURES,
        DEFAULT_MAX_RETRYABLE_FAILURES,
        env,
      ),
    },
  };
}
