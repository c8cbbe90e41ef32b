/**
 * SendGrid Inbound Parse posts unsigned, so its URL carries a shared secret: either as the `key`
 * query parameter (`…/webhooks/sendgrid/inbound?key=SECRET`) or as the password of HTTP basic
 * auth (`https://parse:SECRET@host/webhooks/sendgrid/inbound`). Compared in constant time (over
 * SHA-256 digests, so lengths never leak either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { WebhookAuthenticationError } from '../../domain/webhook-errors';
import { header } from '../http/api-gateway-request';

/** Query parameter carrying the secret. */
export const INBOUND_SECRET_PARAMETER = 'key';

/** Checks the secret; throws {@link WebhookAuthenticationError} when absent or wrong. */
export function verifyInboundParseSecret(
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'rawQueryString'>,
  secret: string,
): void {
  if (secret.length < 16) {
    // A short secret is guessable: refuse to run with one rather than accept forged mail.
    throw new WebhookAuthenticationError('the configured Inbound Parse secret is shorter than 16 characters');
  }
  const candidates: string[] = [];
  const fromQuery = new URLSearchParams(event.rawQueryString ?? '').get(INBOUND_SECRET_PARAMETER);
  if (fromQuery) candidates.push(fromQuery);
  const authorization = header(event, 'authorization');
  const basic = authorization && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) candidates.push(decoded.slice(colon + 1));
  }
  if (candidates.length === 0) throw new WebhookAuthenticationError('no Inbound Parse secret in the request');
  const expected = digest(secret);
  // Check every candidate, so timing does not tell which one was tried.
  let matched = false;
  for (const candidate of candidates) matched = timingSafeEqual(digest(candidate), expected) || matched;
  if (!matched) throw new WebhookAuthenticationError('the Inbound Parse secret does not match');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
