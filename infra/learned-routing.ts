/**
 * Learned channel choice in the deployment configuration (`learnedRouting` in the `switchboard`
 * context object) and the environment it becomes on the router and the ledger-stream function, which
 * must agree on it (functions/learned-routing-config.ts reads it; docs/customers-and-routing.md).
 */
import { z } from 'zod';
import { CHANNELS, ROUTING_STRATEGIES } from '../functions/contract';
import { LearnedRoutingEnv, learnedRoutingConfigFromEnv } from '../functions/learned-routing-config';

/** The `learnedRouting` settings; every one optional (the functions' defaults apply). */
export const LearnedRoutingSettingsSchema = z
  .object({
    /** Default strategy per category for requests that name none, e.g. `{ "marketing": "learned" }`. */
    strategies: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be a category name'),
        z.enum(ROUTING_STRATEGIES),
      )
      .default({}),
    halfLifeDays: z.number().positive().optional(),
    /** Cost of one message per channel, US dollars. */
    channelCosts: z.partialRecord(z.enum(CHANNELS), z.number().min(0)).optional(),
    engagementValue: z.number().min(0).optional(),
    conversionValue: z.number().min(0).optional(),
    maxExplorationShare: z.number().min(0).max(1).optional(),
    exploreTransactional: z.boolean().optional(),
    populationShards: z.number().int().min(1).max(256).optional(),
    populationMaxAgeSeconds: z.number().positive().optional(),
    /** Whether the ledger's stream counts engagement (default: when a category defaults to `learned`). */
    counting: z.boolean().optional(),
  })
  .strict();

/** The `learnedRouting` settings. */
export type LearnedRoutingSettings = z.infer<typeof LearnedRoutingSettingsSchema>;

/** The settings as the functions' environment variables (only those set), checked as the functions will read them. */
export function learnedRoutingEnvironment(settings: LearnedRoutingSettings): Record<string, string> {
  const env: Record<string, string> = {};
  const set = (name: string, value: unknown) => {
    if (value !== undefined) env[name] = String(value);
  };
  const pairs = (record: Record<string, unknown>) =>
    Object.entries(record)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
  if (Object.keys(settings.strategies).length > 0)
    set(LearnedRoutingEnv.STRATEGIES, pairs(settings.strategies));
  set(LearnedRoutingEnv.HALF_LIFE_DAYS, settings.halfLifeDays);
  if (settings.channelCosts) set(LearnedRoutingEnv.CHANNEL_COSTS, pairs(settings.channelCosts));
  set(LearnedRoutingEnv.ENGAGEMENT_VALUE, settings.engagementValue);
  set(LearnedRoutingEnv.CONVERSION_VALUE, settings.conversionValue);
  set(LearnedRoutingEnv.MAX_EXPLORATION, settings.maxExplorationShare);
  set(LearnedRoutingEnv.EXPLORE_TRANSACTIONAL, settings.exploreTransactional);
  set(LearnedRoutingEnv.POPULATION_SHARDS, settings.populationShards);
  set(LearnedRoutingEnv.POPULATION_MAX_AGE_SECONDS, settings.populationMaxAgeSeconds);
  set(LearnedRoutingEnv.COUNTING, settings.counting);
  // A value the functions would reject fails the synth, not the first message.
  learnedRoutingConfigFromEnv(env);
  return env;
}
