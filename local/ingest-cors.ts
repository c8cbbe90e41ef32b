/**
 * The public ingest's CORS locally, as the function URL applies it in AWS: a preflight
 * (`OPTIONS /ingest/v1/...`) is answered by the server itself with the allowed methods, headers and
 * cache time, and every answer to an allowed origin carries `Access-Control-Allow-Origin`. The
 * policy's one home is functions/handlers/shared/ingest-cors.ts; here only how it is written out.
 */
import { INGEST_CORS, INGEST_PATH_PREFIX } from '../functions/handlers/shared/ingest-cors';

/** A CORS policy for the paths under one prefix. */
export interface CorsPolicy {
  readonly pathPrefix: string;
  /** Origins allowed (`*` for any), as `ingest.allowedOrigins` in the stack's configuration. */
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/** The public ingest's policy, for the given origins (`*` by default, as the stack's). */
export function ingestCorsPolicy(allowedOrigins: readonly string[] = ['*']): CorsPolicy {
  return { pathPrefix: INGEST_PATH_PREFIX, allowedOrigins, ...INGEST_CORS };
}

/** The `Access-Control-Allow-Origin` value for a request's `Origin`, or undefined when not allowed. */
function allowOrigin(policy: CorsPolicy, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (policy.allowedOrigins.includes('*')) return '*';
  return policy.allowedOrigins.includes(origin) ? origin : undefined;
}

/** The headers of the answer to a preflight from `origin`: none when the origin is not allowed. */
export function preflightHeaders(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
  const allowed = allowOrigin(policy, origin);
  if (allowed === undefined) return {};
  return {
    ...originHeaders(allowed),
    'access-control-allow-methods': policy.allowedMethods.join(','),
    'access-control-allow-headers': policy.allowedHeaders.join(','),
    'access-control-max-age': String(policy.maxAgeSeconds),
  };
}

/** The CORS headers added to an answer to `origin`: none when the origin is not allowed. */
export function responseCorsHeaders(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
  const allowed = allowOrigin(policy, origin);
  return allowed === undefined ? {} : originHeaders(allowed);
}

function originHeaders(allowed: string): Record<string, string> {
  // An echoed origin varies with the request: caches must key on it.
  return allowed === '*'
    ? { 'access-control-allow-origin': '*' }
    : { 'access-control-allow-origin': allowed, vary: 'origin' };
}
