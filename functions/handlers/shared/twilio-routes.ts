/**
 * The two Twilio webhook routes once a request is authenticated: a status callback updates the
 * attempt it names; an inbound message is recorded (with any consent keyword) and answered with
 * empty TwiML, so Twilio sends no automatic reply.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parseTwilioInbound } from '../../adapters/twilio/inbound';
import { parseTwilioStatusCallback } from '../../adapters/twilio/status';
import type { WebhookUseCases } from '../../domain/webhook-use-cases';
import { json } from './webhook-http';

/** An empty TwiML answer: received, no automatic reply. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** When the request arrived, and Twilio's idempotency token when it sent one. */
export interface TwilioRequestContext {
  readonly receivedAt: Date;
  readonly idempotencyToken?: string;
}

/** Applies a status callback; the signed URL's query carries the attempt's key (adapters/twilio/messages.ts). */
export async function handleTwilioStatus(
  params: Readonly<Record<string, string | string[]>>,
  context: TwilioRequestContext & { readonly query: URLSearchParams },
  useCases: WebhookUseCases,
  logger: Logger,
): Promise<APIGatewayProxyStructuredResultV2> {
  const update = parseTwilioStatusCallback(params, context);
  if (!update) return json(200, { outcome: 'ignored' });
  const [outcome] = await useCases.applyStatusUpdates([update]);
  const log = outcome === 'unknown-message' ? logger.warn.bind(logger) : logger.info.bind(logger);
  log('Twilio status callback handled', {
    outcome,
    status: update.status,
    channel: update.channel,
    ...(update.messageId ? { messageId: update.messageId, attempt: update.attempt } : {}),
  });
  return json(200, { outcome });
}

/** Records an inbound message and answers with empty TwiML. */
export async function handleTwilioInbound(
  params: Readonly<Record<string, string | string[]>>,
  context: TwilioRequestContext,
  useCases: WebhookUseCases,
  logger: Logger,
): Promise<APIGatewayProxyStructuredResultV2> {
  const receipt = parseTwilioInbound(params, context);
  const outcome = await useCases.receiveInbound(receipt);
  logger.info('Twilio inbound message handled', {
    outcome,
    channel: receipt.channel,
    media: receipt.media.length,
  });
  return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: EMPTY_TWIML };
}
