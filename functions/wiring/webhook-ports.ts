/**
 * Production wiring of the webhook handlers and the receipt-timeout handler from the environment:
 * webhook secrets from Secrets Manager (cached by Powertools Parameters; SendGrid's in a secret of
 * their own, apart from the API key, so the public webhook cannot read the key that sends mail), the
 * receipts queue on SQS, and the ledger and consent store on DynamoDB. They publish nothing: events
 * and owed fallbacks flow from the tables' streams (handlers/ledger-stream.ts).
 *
 * | What | Deployed (secret JSON field) | Local (no secret ARN set) |
 * |---|---|---|
 * | Twilio signature key | `SWITCHBOARD_TWILIO_SECRET_ARN` → `webhookAuthToken`, else `authToken` | `TWILIO_AUTH_TOKEN` |
 * | SendGrid verification key | `SWITCHBOARD_SENDGRID_WEBHOOK_PUBLIC_KEY`, else `SWITCHBOARD_SENDGRID_WEBHOOK_SECRET_ARN` → `eventWebhookPublicKey` | `SWITCHBOARD_SENDGRID_WEBHOOK_PUBLIC_KEY` |
 * | Inbound Parse secret | `SWITCHBOARD_SENDGRID_WEBHOOK_SECRET_ARN` → `inboundParseToken` | `SWITCHBOARD_SENDGRID_INBOUND_PARSE_TOKEN` |
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { DynamoDbConsentStore } from '../adapters/dynamodb/consent-store';
import { DynamoDbWebhookLedger } from '../adapters/dynamodb/webhook-ledger';
import { addressKeyerFromEnv } from '../adapters/secrets/keyed-hash';
import { CredentialsEnv } from '../adapters/secrets/provider-credentials';
import {
  createSendGridSignatureVerifier,
  DEFAULT_SENDGRID_TOLERANCE_SECONDS,
  type SendGridSignatureVerifier,
} from '../adapters/sendgrid/signature';
import { SqsReceiptCheckScheduler } from '../adapters/sqs/receipt-check-scheduler';
import {
  ConfigurationError,
  Env,
  optionalEnv,
  positiveIntEnv,
  requireEnv,
  retentionDaysFromEnv,
  secretsMaxAgeFromEnv,
} from '../config';
import { PlainLanguagePolicy } from '../domain/consent-keywords';
import type { AddressKeyer, ConsentStore, WebhookLedger } from '../domain/ports';
import type { ReceiptTimeoutDependencies } from '../domain/receipt-timeout';
import { createWebhookUseCases, type WebhookUseCases } from '../domain/webhook-use-cases';

/** Local-only variable for the Inbound Parse secret (deployed, it is in the SendGrid secret). */
export const LOCAL_INBOUND_PARSE_TOKEN = 'SWITCHBOARD_SENDGRID_INBOUND_PARSE_TOKEN';

/** The Twilio secret's fields the webhook reads. */
const TwilioWebhookSecretSchema = z.object({
  authToken: z.string().min(1),
  /** The account's auth token, when `authToken` holds an API key's secret (Twilio signs with the account token). */
  webhookAuthToken: z.string().min(1).optional(),
});

/** The SendGrid webhook secret's fields. */
const SendGridWebhookSecretSchema = z.object({
  eventWebhookPublicKey: z.string().optional(),
  inboundParseToken: z.string().optional(),
});

/** Reads a JSON secret; tests pass their own. */
export interface SecretReader {
  get(name: string, options: { maxAge: number; transform: 'json' }): Promise<unknown>;
}

/** Where the webhook secrets come from. */
export interface WebhookSecretOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly secrets?: SecretReader;
}

/** The webhook secrets, each read on demand (cached), from the provider secrets or local variables. */
export interface WebhookSecrets {
  twilioAuthToken(): Promise<string>;
  inboundParseSecret(): Promise<string>;
  sendGridPublicKey(): Promise<string>;
}

