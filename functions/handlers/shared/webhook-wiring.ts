/**
 * Production wiring of the webhook handlers from the environment: secrets from Secrets Manager
 * (cached by Powertools Parameters), the events topic on SNS, the receipts queue on SQS, and the
 * ledger and customer store adapters on DynamoDB.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { SnsEventPublisher } from '../../adapters/sns-event-publisher';
import { SqsReceiptCheckScheduler } from '../../adapters/sqs-receipt-check-scheduler';
import { ConfigurationError, Env, optionalEnv, requireEnv } from '../../config';
import { PlainLanguagePolicy } from '../../domain/consent-keywords';
import type { ConsentStore, FallbackRequester, WebhookLedger } from '../../domain/ports';
import type { ReceiptTimeoutDependencies } from '../../domain/receipt-timeout';
import { createWebhookUseCases, type WebhookUseCases } from '../../domain/webhook-use-cases';

/** The webhook secrets kept in Secrets Manager. */
const WebhookSecretsSchema = z.object({
  twilioAuthToken: z.string().min(1),
  inboundParseSecret: z.string().min(16),
});
/** The webhook secrets. */
export type WebhookSecrets = z.infer<typeof WebhookSecretsSchema>;

/** Reads the webhook secrets (cached for five minutes, so a rotation is picked up without a deploy). */
export async function webhookSecretsFromEnv(): Promise<WebhookSecrets> {
  const arn = requireEnv(Env.WEBHOOK_SECRETS_ARN);
  const value = await getSecret(arn, { transform: 'json', maxAge: 300 });
  const parsed = WebhookSecretsSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigurationError(
      `Secret ${Env.WEBHOOK_SECRETS_ARN} must be JSON with twilioAuthToken and inboundParseSecret (16+ characters)`,
    );
  }
  return parsed.data;
}

/** The plain-language policy from the environment. */
export function plainLanguagePolicyFromEnv(): PlainLanguagePolicy {
  const value = optionalEnv(Env.PLAIN_LANGUAGE_OPT_OUT, PlainLanguagePolicy.FLAG);
  if (value !== PlainLanguagePolicy.FLAG && value !== PlainLanguagePolicy.OPT_OUT) {
    throw new ConfigurationError(`${Env.PLAIN_LANGUAGE_OPT_OUT} must be "flag" or "opt-out", got "${value}"`);
  }
  return value;
}

/** The stateful ports that live on DynamoDB and the outbound queue. */
export interface StatefulPorts {
  readonly ledger: WebhookLedger;
  readonly consent: ConsentStore;
  readonly fallback: FallbackRequester;
}

/**
 * The DynamoDB ledger, customer store and the router's fallback entry point. They are built by the
 * message ledger and customer store work (issue 3) and wired here when it is merged; until then
 * the deployed webhook answers 500 with this message in its log rather than pretending to work.
 */
export function statefulPortsFromEnv(): StatefulPorts {
  throw new ConfigurationError(
    'The webhook handlers need the DynamoDB WebhookLedger and ConsentStore adapters and the router FallbackRequester, ' +
      'which are wired when the message ledger and customer store are merged',
  );
}

/** The webhook use cases from the environment. */
export function webhookUseCasesFromEnv(): WebhookUseCases {
  const events = new SnsEventPublisher({
    client: new SNSClient({}),
    topicArn: requireEnv(Env.EVENTS_TOPIC_ARN),
  });
  return createWebhookUseCases({
    ...statefulPortsFromEnv(),
    events,
    plainLanguage: plainLanguagePolicyFromEnv(),
  });
}

/** The receipt-timeout check's dependencies from the environment. */
export function receiptTimeoutDependenciesFromEnv(): ReceiptTimeoutDependencies {
  const { ledger, fallback } = statefulPortsFromEnv();
  const scheduler = new SqsReceiptCheckScheduler({
    client: new SQSClient({}),
    queueUrl: requireEnv(Env.RECEIPTS_QUEUE_URL),
  });
  return { ledger, fallback, scheduler };
}
