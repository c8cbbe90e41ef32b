/**
 * Twilio webhooks: `POST /webhooks/twilio/status` (message status callbacks, SMS and WhatsApp) and
 * `POST /webhooks/twilio/inbound` (inbound SMS, MMS and WhatsApp). Authenticate
 * (`X-Twilio-Signature`) → parse → apply through the webhook use cases.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { formParameters, header, mediaType, rawBody } from '../adapters/http/api-gateway-request';
import { parseTwilioInbound } from '../adapters/twilio/inbound';
import { verifyTwilioSignature } from '../adapters/twilio/signature';
import { parseTwilioStatusCallback } from '../adapters/twilio/status';
import { Env } from '../config';
import { WebhookPayloadError } from '../domain/webhook-errors';
import type { WebhookUseCases } from '../domain/webhook-use-cases';
import { answer, json, lazyHandler, routeOf, type WebhookHandler } from './shared/webhook-http';
import { webhookSecretsFromEnv, webhookUseCasesFromEnv } from './shared/webhook-wiring';

/** Twilio's header carrying a per-webhook id that stays the same across its retries. */
export const TWILIO_IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token';
/** An empty TwiML answer: received, no automatic reply. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

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

      if (route === '/webhooks/twilio/status') {
        // The signed URL's query carries the attempt's key (adapters/twilio/messages.ts statusCallbackFor).
        const query = new URLSearchParams(event.rawQueryString ?? '');
        const update = parseTwilioStatusCallback(params, { ...context, query });
        if (!update) return json(200, { outcome: 'ignored' });
        const [outcome] = await deps.useCases.applyStatusUpdates([update]);
        const log = outcome === 'unknown-message' ? logger.warn.bind(logger) : logger.info.bind(logger);
        log('Twilio status callback handled', {
          outcome,
          status: update.status,
          channel: update.channel,
          ...(update.messageId ? { messageId: update.messageId, attempt: update.attempt } : {}),
        });
        return json(200, { outcome });
      }
      const receipt = parseTwilioInbound(params, context);
      const outcome = await deps.useCases.receiveInbound(receipt);
      logger.info('Twilio inbound message handled', {
        outcome,
        channel: receipt.channel,
        media: receipt.media.length,
      });
      return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: EMPTY_TWIML };
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
