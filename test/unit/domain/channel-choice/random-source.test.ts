import { seededRandom } from '../../../../functions/domain/channel-choice';

describe('Function: seededRandom', () => {
  it('repeats its sequence for the same seed', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);
    expect([first(), first(), first()]).toEqual([second(), second(), second()]);
  });

  it('gives unrelated first draws for neighbouring seeds', () => {
    // Act
    const firstDraws = Array.from({ length: 2000 }, (_, seed) => seededRandom(seed)());

    // Assess: uniform on [0, 1) has mean 1/2 and variance 1/12.
    const mean = firstDraws.reduce((sum, value) => sum + value, 0) / firstDraws.length;
    const variance = firstDraws.reduce((sum, value) => sum + (value - mean) ** 2, 0) / firstDraws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.01);
  });
});
