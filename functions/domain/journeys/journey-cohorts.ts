/**
 * Deterministic cohorts: the holdout group and split paths. A customer lands in the same cohort
 * every time (a replay, a re-entry, another run of the same journey), so that lift can be measured
 * and a customer never sees both arms of a split.
 */
import { createHash } from 'node:crypto';

/** Buckets per 100 %: percentages are honoured to two decimals. */
const BUCKETS = 10_000;

/** The customer's bucket in [0, 100) for a salt, evenly spread by SHA-256. */
export function cohortPoint(salt: string, customerId: string): number {
  const digest = createHash('sha256').update(`${salt}\n${customerId}`).digest();
  return (digest.readUInt32BE(0) % BUCKETS) / (BUCKETS / 100);
}

/** Whether a customer is in a journey's holdout group of `percent` entrants. */
export function isHeldOut(journeyId: string, customerId: string, percent: number): boolean {
  return percent > 0 && cohortPoint(`holdout:${journeyId}`, customerId) < percent;
}

/** The index of the split path a customer takes, from the paths' percentages (adding up to 100). */
export function splitPathIndex(
  journeyId: string,
  stepId: string,
  customerId: string,
  percents: readonly number[],
): number {
  const point = cohortPoint(`split:${journeyId}:${stepId}`, customerId);
  let upTo = 0;
  for (const [index, percent] of percents.entries()) {
    upTo += percent;
    if (point < upTo) return index;
  }
  return percents.length - 1;
}
