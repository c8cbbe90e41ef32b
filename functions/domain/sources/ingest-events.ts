/**
 * The public ingest (`/ingest/v1/...`): events from browsers, apps, store terminals and backends
 * that cannot sign with IAM, authenticated by their source's write key.
 *
 * Main path: find the source the key names and check the key against its hash (an unknown, wrong
 * or revoked key is refused before anything is written); count the request against the source's
 * rate limit; then record the events as `POST /v1/events` does, each one admitted by what its
 * source may claim (./source-identity.ts) and marked with the source.
 */
import type { TouchpointsAccepted } from '../../contract';
import { acceptEvents } from '../touchpoints/accept-events';
import type { RecordTouchpointsDeps } from '../touchpoints/record-touchpoints';
import type { RateDecision } from './rate-limit';
import { admitFromSource } from './source-identity';
import type { SourceStore } from './source-ports';
import { keyOpensSource, sourceIdOfKey } from './write-keys';

/** What the public ingest needs. */
export interface IngestEventsDeps extends RecordTouchpointsDeps {
  readonly sources: Pick<SourceStore, 'get'>;
  readonly limiter: { take(key: string): RateDecision };
}

/** What became of one request to the public ingest. */
export type IngestOutcome =
  | { readonly status: 'unauthorized' }
  | { readonly status: 'rate-limited'; readonly retryAfterSeconds: number }
  | { readonly status: 'recorded'; readonly answer: TouchpointsAccepted };

/**
 * Authenticates the write key, applies the source's rate limit, records the events. `body` is read
 * only after the key opened a source. Throws ContractValidationError when no event could be kept.
 */
export async function ingestEvents(
  writeKey: string | undefined,
  body: () => unknown,
  deps: IngestEventsDeps,
): Promise<IngestOutcome> {
  const sourceId = writeKey === undefined ? undefined : sourceIdOfKey(writeKey);
  const source = sourceId === undefined ? undefined : await deps.sources.get(sourceId);
  if (writeKey === undefined || !keyOpensSource(writeKey, source)) return { status: 'unauthorized' };
  const decision = deps.limiter.take(source.sourceId);
  if (!decision.allowed) return { status: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds };
  const answer = await acceptEvents(body(), {
    ...deps,
    source: {
      mark: { sourceId: source.sourceId, kind: source.kind },
      admit: (event) => admitFromSource(event, source),
    },
  });
  return { status: 'recorded', answer };
}
