/**
 * The router's frequency-cap step, just before a message is recorded for dispatch: decide it
 * against the caps (frequency-caps.ts) on the counters the batch read carried, and count it with
 * one conditional write. When another message took the last room or a window turned since the
 * read, the write fails and returns the stored counters, and the decision is made again on them.
 *
 * Without configured caps this step makes no request at all; a transactional message never
 * reaches the counters.
 */
import type { Channel, MessageRequest } from '../../contract';
import { RetryLaterError } from '../errors';
import type { CapCounters } from './frequency-caps';
import { capScopes, decideCaps } from './frequency-caps';
import type { RoutingContext } from './types';

/** What the caps let a message do: go now (counted), wait until `until`, or never go. */
export type CapOutcome =
  | { readonly kind: 'send' }
  | { readonly kind: 'defer'; readonly until: Date; readonly reason: string }
  | { readonly kind: 'drop'; readonly reason: string };

/** Decisions made on fresh counters before giving up on a contended customer (SQS retries later). */
const MAX_DECISIONS = 3;

/**
 * Applies the caps to a message about to go out at `at` on `channels`, counting it when it may go.
 * Throws (so the record is retried) when the profile vanished since the read or the counters stay
 * contended.
 */
export async function applyFrequencyCaps(
  request: MessageRequest,
  messageId: string,
  channels: readonly Channel[],
  counters: CapCounters | undefined,
  at: Date,
  context: RoutingContext,
): Promise<CapOutcome> {
  const caps = context.deps.frequencyCaps;
  if (!caps || caps.caps.length === 0) return { kind: 'send' };
  let current = counters ?? {};
  for (let decision = 0; decision < MAX_DECISIONS; decision += 1) {
    const verdict = decideCaps(
      capScopes(caps.caps, request, channels, current, at),
      messageId,
      request.priority,
    );
    if (verdict.kind !== 'count') return verdict;
    const result = await caps.counters.count(request.customerId, messageId, verdict.scopes);
    if (result.counted) return { kind: 'send' };
    if (!result.counters) {
      throw new RetryLaterError('The customer profile is gone since the batch read (erased?)', {
        code: 'PROFILE_GONE',
      });
    }
    current = result.counters;
  }
  throw new RetryLaterError('The frequency-cap counters stayed contended', { code: 'CAPS_CONTENDED' });
}
