/**
 * SendGrid webhooks: `POST /webhooks/sendgrid/events` (the signed Event Webhook, batches of events)
 * and `POST /webhooks/sendgrid/inbound` (Inbound Parse, protected by a secret in the URL).
 * Authenticate → parse → apply through the webhook use cases.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { header, rawBody } from '../adapters/http/api-gateway-request';
import { parseSendGridEvents } from '../adapters/sendgrid/events';
import { parseSendGridInbound } from '../adapters/sendgrid/inbound-parse';
import { verifyInboundParseSecret } from '../adapters/sendgrid/inbound-secret';
import type { SendGridSignatureVerifier } from '../adapters/sendgrid/signature';
import type { WebhookUseCases } from '../domain/webhook-use-cases';
import {
  sendGridVerifierFromEnv,
  webhookSecretsFromEnv,
  webhookUseCasesFromEnv,
} from '../wiring/webhook-ports';
import { lazyHandler } from './shared/lazy-handler';
import { answer, json, routeOf, type WebhookHandler } from './shared/webhook-http';

const ROUTES = ['/webhooks/sendgrid/events', '/webhooks/sendgrid/inbound'] as const;

/** What the SendGrid webhook needs. */
export interface SendGridWebhookDependencies {
  /** Checks the Event Webhook signature and timestamp (may read the key first). */
  readonly verifyEvents: (
    ...args: Parameters<SendGridSignatureVerifier>
  ) => ReturnType<SendGridSignatureVerifier> | Promise<void>;
  /** The Inbound Parse secret; called per request, so it may be a cached secret read. */
  readonly inboundParseSecret: () => Promise<string>;
  readonly useCases: WebhookUseCases;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

/** Builds the SendGrid webhook handler. */
export function createSendGridWebhookHandler(deps: SendGridWebhookDependencies): WebhookHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'switchboard-webhooks' });
  const now = deps.now ?? (() => new Date());

  return (event: APIGatewayProxyEventV2) =>
    answer(logger, event, async () => {
      const route = routeOf(event, ROUTES);
      if (!route) return json(404, { error: 'not found' });
      const body = rawBody(event);

      if (route === '/webhooks/sendgrid/events') {
        await deps.verifyEvents(event, body);
        const { updates, skipped } = parseSendGridEvents(body);
        const outcomes = await deps.useCases.applyStatusUpdates(updates);
        const counts: Record<string, number> = {};
        for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
        logger.info('SendGrid events handled', { events: updates.length, skipped, outcomes: counts });
        return json(200, { events: updates.length, skipped });
      }
      verifyInboundParseSecret(event, await deps.inboundParseSecret());
      const receipt = await parseSendGridInbound(body, header(event, 'content-type'), now());
      const outcome = await deps.useCases.receiveInbound(receipt);
      logger.info('SendGrid inbound email handled', { outcome });
      return json(200, { outcome });
    });
}

/** The Lambda entry point, wired from the environment on first use. */
export const handler = lazyHandler(() => {
  const secrets = webhookSecretsFromEnv();
  return createSendGridWebhookHandler({
    verifyEvents: sendGridVerifierFromEnv(secrets),
    inboundParseSecret: () => secrets.inboundParseSecret(),
    useCases: webhookUseCasesFromEnv(),
  });
});
