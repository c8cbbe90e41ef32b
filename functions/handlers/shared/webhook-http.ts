/**
 * The HTTP side of every webhook handler: answer 401 for an unauthenticated request and 400 for an
 * unreadable one (never a 5xx for bad input: a 5xx makes providers retry it), 5xx only when
 * Switchboard itself failed and a provider retry is what we want.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { WebhookAuthenticationError, WebhookPayloadError } from '../../domain/webhook-errors';

/** Largest webhook body accepted before anything else is done (Inbound Parse mail included). */
export const MAX_WEBHOOK_BODY_BYTES = 10 * 1024 * 1024;

/** A webhook handler. */
export type WebhookHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** A JSON response. */
export function json(statusCode: number, body: Record<string, unknown>): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Whether the request's path ends with a route (the HTTP API may prefix a stage name). */
export function routeOf<R extends string>(
  event: APIGatewayProxyEventV2,
  routes: readonly R[],
): R | undefined {
  const path = event.rawPath.replace(/\/+$/, '');
  return routes.find((route) => path === route || path.endsWith(route));
}

/**
 * Runs a webhook's work and turns the typed errors into answers. Logs reasons, never the body, the
 * signature or any address: those are PII or secrets.
 */
export async function answer(
  logger: Logger,
  event: APIGatewayProxyEventV2,
  work: () => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.requestContext?.http?.method && event.requestContext.http.method !== 'POST') {
    return json(405, { error: 'method not allowed' });
  }
  if ((event.body?.length ?? 0) > (MAX_WEBHOOK_BODY_BYTES * 4) / 3 + 4) {
    return json(413, { error: 'body too large' });
  }
  try {
    return await work();
  } catch (error) {
    if (error instanceof WebhookAuthenticationError) {
      logger.warn('Webhook request rejected: not authenticated', {
        reason: error.reason,
        path: event.rawPath,
      });
      return json(401, { error: 'unauthorized' });
    }
    if (error instanceof WebhookPayloadError) {
      logger.warn('Webhook request rejected: malformed', { reason: error.reason, path: event.rawPath });
      return json(400, { error: 'bad request', reason: error.reason });
    }
    logger.error('Webhook request failed; the provider will retry', { error, path: event.rawPath });
    return json(500, { error: 'internal error' });
  }
}
