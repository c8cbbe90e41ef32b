/**
 * Gamma and Beta draws for Thompson sampling.
 *
 * Written here rather than taken from a library: the one well-kept option on npm
 * (`@stdlib/random-base-beta`) brings some two dozen @stdlib packages and its own generator into the
 * router's bundle for what is Marsaglia & Tsang's method, about twenty lines, and it cannot take our
 * injected seeded source without wrapping. The moments of these draws are checked in
 * test/unit/domain/channel-choice/beta-sampler.test.ts.
 *
 * Marsaglia, G. & Tsang, W. W. (2000), "A simple method for generating gamma variables",
 * ACM Transactions on Mathematical Software 26(3). Beta(a, b) = X / (X + Y) with X ~ Gamma(a),
 * Y ~ Gamma(b).
 */
import type { RandomSource } from './random-source';

/** One standard normal draw (Marsaglia's polar method). */
function sampleNormal(random: RandomSource): number {
  for (;;) {
    const u = 2 * random() - 1;
    const v = 2 * random() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** One draw from Gamma(shape, 1); shape > 0. */
export function sampleGamma(shape: number, random: RandomSource): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be positive, got ${shape}`);
  // Shapes below 1 are boosted to shape + 1 and scaled back by U^(1/shape) (Marsaglia & Tsang, §6).
  if (shape < 1) return sampleGamma(shape + 1, random) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** One draw from Beta(alpha, beta); both > 0. */
export function sampleBeta(alpha: number, beta: number, random: RandomSource): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  const sum = x + y;
  // Both gamma draws can underflow to 0 for tiny shapes; the mean is the honest answer then.
  return sum > 0 ? x / sum : alpha / (alpha + beta);
}
