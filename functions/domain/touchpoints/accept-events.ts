/**
 * Accepting touchpoint events over the API (`POST /v1/events`): every valid event is recorded
 * (./record-touchpoints.ts) and each one reported; a body of which nothing could be kept is a bad
 * request, so a caller whose every event was wrong hears so rather than a 202.
 */
import { ContractValidationError, type TouchpointsAccepted } from '../../contract';
import { type RecordTouchpointsDeps, recordTouchpoints } from './record-touchpoints';

/** Records the events of `body`. Throws ContractValidationError when nothing was kept. */
export async function acceptEvents(body: unknown, deps: RecordTouchpointsDeps): Promise<TouchpointsAccepted> {
  const outcome = await recordTouchpoints(body, deps);
  if (!outcome.ok) throw new ContractValidationError('touchpoint events', outcome.issues);
  const { answer } = outcome;
  if (answer.accepted + answer.duplicates === 0) {
    const issues = answer.results.flatMap((result) => (result.status === 'rejected' ? result.issues : []));
    throw new ContractValidationError('touchpoint events', issues);
  }
  const { accepted, duplicates, rejected } = answer;
  deps.logger?.info('Recorded touchpoints', { accepted, duplicates, rejected });
  return answer;
}
