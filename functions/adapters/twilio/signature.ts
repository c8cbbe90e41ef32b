/**
 * Twilio webhook authenticity: `X-Twilio-Signature` is an HMAC-SHA1, keyed by the account's auth
 * token, over the exact URL Twilio requested followed by the POST parameters sorted by name. It is
 * checked with the `twilio` library's own `validateRequest`, so the subtle parts (ports, query
 * string escaping, repeated parameters) follow Twilio's reference implementation.
 *
 * The URL must be the public one Twilio called, rebuilt exactly from the API Gateway HTTP API v2
 * event: `https://` (API Gateway only serves HTTPS) + the `Host` header (the execute-api or custom
 * domain name Twilio used) + `rawPath` (which includes the stage name when a named stage is
 * used) + `?` + `rawQueryString` verbatim (never re-encoded: Twilio signs the characters it sent).
 * Where something in front of API Gateway rewrites the host or path (CloudFront, a custom domain
 * with an API mapping path), configure `publicBaseUrl`: the URL is then `publicBaseUrl + rawPath +
 * query`, so set it to the scheme, host and any path prefix that Twilio is given but that does not
 * reach `rawPath` (e.g. `https://hooks.example.com/switchboard`). The local runtime sets it to its
 * own `http://127.0.0.1:PORT`. Configuring it beats trusting `X-Forwarded-Host`, which anyone can send.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { WebhookAuthenticationError } from '../../domain/webhook-errors';
import { header } from '../http/api-gateway-request';

/** Header carrying Twilio's signature. */
export const TWILIO_SIGNATURE_HEADER = 'X-Twilio-Signature';

/** How to check Twilio signatures. */
export interface TwilioSignatureOptions {
  /** The Twilio account's auth token (the HMAC key). */
  readonly authToken: string;
  /** The public base URL Twilio is given, when a proxy or custom domain mapping sits in front. */
  readonly publicBaseUrl?: string;
}

/** The public URL Twilio called, rebuilt from the event (see the file's comment for the rules). */
export function twilioPublicUrl(
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'rawPath' | 'rawQueryString'>,
  publicBaseUrl?: string,
): string {
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  if (publicBaseUrl) return `${publicBaseUrl.replace(/\/+$/, '')}${event.rawPath}${query}`;
  const host = header(event, 'host');
  if (!host) throw new WebhookAuthenticationError('no Host header to rebuild the signed URL from');
  return `https://${host}${event.rawPath}${query}`;
}

/**
 * Checks a request's Twilio signature against its form parameters; throws
 * {@link WebhookAuthenticationError} when it is missing or does not match.
 */
export function verifyTwilioSignature(
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'rawPath' | 'rawQueryString'>,
  params: Readonly<Record<string, string | string[]>>,
  options: TwilioSignatureOptions,
): void {
  const signature = header(event, TWILIO_SIGNATURE_HEADER);
  if (!signature) throw new WebhookAuthenticationError(`no ${TWILIO_SIGNATURE_HEADER} header`);
  const url = twilioPublicUrl(event, options.publicBaseUrl);
  let valid: boolean;
  try {
    valid = validateRequest(options.authToken, signature, url, { ...params });
  } catch (error) {
    // The library normalises the URL with `new URL()`, which throws on a nonsensical Host header.
    throw new WebhookAuthenticationError('the request URL cannot be rebuilt', { cause: error });
  }
  if (!valid) throw new WebhookAuthenticationError(`${TWILIO_SIGNATURE_HEADER} does not match`);
}
