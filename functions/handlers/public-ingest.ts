/**
 * The public ingest on a Lambda function URL (auth NONE): Segment-spec events from browsers, apps,
 * store terminals and backends, authenticated by write keys (domain/sources/ingest-events.ts).
 * `POST /ingest/v1/events` and Segment's `/ingest/v1/batch|track|identify|page`. A bad, missing or
 * revoked key is a 401 and writes nothing; past the key's rate limit, a 429 with Retry-After.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { TOUCHPOINT_BATCH_MAX_BYTES } from '../contract';
import { ingestEvents } from '../domain/sources/ingest-events';
import { FixedWindowRateLimiter } from '../domain/sources/rate-limit';
import type { SourceStore } from '../domain/sources/source-ports';
import type { TouchpointPorts } from '../domain/touchpoints/touchpoint-ports';
import { publicIngestPortsFromEnv } from '../wiring/public-ingest-ports';
import { answer } from './shared/api-answer';
import { type ApiResult, error, json, tooLarge } from './shared/api-http';
import { ingestPathOf, readIngestRequest } from './shared/ingest-http';
import { lazyHandler } from './shared/lazy-handler';

/** What the public ingest is built from; the Lambda entry wires them from the environment, tests pass their own. */
export interface PublicIngestPorts extends TouchpointPorts {
  readonly sources: Pick<SourceStore, 'get'>;
  /** Requests per key per window, counted in this instance. */
  readonly rateLimit: { readonly limit: number; readonly windowSeconds: number };
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/** Builds the public ingest's handler from its ports. */
export function createPublicIngestHandler(ports: PublicIngestPorts) {
  const logger = ports.logger ?? new Logger({ serviceName: 'public-ingest' });
  const limiter = new FixedWindowRateLimiter({
    ...ports.rateLimit,
    now: () => (ports.now?.() ?? new Date()).getTime(),
  });
  const deps = { ...ports, logger, limiter };
  return (event: APIGatewayProxyEventV2): Promise<ApiResult> =>
    answer(logger, event, async () => {
      const path = ingestPathOf(event);
      if (!path) return error(404, 'not_found', `No route for ${event.rawPath}`);
      if (event.requestContext.http.method.toUpperCase() !== 'POST') {
        return error(405, 'method_not_allowed', 'Only POST is allowed', { allow: 'POST' });
      }
      const large = tooLarge(event, TOUCHPOINT_BATCH_MAX_BYTES);
      if (large) return large;
      const request = readIngestRequest(event, path);
      // The connection's address and user agent stand in for an event's own, where they are kept.
      const { sourceIp: ip, userAgent } = event.requestContext.http;
      const clientContext = deps.clientContext && { ...deps.clientContext, request: { ip, userAgent } };
      const outcome = await ingestEvents(request.writeKey, request.body, { ...deps, clientContext });
      if (outcome.status === 'unauthorized') {
        logger.warn('Public ingest refused a request: no valid write key', { path });
        return error(401, 'unauthorized', 'A valid write key is required', { 'www-authenticate': 'Basic' });
      }
      if (outcome.status === 'rate-limited') {
        const retryAfter = String(outcome.retryAfterSeconds);
        return error(429, 'rate_limited', 'Too many requests for this write key', {
          'retry-after': retryAfter,
        });
      }
      return json(202, outcome.answer);
    });
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() => createPublicIngestHandler(publicIngestPortsFromEnv()));
