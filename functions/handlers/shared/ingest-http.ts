/**
 * The HTTP side of the public ingest: its routes (Segment's HTTP API paths under `/ingest`), the
 * write key as Segment's and RudderStack's clients send it (HTTP Basic with the key as the user and
 * an empty password, or `writeKey` in the body), and the body, gunzipped when the client compressed
 * it (RudderStack's Node client does by default).
 */
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { header, rawBody } from '../../adapters/http/api-gateway-request';
import { ContractValidationError, TOUCHPOINT_BATCH_MAX_BYTES, type TouchpointType } from '../../contract';

/** The public ingest's paths, with the call type a single event on that path defaults to. */
export const INGEST_ROUTES = {
  '/ingest/v1/events': undefined,
  '/ingest/v1/batch': undefined,
  '/ingest/v1/track': 'track',
  '/ingest/v1/identify': 'identify',
  '/ingest/v1/page': 'page',
} as const satisfies Record<string, TouchpointType | undefined>;

/** One of the public ingest's paths. */
export type IngestPath = keyof typeof INGEST_ROUTES;

/** The ingest path of a request, if it is one. */
export function ingestPathOf(event: APIGatewayProxyEventV2): IngestPath | undefined {
  const path = event.rawPath.replace(/\/+$/, '');
  return Object.keys(INGEST_ROUTES).find((route) => route === path) as IngestPath | undefined;
}

/** What a request to the public ingest carries. */
export interface IngestRequest {
  readonly writeKey: string | undefined;
  /** The JSON body, its path's call type filled in; throws ContractValidationError when unreadable. */
  readonly body: () => unknown;
}

/** Reads the write key and the body of a request to `path`. */
export function readIngestRequest(event: APIGatewayProxyEventV2, path: IngestPath): IngestRequest {
  const parsed = parseBody(event);
  const fromBody = parsed.ok && isRecord(parsed.value) ? parsed.value.writeKey : undefined;
  const writeKey =
    basicUser(header(event, 'authorization')) ?? (typeof fromBody === 'string' ? fromBody : undefined);
  const impliedType = INGEST_ROUTES[path];
  return {
    writeKey,
    body: () => {
      if (!parsed.ok)
        throw new ContractValidationError('body', [{ field: '(body)', message: parsed.reason }]);
      const value = parsed.value;
      if (impliedType && isRecord(value) && value.type === undefined) return { ...value, type: impliedType };
      return value;
    },
  };
}

function parseBody(
  event: APIGatewayProxyEventV2,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  let bytes = rawBody(event);
  if (bytes.length === 0) return { ok: false, reason: 'is required' };
  if ((header(event, 'content-encoding') ?? '').toLowerCase() === 'gzip') {
    try {
      // Bounded: a small compressed body must not inflate past the body limit (a gzip bomb).
      bytes = gunzipSync(bytes, { maxOutputLength: TOUCHPOINT_BATCH_MAX_BYTES });
    } catch {
      return { ok: false, reason: `is not gzip of at most ${TOUCHPOINT_BATCH_MAX_BYTES} bytes` };
    }
  }
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false, reason: 'is not JSON' };
  }
}

/** The user of an HTTP Basic `Authorization` header (the write key), if there is one. */
function basicUser(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const user = decoded.split(':')[0];
  return user ? user : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
