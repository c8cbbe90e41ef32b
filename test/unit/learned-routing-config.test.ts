import { DEFAULT_CHANNEL_CHOICE_SETTINGS } from '../../functions/domain/channel-choice';
import { learnedRoutingConfigFromEnv } from '../../functions/learned-routing-config';

describe('Function: learnedRoutingConfigFromEnv', () => {
  it('routes every category preferred, with the decision defaults and conversions off, when nothing is set', () => {
    // Act
    const config = learnedRoutingConfigFromEnv({});

    // Assess
    expect(config).toEqual({
      strategies: {},
      counting: false,
      choice: { ...DEFAULT_CHANNEL_CHOICE_SETTINGS, conversionValue: 0 },
      populationShards: 16,
      populationMaxAgeSeconds: 300,
    });
  });

  it('reads the default strategy per category, costs, half-life and exploration', () => {
    // Act
    const config = learnedRoutingConfigFromEnv({
      SWITCHBOARD_ROUTING_STRATEGIES: 'marketing=learned, offers=all',
      SWITCHBOARD_CHANNEL_COSTS: 'sms=0.04',
      SWITCHBOARD_ENGAGEMENT_HALF_LIFE_DAYS: '30',
      SWITCHBOARD_MAX_EXPLORATION_SHARE: '0.05',
      SWITCHBOARD_EXPLORE_TRANSACTIONAL: 'true',
    });

    // Assess
    expect(config.strategies).toEqual({ marketing: 'learned', offers: 'all' });
    expect(config.choice.costs).toEqual({ ...DEFAULT_CHANNEL_CHOICE_SETTINGS.costs, sms: 0.04 });
    expect(config.choice).toMatchObject({
      halfLifeDays: 30,
      maxExplorationShare: 0.05,
      exploreTransactional: true,
    });
  });

  it.each([
    [{ SWITCHBOARD_ROUTING_STRATEGIES: 'marketing=cheapest' }, /SWITCHBOARD_ROUTING_STRATEGIES/],
    [{ SWITCHBOARD_CHANNEL_COSTS: 'fax=0.1' }, /SWITCHBOARD_CHANNEL_COSTS/],
    [{ SWITCHBOARD_CHANNEL_COSTS: 'sms=-1' }, /SWITCHBOARD_CHANNEL_COSTS/],
    [{ SWITCHBOARD_ENGAGEMENT_HALF_LIFE_DAYS: '0' }, /SWITCHBOARD_ENGAGEMENT_HALF_LIFE_DAYS/],
    [{ SWITCHBOARD_MAX_EXPLORATION_SHARE: '1.5' }, /SWITCHBOARD_MAX_EXPLORATION_SHARE/],
    [{ SWITCHBOARD_EXPLORE_TRANSACTIONAL: 'yes' }, /SWITCHBOARD_EXPLORE_TRANSACTIONAL/],
    [{ SWITCHBOARD_POPULATION_SHARDS: '2.5' }, /SWITCHBOARD_POPULATION_SHARDS/],
  ])('fails fast naming a malformed variable (%j)', (env, name) => {
    expect(() => learnedRoutingConfigFromEnv(env)).toThrow(name);
  });

  it.each([
    ['no category defaults to learned', {}, false],
    ['a category defaults to learned', { SWITCHBOARD_ROUTING_STRATEGIES: 'marketing=learned' }, true],
    ['counting is asked for', { SWITCHBOARD_ENGAGEMENT_COUNTING: 'true' }, true],
    [
      'counting is turned off beside a learned default',
      { SWITCHBOARD_ROUTING_STRATEGIES: 'marketing=learned', SWITCHBOARD_ENGAGEMENT_COUNTING: 'false' },
      false,
    ],
  ])('counts engagement only when it is used or asked for: %s', (_name, env, counting) => {
    // Act
    const config = learnedRoutingConfigFromEnv(env);

    // Assess
    expect(config.counting).toBe(counting);
  });

  it('refuses a counting switch that is not true or false', () => {
    // Act
    const reading = () => learnedRoutingConfigFromEnv({ SWITCHBOARD_ENGAGEMENT_COUNTING: 'yes' });

    // Assess
    expect(reading).toThrow(/SWITCHBOARD_ENGAGEMENT_COUNTING must be true or false/);
  });
});
