import { countEvent } from '../../../../functions/domain/channel-choice';
import {
  countsAt,
  forwardWeight,
  parseScaleKey,
  rescale,
  scaleAt,
  scaleKey,
} from '../../../../functions/domain/channel-choice/forward-decay';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('Function: forward decay', () => {
  it('gives the same decayed counts as decaying the counters event by event', () => {
    // Prepare
    const scale = scaleAt(NOW, 90);
    const times = [NOW - 200 * DAY, NOW - 30 * DAY, NOW - DAY, NOW];

    // Act
    const sum = times.reduce((total, at) => total + forwardWeight(at, scale), 0);
    const forward = countsAt({ sends: sum }, scale, NOW).sends;
    const stepwise = times.reduce(
      (counts, atMs) => countEvent(counts, { channel: 'email', kind: 'sent', atMs }),
      undefined as ReturnType<typeof countEvent> | undefined,
    );

    // Assess
    expect(forward).toBeCloseTo(stepwise?.sends ?? 0, 9);
  });

  it('keeps weights below 2^64 however far from the landmark', () => {
    // Prepare
    const at = NOW + 63 * 90 * DAY;

    // Act
    const weight = forwardWeight(at, scaleAt(at, 90));

    // Assess
    expect(weight).toBeGreaterThanOrEqual(1);
    expect(weight).toBeLessThan(2 ** 64);
  });

  it('re-expresses sums on another scale without changing the counts', () => {
    // Prepare
    const from = scaleAt(NOW - 100 * 90 * DAY, 90);
    const to = scaleAt(NOW, 90);
    const sums = {
      sends: 10 * forwardWeight(NOW - DAY, from),
      engagements: 3 * forwardWeight(NOW - DAY, from),
    };

    // Act
    const moved = rescale(sums, from, to, NOW);

    // Assess
    expect(countsAt(moved, to, NOW).sends).toBeCloseTo(countsAt(sums, from, NOW).sends, 9);
    expect(countsAt(moved, to, NOW).engagements).toBeCloseTo(countsAt(sums, from, NOW).engagements, 9);
  });

  it('stores a scale as a string it reads back, and reads nothing else', () => {
    // Prepare
    const scale = scaleAt(NOW, 30);

    // Act
    const key = scaleKey(scale);

    // Assess
    expect(parseScaleKey(key)).toEqual(scale);
    expect(parseScaleKey('90')).toBeUndefined();
    expect(parseScaleKey(42)).toBeUndefined();
  });
});
