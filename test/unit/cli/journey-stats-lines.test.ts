import { journeyStatsLines } from '../../../cli/journey-stats-lines';
import type { JourneyStats } from '../../../functions/contract';

/** Stats of cart-recovery after ten entrants, as the API answers them. */
function someStats(overrides: Partial<JourneyStats> = {}): JourneyStats {
  return {
    journeyId: 'cart-recovery',
    version: 2,
    entered: 10,
    heldOut: 1,
    waiting: 3,
    exited: { completed: 2, goal: 4, cancelled: 1 },
    converted: 4,
    heldOutConverted: 1,
    lift: -0.6667,
    steps: [
      {
        stepId: 'wait-for-order',
        type: 'waitFor',
        taken: 7,
        waiting: 3,
        outcomes: { 'event Order Completed': 2, timeout: 5 },
      },
      { stepId: 'push-reminder', type: 'send', taken: 5, waiting: 0, outcomes: { 'sent cart-reminder': 5 } },
      { stepId: 'reminded', type: 'exit', taken: 0, waiting: 0, outcomes: {} },
    ],
    ...overrides,
  };
}

describe('Function: journeyStatsLines', () => {
  it('prints the totals with shares of the entrants, then one aligned line per step, outcomes most first', () => {
    // Act
    const lines = journeyStatsLines(someStats());

    // Assess
    expect(lines).toEqual([
      'cart-recovery v2 (all versions counted)',
      'entered 10, holdout 1 (10%), waiting 3',
      'exited: completed 2, goal 4, cancelled 1',
      'converted 4 (40%), of them held out 1',
      'lift over the holdout: -66.7%',
      '',
      'step            type     taken  waiting  outcomes',
      'wait-for-order  waitFor      7        3  timeout 5, event Order Completed 2',
      'push-reminder   send         5        0  sent cart-reminder 5',
      'reminded        exit         0        0  -',
    ]);
  });

  it('prints no share when no one entered', () => {
    // Act
    const lines = journeyStatsLines(
      someStats({ entered: 0, heldOut: 0, converted: 0, heldOutConverted: 0, lift: null }),
    );

    // Assess
    expect(lines.slice(1, 5)).toEqual([
      'entered 0, holdout 0, waiting 3',
      'exited: completed 2, goal 4, cancelled 1',
      'converted 0, of them held out 0',
      'lift over the holdout: not measurable yet (no holdout conversion)',
    ]);
  });
});
