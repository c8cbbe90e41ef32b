import { sampleBeta, sampleGamma, seededRandom } from '../../../../functions/domain/channel-choice';

function moments(draw: () => number, count: number) {
  let sum = 0;
  let sumOfSquares = 0;
  for (let index = 0; index < count; index += 1) {
    const value = draw();
    sum += value;
    sumOfSquares += value * value;
  }
  const mean = sum / count;
  return { mean, variance: sumOfSquares / count - mean * mean };
}

describe('Function: sampleGamma', () => {
  it.each([[0.3], [1], [2.5], [40]])('has mean and variance equal to the shape %p', (shape) => {
    // Prepare
    const random = seededRandom(11);

    // Act
    const { mean, variance } = moments(() => sampleGamma(shape, random), 200_000);

    // Assess: Gamma(k, 1) has mean k and variance k; 200,000 draws put both within a few percent.
    expect(mean).toBeCloseTo(shape, shape < 1 ? 2 : 1);
    expect(Math.abs(variance - shape) / shape).toBeLessThan(0.05);
  });

  it('rejects a shape that is not positive', () => {
    expect(() => sampleGamma(0, seededRandom(1))).toThrow(RangeError);
  });
});

describe('Function: sampleBeta', () => {
  it.each([
    [1, 1],
    [0.5, 4.5],
    [14, 8],
    [0.02, 99.98],
  ])('matches the mean and variance of Beta(%p, %p)', (alpha, beta) => {
    // Prepare
    const random = seededRandom(5);
    const expectedMean = alpha / (alpha + beta);
    const expectedVariance = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));

    // Act
    const { mean, variance } = moments(() => sampleBeta(alpha, beta, random), 200_000);

    // Assess
    expect(Math.abs(mean - expectedMean)).toBeLessThan(0.01 * Math.max(expectedMean, 0.05));
    expect(Math.abs(variance - expectedVariance) / expectedVariance).toBeLessThan(0.06);
  });

  it('gives the same draws for the same seed', () => {
    const first = seededRandom(99);
    const second = seededRandom(99);
    expect([1, 2, 3].map(() => sampleBeta(2, 3, first))).toEqual(
      [1, 2, 3].map(() => sampleBeta(2, 3, second)),
    );
  });
});
