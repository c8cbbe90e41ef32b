/**
 * The ledger stream's attribution step (called by domain/ledger-outbox.ts): each conversion of a
 * batch is credited and recorded on its own, in order; then the batch's message activity (sent,
 * delivered, engaged) is added to the aggregates, merged per day × group so a busy batch costs a
 * few writes, not one per record.
 *
 * Counting once: a conversion is recorded in one transaction with its increments, conditional on
 * its item, so a replayed record finds it and counts nothing. The activity of changes that were
 * relayed is written once they all were; a failure there retries the batch from its start
 * (conversions again find theirs recorded).
 */
import { RetryLaterError } from '../errors';
import type { LedgerChange } from '../ledger-change-events';
import { activityIncrements, conversionIncrements, mergeIncrements } from './attribution-aggregates';
import type { AttributionPorts } from './attribution-ports';
import { touchQueryRange } from './attribution-window';
import { type Conversion, conversionOf } from './conversion';
import { creditConversion } from './credit-conversion';

/** Times a conversion is credited again after others claimed some of its touches meanwhile. */
const MAX_CLAIM_RETRIES = 3;

/** How far the step got: changes before `done` are attributed and counted. */
export interface AttributionOutcome {
  readonly done: number;
  /** Conversions recorded (not those found recorded before). */
  readonly conversions: number;
  readonly error?: unknown;
}

/** Credits and records one conversion; `duplicate` when it was recorded before. */
export async function attributeConversion(
  conversion: Conversion,
  ports: AttributionPorts,
): Promise<'recorded' | 'duplicate'> {
  const touches = await ports.touches.touches(
    conversion.customerId,
    touchQueryRange(conversion.occurredAt, ports.settings),
  );
  const claimed = new Set<string>();
  for (let attempt = 0; attempt <= MAX_CLAIM_RETRIES; attempt++) {
    const unclaimed = touches.map((touch) =>
      claimed.has(touch.messageId) ? { ...touch, claimed: true } : touch,
    );
    const credits = creditConversion(conversion, unclaimed, ports.settings);
    const outcome = await ports.conversions.record(
      conversion,
      credits,
      conversionIncrements(conversion, credits),
    );
    if (outcome.outcome !== 'claimed') return outcome.outcome;
    for (const messageId of outcome.messageIds) claimed.add(messageId);
  }
  throw new RetryLaterError(`Conversion ${conversion.conversionId}: its touches kept being claimed`, {
    code: 'ClaimConflict',
  });
}

/** Attributes the conversions among `changes[0 … upTo)` and counts their message activity. */
export async function attributeLedgerChanges(
  changes: readonly LedgerChange[],
  upTo: number,
  ports: AttributionPorts,
): Promise<AttributionOutcome> {
  let conversions = 0;
  let done = upTo;
  let failure: unknown;
  for (let index = 0; index < upTo; index++) {
    const conversion = conversionOf(changes[index] as LedgerChange, ports.settings);
    if (!conversion) continue;
    try {
      if ((await attributeConversion(conversion, ports)) === 'recorded') conversions++;
    } catch (error) {
      done = index;
      failure = error;
      break;
    }
  }
  // The activity of the changes before a failed conversion is counted now: they are not retried.
  const activity = mergeIncrements(changes.slice(0, done).flatMap(activityIncrements));
  try {
    if (activity.length > 0) await ports.aggregates.add(activity);
  } catch (error) {
    // Which groups were written is unknown to this step: the batch is retried from its start.
    return { done: 0, conversions, error };
  }
  return { done, conversions, ...(failure === undefined ? {} : { error: failure }) };
}
