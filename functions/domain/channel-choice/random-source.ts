/**
 * The random source the channel choice draws from: injected, so that tests and the bench are
 * reproducible and production can seed per message (or use the default seed-from-clock source).
 * The generator is pure-rand's xoroshiro128+ (already vetted as fast-check's generator), read as
 * 53-bit doubles in [0, 1).
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A uniform random number in [0, 1) per call. */
export type RandomSource = () => number;

/** A reproducible random source: the same seed gives the same sequence. */
export function seededRandom(seed: number): RandomSource {
  const generator = xoroshiro128plus(seed | 0);
  return () => uniformFloat64(generator);
}
