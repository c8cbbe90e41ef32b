/**
 * The public ingest's CORS policy: what a browser page on another origin may send to it. In AWS the
 * function URL applies it (infra/stateless-stack.ts); locally the HTTP server mirrors it
 * (local/ingest-cors.ts). The allowed origins are configuration (`ingest.allowedOrigins`).
 */

/** Methods, request headers and preflight cache time the public ingest allows cross-origin. */
export const INGEST_CORS = {
  allowedMethods: ['POST'],
  /** The body's type, the write key (HTTP Basic) and a gzipped body. */
  allowedHeaders: ['content-type', 'authorization', 'content-encoding'],
  maxAgeSeconds: 3600,
} as const;

/** The path prefix of every public ingest route. */
export const INGEST_PATH_PREFIX = '/ingest/v1/';