/** The webhook secrets from the environment (see the table at the top of this file). */
export function webhookSecretsFromEnv(options: WebhookSecretOptions = {}): WebhookSecrets {
  const env = options.env ?? process.env;
  let secrets = options.secrets;
  const maxAge = secretsMaxAgeFromEnv(env);
  const read = async (arn: string) => {
    secrets ??= new SecretsProvider();
    return secrets.get(arn, { maxAge, transform: 'json' });
  };
  const sendGridSecret = async () => {
    const arn = env[CredentialsEnv.SENDGRID_WEBHOOK_SECRET_ARN];
    if (!arn) return undefined;
    const parsed = SendGridWebhookSecretSchema.safeParse(await read(arn));
    if (!parsed.success) {
      throw new ConfigurationError(
        `Secret ${CredentialsEnv.SENDGRID_WEBHOOK_SECRET_ARN} is not a JSON object`,
      );
    }
    return parsed.data;
  };
  return {
    async twilioAuthToken() {
      const arn = env[CredentialsEnv.TWILIO_SECRET_ARN];
      if (!arn) return requireEnv(CredentialsEnv.TWILIO_AUTH_TOKEN, env);
      const parsed = TwilioWebhookSecretSchema.safeParse(await read(arn));
      if (!parsed.success) {
        throw new ConfigurationError(
          `Secret ${CredentialsEnv.TWILIO_SECRET_ARN} must be JSON with authToken`,
        );
      }
      return parsed.data.webhookAuthToken ?? parsed.data.authToken;
    },
    async inboundParseSecret() {
      const secret = (await sendGridSecret())?.inboundParseToken ?? env[LOCAL_INBOUND_PARSE_TOKEN] ?? '';
      // Short secrets can be guessed; refuse to run with one rather than accept anyone.
      if (secret.length < 16) {
        throw new ConfigurationError(
          `The Inbound Parse secret (inboundParseToken in ${CredentialsEnv.SENDGRID_WEBHOOK_SECRET_ARN}, or ${LOCAL_INBOUND_PARSE_TOKEN}) must have 16+ characters`,
        );
      }
      return secret;
    },
    async sendGridPublicKey() {
      const key = env[Env.SENDGRID_WEBHOOK_PUBLIC_KEY] || (await sendGridSecret())?.eventWebhookPublicKey;
      if (!key) {
        throw new ConfigurationError(
          `Set ${Env.SENDGRID_WEBHOOK_PUBLIC_KEY} or eventWebhookPublicKey in ${CredentialsEnv.SENDGRID_WEBHOOK_SECRET_ARN}`,
        );
      }
      return key;
    },
  };
}

/**
 * A SendGrid signature verifier whose key is read on demand (cached with the secret), rebuilt only
 * when the key changes.
 */
export function sendGridVerifierFromEnv(
  secrets: WebhookSecrets,
  env: NodeJS.ProcessEnv = process.env,
): (event: Pick<APIGatewayProxyEventV2, 'headers'>, body: Buffer) => Promise<void> {
  const toleranceSeconds = positiveIntEnv(
    Env.SENDGRID_WEBHOOK_TOLERANCE_SECONDS,
    DEFAULT_SENDGRID_TOLERANCE_SECONDS,
    env,
  );
  let cached: { key: string; verify: SendGridSignatureVerifier } | undefined;
  return async (event, body) => {
    const key = await secrets.sendGridPublicKey();
    if (cached?.key !== key) {
      cached = { key, verify: createSendGridSignatureVerifier({ publicKey: key, toleranceSeconds }) };
    }
    cached.verify(event, body);
  };
}

/** The plain-language policy from the environment. */
export function plainLanguagePolicyFromEnv(env: NodeJS.ProcessEnv = process.env): PlainLanguagePolicy {
  const value = optionalEnv(Env.PLAIN_LANGUAGE_OPT_OUT, PlainLanguagePolicy.FLAG, env);
  if (value !== PlainLanguagePolicy.FLAG && value !== PlainLanguagePolicy.OPT_OUT) {
    throw new ConfigurationError(`${Env.PLAIN_LANGUAGE_OPT_OUT} must be "flag" or "opt-out", got "${value}"`);
  }
  return value;
}

/** Clients for the stateful ports; the Lambda entries use the defaults, tests pass their own. */
export interface StatefulClients {
  readonly dynamodb?: DynamoDBClient;
  readonly sqs?: SQSClient;
  /** Names addresses in keys; by default from the environment (adapters/secrets/keyed-hash.ts). */
  readonly keyer?: AddressKeyer;
}

/** The ledger on the messages table. */
export function webhookLedgerFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  clients: StatefulClients = {},
): WebhookLedger {
  return new DynamoDbWebhookLedger({
    client: clients.dynamodb ?? new DynamoDBClient({}),
    tableName: requireEnv(Env.MESSAGES_TABLE, env),
    retentionDays: retentionDaysFromEnv(env),
    keyer: clients.keyer ?? addressKeyerFromEnv(env),
  });
}

/** The stateful ports that live on DynamoDB. */
export interface StatefulPorts {
  readonly ledger: WebhookLedger;
  readonly consent: ConsentStore;
}

/** The ledger and consent store from the environment. */
export function statefulPortsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  clients: StatefulClients = {},
): StatefulPorts {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({});
  const keyer = clients.keyer ?? addressKeyerFromEnv(env);
  return {
    ledger: webhookLedgerFromEnv(env, { dynamodb, keyer }),
    consent: new DynamoDbConsentStore({
      client: dynamodb,
      tableName: requireEnv(Env.CUSTOMERS_TABLE, env),
      keyer,
    }),
  };
}

/** The webhook use cases from the environment. */
export function webhookUseCasesFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookUseCases {
  const { ledger, consent } = statefulPortsFromEnv(env);
  return createWebhookUseCases({ ledger, consent, plainLanguage: plainLanguagePolicyFromEnv(env) });
}

/** The receipt-timeout check's dependencies from the environment (messages table, receipts queue). */
export function receiptTimeoutDependenciesFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ReceiptTimeoutDependencies {
  const sqs = new SQSClient({});
  const scheduler = new SqsReceiptCheckScheduler({
    client: sqs,
    queueUrl: requireEnv(Env.RECEIPTS_QUEUE_URL, env),
  });
  return { ledger: webhookLedgerFromEnv(env), scheduler };
}
