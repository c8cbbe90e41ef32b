/**
 * Reading an API Gateway HTTP API (payload format 2.0) request the way a provider sent it: the raw
 * body bytes (signatures are over bytes, not over a re-serialised parse) and case-insensitive
 * headers. Shared by the webhook verifiers and parsers.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The request body exactly as sent, decoding API Gateway's base64 when it applied it. */
export function rawBody(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/** A header's value, whatever its case (HTTP API lower-cases names; the local runtime may not). */
export function header(event: Pick<APIGatewayProxyEventV2, 'headers'>, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name] ?? headers[name.toLowerCase()];
  if (direct !== undefined) return direct;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Form parameters of an `application/x-www-form-urlencoded` body; repeated names become lists. */
export function formParameters(body: Buffer): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const existing = params[key];
    if (existing === undefined) params[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else params[key] = [existing, value];
  }
  return params;
}

/** The media type of the request, lower case, without parameters (`multipart/form-data`). */
export function mediaType(event: Pick<APIGatewayProxyEventV2, 'headers'>): string {
  return (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}
