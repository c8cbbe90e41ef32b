/**
 * Provider credentials. Deployed, each provider's credentials are one JSON secret in AWS Secrets
 * Manager, named by a `SWITCHBOARD_*_SECRET_ARN` variable and read through Powertools Parameters
 * (cached, so a warm function does not call Secrets Manager per message). Locally, when no ARN is
 * set, they come from the providers' usual environment variables.
 *
 * | provider | secret ARN variable | secret JSON | local variables |
 * |---|---|---|---|
 * | Twilio | SWITCHBOARD_TWILIO_SECRET_ARN | {"accountSid","authToken","apiKeySid"?} | TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_KEY_SID |
 * | SendGrid | SWITCHBOARD_SENDGRID_SECRET_ARN | {"apiKey"} | SENDGRID_API_KEY |
 * | FCM | SWITCHBOARD_FCM_SECRET_ARN | the service-account key JSON | FCM_SERVICE_ACCOUNT_JSON |
 * | Web Push | SWITCHBOARD_WEBPUSH_SECRET_ARN | {"publicKey","privateKey"} (VAPID) | VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY |
 *
 * Only the senders read these. The SendGrid webhook's keys are in a secret of their own
 * (SWITCHBOARD_SENDGRID_WEBHOOK_SECRET_ARN, read in functions/wiring/webhook-ports.ts), so the
 * public webhook is never granted the API key.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { z } from 'zod';
import { ConfigurationError, CredentialsEnv, secretsMaxAgeFromEnv } from '../../config';

/** Re-exported from functions/config.ts, where infra/ reads it too. */
export { CredentialsEnv };

/** Twilio account credentials (an API key SID makes `authToken` the key's secret). */
export const TwilioCredentialsSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, { error: 'accountSid must be AC + 32 hex' }),
  authToken: z.string().min(1),
  apiKeySid: z
    .string()
    .regex(/^SK[0-9a-fA-F]{32}$/)
    .optional(),
});
/** Twilio credentials. */
export type TwilioCredentials = z.infer<typeof TwilioCredentialsSchema>;

/** A SendGrid API key. */
export const SendGridCredentialsSchema = z.object({ apiKey: z.string().min(1) });
/** SendGrid credentials. */
export type SendGridCredentials = z.infer<typeof SendGridCredentialsSchema>;

/** The fields of a Google service-account key that FCM needs. */
export const FcmCredentialsSchema = z.object({
  project_id: z.string().min(1),
  client_email: z.string().min(1),
  private_key: z.string().min(1),
});
/** FCM service-account credentials. */
export type FcmCredentials = z.infer<typeof FcmCredentialsSchema>;

/** A VAPID key pair (URL-safe base64, as `web-push generate-vapid-keys` prints them). */
export const WebPushCredentialsSchema = z.object({
  publicKey: z.string().min(1),
  privateKey: z.string().min(1),
});
/** VAPID keys. */
export type WebPushCredentials = z.infer<typeof WebPushCredentialsSchema>;

/** Where each provider's credentials come from. */
export interface ProviderCredentials {
  twilio(): Promise<TwilioCredentials>;
  sendgrid(): Promise<SendGridCredentials>;
  fcm(): Promise<FcmCredentials>;
  webPush(): Promise<WebPushCredentials>;
}

/** Options: the environment to read, and the Secrets Manager access (tests pass their own). */
export interface ProviderCredentialsOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly secrets?: SecretsProvider;
}

type Source<T> = { arnVariable: string; schema: z.ZodType<T>; local: (env: NodeJS.ProcessEnv) => unknown };

const SOURCES = {
  twilio: {
    arnVariable: CredentialsEnv.TWILIO_SECRET_ARN,
    schema: TwilioCredentialsSchema,
    local: (env) => ({
      accountSid: env[CredentialsEnv.TWILIO_ACCOUNT_SID],
      authToken: env[CredentialsEnv.TWILIO_AUTH_TOKEN],
      apiKeySid: env[CredentialsEnv.TWILIO_API_KEY_SID] || undefined,
    }),
  } satisfies Source<TwilioCredentials>,
  sendgrid: {
    arnVariable: CredentialsEnv.SENDGRID_SECRET_ARN,
    schema: SendGridCredentialsSchema,
    local: (env) => ({ apiKey: env[CredentialsEnv.SENDGRID_API_KEY] }),
  } satisfies Source<SendGridCredentials>,
  fcm: {
    arnVariable: CredentialsEnv.FCM_SECRET_ARN,
    schema: FcmCredentialsSchema,
    local: (env) => {
      const raw = env[CredentialsEnv.FCM_SERVICE_ACCOUNT_JSON];
      if (!raw) return {};
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new ConfigurationError(`${CredentialsEnv.FCM_SERVICE_ACCOUNT_JSON} is not valid JSON`);
      }
    },
  } satisfies Source<FcmCredentials>,
  webPush: {
    arnVariable: CredentialsEnv.WEBPUSH_SECRET_ARN,
    schema: WebPushCredentialsSchema,
    local: (env) => ({
      publicKey: env[CredentialsEnv.VAPID_PUBLIC_KEY],
      privateKey: env[CredentialsEnv.VAPID_PRIVATE_KEY],
    }),
  } satisfies Source<WebPushCredentials>,
};

/** Credentials from Secrets Manager when an ARN is set, from the environment otherwise. */
export function createProviderCredentials(options: ProviderCredentialsOptions = {}): ProviderCredentials {
  const env = options.env ?? process.env;
  const maxAge = secretsMaxAgeFromEnv(env);
  // Created on first use, so a function that never sends never builds a Secrets Manager client.
  let secrets = options.secrets;
  const load = async <T>(name: string, source: Source<T>): Promise<T> => {
    const arn = env[source.arnVariable];
    let raw: unknown;
    let from: string;
    if (arn) {
      secrets ??= new SecretsProvider();
      raw = await secrets.get(arn, { maxAge, transform: 'json' });
      from = `secret ${source.arnVariable}`;
    } else {
      raw = source.local(env);
      from = 'environment';
    }
    const parsed = source.schema.safeParse(raw);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || issue.message).join(', ');
      // Never echo the values: they are secrets.
      throw new ConfigurationError(
        `${name} credentials from the ${from} are missing or malformed (${fields}); set ${source.arnVariable} or the local variables listed in docs/channels.md`,
      );
    }
    return parsed.data;
  };
  return {
    twilio: () => load('Twilio', SOURCES.twilio),
    sendgrid: () => load('SendGrid', SOURCES.sendgrid),
    fcm: () => load('FCM', SOURCES.fcm),
    webPush: () => load('Web Push', SOURCES.webPush),
  };
}
