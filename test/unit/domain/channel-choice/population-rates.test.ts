import {
  applyPopulationEvent,
  type ChannelEngagement,
  mergeShards,
  populationKey,
  populationRate,
  populationShard,
  UNINFORMED_RATES,
} from '../../../../functions/domain/channel-choice';
import { counts, NOW_MS } from '../../../helpers/channel-choice';

const DAY_MS = 86_400_000;

describe('Function: populationShard', () => {
  it('puts the same message on the same shard every time', () => {
    expect(populationShard('msg_01J8', 16)).toBe(populationShard('msg_01J8', 16));
  });

  it('spreads messages evenly over the shards', () => {
    // Prepare
    const perShard = new Array<number>(16).fill(0);

    // Act
    for (let index = 0; index < 16_000; index += 1) {
      const shard = populationShard(`msg_${index.toString(36)}`, 16);
      perShard[shard] = (perShard[shard] ?? 0) + 1;
    }

    // Assess: 1,000 expected per shard; none more than 15% off.
    for (const count of perShard) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });

  it('rejects a shard count below one', () => {
    expect(() => populationShard('msg_1', 0)).toThrow(RangeError);
  });
});

describe('Function: mergeShards', () => {
  it('sums the shards after decaying each to the same instant', () => {
    // Prepare
    const fresh = counts(10, 5, 1, NOW_MS);
    const old = counts(20, 10, 2, NOW_MS - 90 * DAY_MS);

    // Act
    const merged = mergeShards([fresh, old], NOW_MS);

    // Assess
    expect(merged).toEqual(counts(20, 10, 2, NOW_MS));
  });

  it('counts the same as one unsharded counter fed the same events', () => {
    // Prepare
    const events = Array.from({ length: 300 }, (_, index) => ({
      id: `msg_${index}`,
      event: {
        channel: 'sms' as const,
        kind: index % 3 === 0 ? ('clicked' as const) : ('sent' as const),
        atMs: NOW_MS + index * 3_600_000,
      },
    }));
    const shards = new Map<number, ChannelEngagement>();
    let single: ChannelEngagement | undefined;

    // Act
    for (const { id, event } of events) {
      const shard = populationShard(id, 8);
      shards.set(shard, applyPopulationEvent(shards.get(shard), event));
      single = applyPopulationEvent(single, event);
    }
    const end = NOW_MS + 400 * 3_600_000;
    const merged = mergeShards([...shards.values()], end);

    // Assess
    expect(merged.sends).toBeCloseTo(mergeShards([single!], end).sends, 9);
    expect(merged.engagements).toBeCloseTo(mergeShards([single!], end).engagements, 9);
  });
});

describe('Function: populationRate', () => {
  it('gives engaged and converted shares per send for the channel and category', () => {
    const rate = populationRate(
      { [populationKey('email', 'marketing')]: counts(1000, 180, 2) },
      'email',
      'marketing',
    );
    expect(rate).toEqual({ engagementRate: 0.18, conversionRate: 0.002, sends: 1000 });
  });

  it('falls back to the uninformed rates for a channel the population never used', () => {
    expect(populationRate({}, 'push', 'marketing')).toBe(UNINFORMED_RATES);
  });
});
