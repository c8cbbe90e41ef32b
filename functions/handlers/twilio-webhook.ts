/**
 * Twilio webhooks: `POST /webhooks/twilio/status` (message status callbacks, SMS and WhatsApp) and
 * `POST /webhooks/twilio/inbound` (inbound SMS, MMS and WhatsApp). Authenticate
 * (`X-Twilio-Signature`) → parse → apply through the webhook use cases.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { formParameters, header, mediaType, rawBody } from '../adapters/http/api-gateway-request';
import { verifyTwilioSignature } from '../adapters/twilio/signature';
import { Env } from '../config';
import { WebhookPayloadError } from '../domain/webhook-errors';
import type { WebhookUseCases } from '../domain/webhook-use-cases';
import { webhookSecretsFromEnv, webhookUseCasesFromEnv } from '../wiring/webhook-ports';
import { lazyHandler } from './shared/lazy-handler';
import { handleTwilioInbound, handleTwilioStatus } from './shared/twilio-routes';
import { answer, json, routeOf, type WebhookHandler } from './shared/webhook-http';

/** Twilio's header carrying a per-webhook id that stays the same across its retries. */
export const TWILIO_IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token';
export { EMPTY_TWIML } from './shared/twilio-routes';

const ROUTES = ['/webhooks/twilio/status', '/webhooks/twilio/inbound'] as const;

/** What the Twilio webhook needs. */
export interface TwilioWebhookDependencies {
  /** The auth token (the signature key); called per request, so it may be a cached secret read. */
  readonly authToken: () => Promise<string>;
  /** The public base URL Twilio calls, when a proxy or custom-domain mapping is in front. */
  readonly publicBaseUrl?: string;
  readonly useCases: WebhookUseCases;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

/** Builds the Twilio webhook handler. */
export function createTwilioWebhookHandler(deps: TwilioWebhookDependencies): WebhookHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'switchboard-webhooks' });
  const now = deps.now ?? (() => new Date());

  return (event: APIGatewayProxyEventV2) =>
    answer(logger, event, async () => {
      const route = routeOf(event, ROUTES);
      if (!route) return json(404, { error: 'not found' });
      const params = formParameters(rawBody(event));
      verifyTwilioSignature(event, params, {
        authToken: await deps.authToken(),
        ...(deps.publicBaseUrl ? { publicBaseUrl: deps.publicBaseUrl } : {}),
      });
      if (mediaType(event) !== 'application/x-www-form-urlencoded') {
        throw new WebhookPayloadError('Twilio posts application/x-www-form-urlencoded');
      }
      const idempotencyToken = header(event, TWILIO_IDEMPOTENCY_HEADER);
      const context = { receivedAt: now(), ...(idempotencyToken ? { idempotencyToken } : {}) };

      if (route === '/webhooks/twilio/inbound')
        return handleTwilioInbound(params, context, deps.useCases, logger);
      const query = new URLSearchParams(event.rawQueryString ?? '');
      return handleTwilioStatus(params, { ...context, query }, deps.useCases, logger);
    });
}

/** The Lambda entry point, wired from the environment on first use. */
export const handler = lazyHandler(() => {
  const publicBaseUrl = process.env[Env.PUBLIC_BASE_URL];
  const secrets = webhookSecretsFromEnv();
  return createTwilioWebhookHandler({
    authToken: () => secrets.twilioAuthToken(),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    useCases: webhookUseCasesFromEnv(),
  });
});
