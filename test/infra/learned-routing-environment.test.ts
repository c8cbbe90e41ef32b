/**
 * The `learnedRouting` settings reach the router and the ledger-stream function as the same
 * variables, and the functions' own configuration reader reads them back; a value it would reject
 * fails the synth.
 */
import { learnedRoutingConfigFromEnv } from '../../functions/learned-routing-config';
import { environmentOf, synthSwitchboard } from '../helpers/cdk-app';

describe('Infra: learned routing settings', () => {
  it('gives the router and the ledger-stream function the same learned-routing settings', () => {
    // Prepare
    const sb = synthSwitchboard({
      stage: 'dev',
      learnedRouting: {
        strategies: { marketing: 'learned' },
        halfLifeDays: 60,
        channelCosts: { sms: 0.04 },
        maxExplorationShare: 0.05,
      },
    });

    // Act
    const router = learnedRoutingConfigFromEnv(environmentOf(sb, 'router'));
    const stream = learnedRoutingConfigFromEnv(environmentOf(sb, 'ledgerStream'));

    // Assess
    expect(router.strategies).toEqual({ marketing: 'learned' });
    expect(router.choice).toMatchObject({ halfLifeDays: 60, maxExplorationShare: 0.05 });
    expect(router.choice.costs.sms).toBe(0.04);
    expect(stream.choice.halfLifeDays).toBe(60);
    expect(stream.populationShards).toBe(router.populationShards);
  });

  it('fails the synth on a setting the functions would reject', () => {
    expect(() =>
      synthSwitchboard({ stage: 'dev', learnedRouting: { strategies: { marketing: 'cheapest' as never } } }),
    ).toThrow(/learnedRouting|strategies/);
  });
});
