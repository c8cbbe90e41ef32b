/**
 * Environment variable names the deployed stack sets beyond `Env` in functions/config.ts.
 *
 * Secrets are passed by ARN only (handlers fetch and cache the value with Powertools Parameters),
 * never by value. These names are proposed for `Env` in functions/config.ts; until they move there,
 * this is the one place both sides can read them from.
 */

/** Names of the provider, secret and scheduling variables set on the functions. */
export const DeployEnv = {
  /** Deployment stage name (`dev`, `prod`, …). */
  STAGE: 'SWITCHBOARD_STAGE',
  /** Secrets Manager ARN of `{"accountSid","authToken"}`. */
  TWILIO_SECRET_ARN: 'SWITCHBOARD_TWILIO_SECRET_ARN',
  /** Secrets Manager ARN of `{"apiKey","eventWebhookPublicKey","inboundParseToken"}`. */
  SENDGRID_SECRET_ARN: 'SWITCHBOARD_SENDGRID_SECRET_ARN',
  /** Secrets Manager ARN of the FCM service-account JSON key file. */
  FCM_SECRET_ARN: 'SWITCHBOARD_FCM_SECRET_ARN',
  /** Secrets Manager ARN of `{"publicKey","privateKey"}` (VAPID, base64url). */
  VAPID_SECRET_ARN: 'SWITCHBOARD_VAPID_SECRET_ARN',
  TWILIO_MESSAGING_SERVICE_SID: 'SWITCHBOARD_TWILIO_MESSAGING_SERVICE_SID',
  TWILIO_SMS_FROM: 'SWITCHBOARD_TWILIO_SMS_FROM',
  TWILIO_WHATSAPP_FROM: 'SWITCHBOARD_TWILIO_WHATSAPP_FROM',
  EMAIL_FROM: 'SWITCHBOARD_EMAIL_FROM',
  EMAIL_FROM_NAME: 'SWITCHBOARD_EMAIL_FROM_NAME',
  EMAIL_REPLY_TO: 'SWITCHBOARD_EMAIL_REPLY_TO',
  FCM_PROJECT_ID: 'SWITCHBOARD_FCM_PROJECT_ID',
  VAPID_SUBJECT: 'SWITCHBOARD_VAPID_SUBJECT',
  /** Base URL of the HTTP API (no trailing slash): senders build provider status-callback URLs from it. */
  PUBLIC_BASE_URL: 'SWITCHBOARD_PUBLIC_BASE_URL',
} as const;

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
