/**
 * Exponential decay of counts: a count recorded at `from` is worth count × 2^(−Δt / halfLife) at
 * `to`. Decayed counts add up linearly, so counters kept apart (per customer, per shard) can be
 * brought to one instant and summed.
 */

/** Default half-life of engagement and population counts: 90 days. */
export const DEFAULT_HALF_LIFE_DAYS = 90;

const DAY_MS = 86_400_000;

/** The factor a count shrinks by between two instants (1 when `to` is not after `from`). */
export function decayFactor(fromMs: number, toMs: number, halfLifeDays: number): number {
  if (!(halfLifeDays > 0)) throw new RangeError(`half-life must be positive, got ${halfLifeDays}`);
  const elapsed = toMs - fromMs;
  return elapsed <= 0 ? 1 : 2 ** (-elapsed / (halfLifeDays * DAY_MS));
}
