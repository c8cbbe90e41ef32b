/**
 * Configuration of learned channel choice (docs/customers-and-routing.md, "Learned channel
 * choice"), from the environment, read once and checked like functions/config.ts: the default
 * strategy per category, the half-life of the counters, channel costs, the value of an engagement
 * and of a conversion, exploration, and the population shards. Every variable is optional.
 */
import { ConfigurationError } from './config';
import { CHANNELS, type Channel, ROUTING_STRATEGIES, type RoutingStrategy } from './contract';
import { type ChannelChoiceSettings, DEFAULT_CHANNEL_CHOICE_SETTINGS } from './domain/channel-choice';
import type { StrategyDefaults } from './domain/routing-strategy';

/** Environment variable names of learned channel choice. */
export const LearnedRoutingEnv = {
  /** Default strategy per category, `marketing=learned,transactional=preferred`; unnamed categories route `preferred`. */
  STRATEGIES: 'SWITCHBOARD_ROUTING_STRATEGIES',
  /** Half-life of the engagement counters in days (default 90). */
  HALF_LIFE_DAYS: 'SWITCHBOARD_ENGAGEMENT_HALF_LIFE_DAYS',
  /** Cost of one message per channel in US dollars, `sms=0.0083,whatsapp=0.025` (others keep their defaults). */
  CHANNEL_COSTS: 'SWITCHBOARD_CHANNEL_COSTS',
  /** What one engaged message is worth, in the unit of the costs (default 0.05). */
  ENGAGEMENT_VALUE: 'SWITCHBOARD_ENGAGEMENT_VALUE',
  /** What one conversion is worth (default 0: the ledger's stream does not count conversions yet). */
  CONVERSION_VALUE: 'SWITCHBOARD_CONVERSION_VALUE',
  /** Most of the choice probability that goes to exploring, 0 … 1 (default 0.1). */
  MAX_EXPLORATION: 'SWITCHBOARD_MAX_EXPLORATION_SHARE',
  /** `true` lets transactional messages explore too (default: they take the best channel). */
  EXPLORE_TRANSACTIONAL: 'SWITCHBOARD_EXPLORE_TRANSACTIONAL',
  /** Shards per channel × category of the population counters (default 16). */
  POPULATION_SHARDS: 'SWITCHBOARD_POPULATION_SHARDS',
  /** Seconds a router container keeps the population rates (default 300). */
  POPULATION_MAX_AGE_SECONDS: 'SWITCHBOARD_POPULATION_MAX_AGE_SECONDS',
  /**
   * `true` or `false`: whether the ledger's stream keeps the engagement counters (default: true when
   * a category defaults to `learned`). Counting costs writes on every message, so a deployment that
   * never routes `learned` does not pay for it.
   */
  COUNTING: 'SWITCHBOARD_ENGAGEMENT_COUNTING',
} as const;

/** Learned channel choice, configured. */
export interface LearnedRoutingConfig {
  readonly strategies: StrategyDefaults;
  /** Whether engagement is counted from the ledger's stream. */
  readonly counting: boolean;
  readonly choice: ChannelChoiceSettings;
  readonly populationShards: number;
  readonly populationMaxAgeSeconds: number;
}

function malformed(name: string, expected: string, raw: string): ConfigurationError {
  return new ConfigurationError(`Environment variable ${name} must be ${expected}, got "${raw}"`);
}

/** Reads learned channel choice's configuration; throws naming the variable when one is malformed. */
export function learnedRoutingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LearnedRoutingConfig {
  const defaults = DEFAULT_CHANNEL_CHOICE_SETTINGS;
  const strategies = strategiesOf(env);
  return {
    strategies,
    counting: booleanOf(env, LearnedRoutingEnv.COUNTING, Object.values(strategies).includes('learned')),
    choice: {
      ...defaults,
      halfLifeDays: numberOf(
        env,
        LearnedRoutingEnv.HALF_LIFE_DAYS,
        defaults.halfLifeDays,
        'a positive number of days',
        (v) => v > 0,
      ),
      costs: { ...defaults.costs, ...pairs(env, LearnedRoutingEnv.CHANNEL_COSTS, channelCost) },
      engagementValue: numberOf(
        env,
        LearnedRoutingEnv.ENGAGEMENT_VALUE,
        defaults.engagementValue,
        'a number ≥ 0',
        (v) => v >= 0,
      ),
      conversionValue: numberOf(env, LearnedRoutingEnv.CONVERSION_VALUE, 0, 'a number ≥ 0', (v) => v >= 0),
      maxExplorationShare: numberOf(
        env,
        LearnedRoutingEnv.MAX_EXPLORATION,
        defaults.maxExplorationShare,
        'a number from 0 to 1',
        (v) => v >= 0 && v <= 1,
      ),
      exploreTransactional: booleanOf(
        env,
        LearnedRoutingEnv.EXPLORE_TRANSACTIONAL,
        defaults.exploreTransactional,
      ),
    },
    populationShards: numberOf(
      env,
      LearnedRoutingEnv.POPULATION_SHARDS,
      16,
      'a whole number from 1 to 256',
      (v) => Number.isInteger(v) && v >= 1 && v <= 256,
    ),
    populationMaxAgeSeconds: numberOf(
      env,
      LearnedRoutingEnv.POPULATION_MAX_AGE_SECONDS,
      300,
      'a positive number of seconds',
      (v) => v > 0,
    ),
  };
}

function strategiesOf(env: NodeJS.ProcessEnv): StrategyDefaults {
  return pairs(env, LearnedRoutingEnv.STRATEGIES, (category, value, raw) => {
    if (
      !/^[a-z][a-z0-9_-]{0,63}$/.test(category) ||
      !(ROUTING_STRATEGIES as readonly string[]).includes(value)
    ) {
      throw malformed(
        LearnedRoutingEnv.STRATEGIES,
        `category=strategy pairs with a strategy of ${ROUTING_STRATEGIES.join(', ')}`,
        raw,
      );
    }
    return [category, value as RoutingStrategy];
  });
}

function channelCost(channel: string, value: string, raw: string): [Channel, number] {
  const cost = Number(value);
  if (!(CHANNELS as readonly string[]).includes(channel) || value.trim() === '' || !(cost >= 0)) {
    throw malformed(
      LearnedRoutingEnv.CHANNEL_COSTS,
      `channel=cost pairs (channels ${CHANNELS.join(', ')}, costs ≥ 0)`,
      raw,
    );
  }
  return [channel as Channel, cost];
}

function pairs<K extends string, V>(
  env: NodeJS.ProcessEnv,
  name: string,
  read: (key: string, value: string, raw: string) => [K, V],
): Partial<Record<K, V>> {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return {};
  const result: Partial<Record<K, V>> = {};
  for (const part of raw.split(',')) {
    const [key = '', value = ''] = part.split('=').map((piece) => piece.trim());
    const [k, v] = read(key, value, raw);
    result[k] = v;
  }
  return result;
}

function numberOf(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  expected: string,
  valid: (value: number) => boolean,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !valid(value)) throw malformed(name, expected, raw);
  return value;
}

function booleanOf(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw malformed(name, 'true or false', raw);
}
