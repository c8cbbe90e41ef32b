/**
 * The prior of a channel for one customer, before her own history: a Beta whose mean is the
 * population's rate for the channel and category, worth `priorStrength` messages, plus up to
 * `preferenceBonus` pseudo-engagements for the channels she ranked (all of it for her first channel,
 * less for each rank below, nothing for channels she did not rank). Her stated preference therefore
 * decides among channels the population rates alike, and gives way once her own messages say otherwise.
 */
import type { Channel } from '../../contract';
import type { PopulationRate } from './population-rates';

/** A Beta distribution's two parameters. */
export interface BetaParameters {
  readonly alpha: number;
  readonly beta: number;
}

/** Prior settings. */
export interface PriorSettings {
  /** How many messages the population's engagement rate weighs as. */
  readonly priorStrength: number;
  /** How many messages the population's conversion rate weighs as (conversions are rare, so more). */
  readonly conversionPriorStrength: number;
  /** Pseudo-engagements added for the customer's first-ranked channel. */
  readonly preferenceBonus: number;
}

/** Both priors of a channel. */
export interface ChannelPrior {
  readonly engagement: BetaParameters;
  readonly conversion: BetaParameters;
}

// Keeps both Beta parameters positive when a population rate is exactly 0 or 1.
const FLOOR = 1e-3;

/** The customer's pseudo-engagements for a channel from her ranking (0 when unranked). */
export function preferenceWeight(channel: Channel, preference: readonly Channel[], bonus: number): number {
  const rank = preference.indexOf(channel);
  return rank < 0 ? 0 : (bonus * (preference.length - rank)) / preference.length;
}

/** The engagement and conversion priors of a channel for a customer. */
export function channelPrior(
  channel: Channel,
  preference: readonly Channel[],
  population: PopulationRate,
  settings: PriorSettings,
): ChannelPrior {
  const engagementMean = Math.min(1 - FLOOR, Math.max(FLOOR, population.engagementRate));
  const conversionMean = Math.min(1 - FLOOR, Math.max(FLOOR / 10, population.conversionRate));
  return {
    engagement: {
      alpha:
        settings.priorStrength * engagementMean +
        preferenceWeight(channel, preference, settings.preferenceBonus),
      beta: settings.priorStrength * (1 - engagementMean),
    },
    conversion: {
      alpha: settings.conversionPriorStrength * conversionMean,
      beta: settings.conversionPriorStrength * (1 - conversionMean),
    },
  };
}
