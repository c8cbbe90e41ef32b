/**
 * Decayed counts kept with additions only, so that the stream consumer counts an event with one
 * write and no read: "forward decay" (Cormode, Shkapenyuk, Srivastava & Xu, "Forward Decay: A
 * Practical Time Decay Model for Streaming Systems", ICDE 2009). An event at time t adds
 * 2^((t − L) / h) to a stored sum, L a landmark instant and h the half-life; the decayed count at
 * time T is the sum × 2^(−(T − L) / h). Every event is thus decayed to its own age, late ones
 * included, and sums add up in any order (DynamoDB's `ADD` does it atomically).
 *
 * The weights grow with time, so the landmark moves every {@link LANDMARK_HALF_LIVES} half-lives
 * (about 16 years at 90 days): weights then stay below 2^64, well inside a double and a DynamoDB
 * number. A writer that finds a sum kept on another scale (the landmark moved, or the half-life was
 * reconfigured) re-expresses it on its own scale first (`rescale`), once per item.
 */
import type { ChannelEngagement } from './engagement-counters';

/** How often, in half-lives, the landmark moves. */
export const LANDMARK_HALF_LIVES = 64;

const DAY_MS = 86_400_000;

/** The scale a sum is kept on: its landmark and its half-life. */
export interface DecayScale {
  /** The landmark instant (epoch milliseconds). */
  readonly landmarkMs: number;
  /** The half-life in days. */
  readonly halfLifeDays: number;
}

/** The four sums one channel keeps, on a scale. */
export type ScaledCounts = Omit<ChannelEngagement, 'updatedAtMs'>;

/** The scale a writer uses at an instant: the latest landmark at or before it. */
export function scaleAt(atMs: number, halfLifeDays: number): DecayScale {
  if (!(halfLifeDays > 0)) throw new RangeError(`half-life must be positive, got ${halfLifeDays}`);
  const period = LANDMARK_HALF_LIVES * halfLifeDays * DAY_MS;
  return { landmarkMs: Math.floor(atMs / period) * period, halfLifeDays };
}

/** A scale as one stored string (`<landmark ms>/<half-life days>`), compared for equality in a write's condition. */
export function scaleKey(scale: DecayScale): string {
  return `${scale.landmarkMs}/${scale.halfLifeDays}`;
}

/** A stored scale string read back; undefined when it is not one. */
export function parseScaleKey(key: unknown): DecayScale | undefined {
  if (typeof key !== 'string') return undefined;
  const [landmark, halfLife] = key.split('/').map(Number);
  if (!Number.isFinite(landmark) || !(halfLife !== undefined && halfLife > 0)) return undefined;
  return { landmarkMs: landmark as number, halfLifeDays: halfLife };
}

/** What one event at `atMs` adds to a sum on `scale`. */
export function forwardWeight(atMs: number, scale: DecayScale): number {
  return 2 ** ((atMs - scale.landmarkMs) / (scale.halfLifeDays * DAY_MS));
}

/** Stored sums as decayed counts at `atMs`. */
export function countsAt(sums: Partial<ScaledCounts>, scale: DecayScale, atMs: number): ChannelEngagement {
  const factor = 1 / forwardWeight(atMs, scale);
  return {
    sends: (sums.sends ?? 0) * factor,
    deliveries: (sums.deliveries ?? 0) * factor,
    engagements: (sums.engagements ?? 0) * factor,
    conversions: (sums.conversions ?? 0) * factor,
    updatedAtMs: atMs,
  };
}

/** Sums kept on one scale re-expressed on another (the same decayed counts at every instant, when the half-lives agree). */
export function rescale(
  sums: Partial<ScaledCounts>,
  from: DecayScale,
  to: DecayScale,
  atMs: number,
): ScaledCounts {
  const counts = countsAt(sums, from, atMs);
  const weight = forwardWeight(atMs, to);
  return {
    sends: counts.sends * weight,
    deliveries: counts.deliveries * weight,
    engagements: counts.engagements * weight,
    conversions: counts.conversions * weight,
  };
}
