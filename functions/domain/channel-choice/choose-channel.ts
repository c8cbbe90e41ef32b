/**
 * Learned channel choice: among the channels the routing rules already allow (consent, address,
 * quiet hours, WhatsApp window — never relaxed here; this only ranks what it is given), pick the one
 * worth most to send on by Thompson sampling, with bounded exploration, and say why.
 *
 * Main path: per channel, a Beta posterior for the engaged share of messages (prior from the
 * population and the customer's ranking, plus her decayed counts) and one for the converted share.
 * Worth of a channel = engagement value × engagement rate + conversion value × conversion rate − cost.
 * Thompson sampling draws the engagement rate per channel and takes the best; the conversion rate
 * enters at its posterior mean, not drawn: a customer converts a few times in a thousand messages,
 * so her own conversion rate cannot be learned within her horizon, and drawing it would spend
 * exploration on noise the prior put there (the bench showed exactly that). Drawing
 * `propensitySamples` times gives each channel's probability of being chosen. The greedy channel (best worth at the
 * posterior means) keeps at least 1 − `maxExplorationShare` of that probability; the choice is then
 * drawn from those probabilities, so the recorded propensity is exactly the probability with which
 * this policy picked the channel, given its draws (what an offline inverse-propensity evaluation
 * needs). Transactional messages (or any category with exploration off) take the greedy channel
 * with propensity 1. The rest of the ranking is the fallback chain, by worth at the means.
 * Pure: the clock and the random source come in as inputs.
 */
import { Category, type Channel } from '../../contract';
import { sampleBeta } from './beta-sampler';
import { type ChannelCosts, DEFAULT_CHANNEL_COSTS } from './channel-costs';
import { type BetaParameters, channelPrior, type PriorSettings } from './channel-prior';
import { DEFAULT_HALF_LIFE_DAYS } from './decay';
import { type CustomerEngagement, decayChannelEngagement } from './engagement-counters';
import { explainChoice } from './explain-choice';
import { type PopulationCounts, populationRate } from './population-rates';
import type { RandomSource } from './random-source';

/** How the choice weighs value, cost and exploration. */
export interface ChannelChoiceSettings extends PriorSettings {
  /** What one engaged message is worth (US dollars, the unit of `costs`). */
  readonly engagementValue: number;
  /** What one conversion is worth (0 when conversions are not tracked). */
  readonly conversionValue: number;
  /** Cost of one message per channel. */
  readonly costs: ChannelCosts;
  /** Most of the choice probability that may go to channels other than the greedy one (0 … 1). */
  readonly maxExplorationShare: number;
  /** Whether transactional messages may explore too (default: no, they take the greedy channel). */
  readonly exploreTransactional: boolean;
  /** Thompson draws used to estimate the choice probabilities. */
  readonly propensitySamples: number;
  /** Half-life of the customer's counts in days. */
  readonly halfLifeDays: number;
}

/**
 * Defaults. Values are illustrative for a retail programme (an engaged marketing message worth five
 * cents, an order's margin two dollars); set your own. Exploration at most 10% of the probability (the bench compared 20%: more regret, see docs/BENCHMARKS.md).
 */
export const DEFAULT_CHANNEL_CHOICE_SETTINGS: ChannelChoiceSettings = {
  priorStrength: 4,
  conversionPriorStrength: 100,
  preferenceBonus: 1,
  engagementValue: 0.05,
  conversionValue: 2,
  costs: DEFAULT_CHANNEL_COSTS,
  maxExplorationShare: 0.1,
  exploreTransactional: false,
  propensitySamples: 200,
  halfLifeDays: DEFAULT_HALF_LIFE_DAYS,
};

/** Everything the choice looks at. */
export interface ChannelChoiceInput {
  /** Channels the routing rules allow now, in the order of the existing fallback chain. */
  readonly allowed: readonly Channel[];
  /** The customer's own ranking of channels (first = preferred). */
  readonly preference: readonly Channel[];
  /** The customer's decayed counts per channel. */
  readonly engagement: CustomerEngagement;
  /** The population's merged counts per channel × category. */
  readonly population: PopulationCounts;
  /** The message's category. */
  readonly category: string;
  /** Now (epoch milliseconds), to decay the counts to. */
  readonly nowMs: number;
  /** Where the draws come from (seeded in tests and the bench). */
  readonly random: RandomSource;
  /** Overrides of the defaults. */
  readonly settings?: Partial<ChannelChoiceSettings>;
}

/** What the choice knew about one channel. */
export interface ChannelEvidence {
  readonly channel: Channel;
  /** The customer's decayed sends on the channel. */
  readonly sends: number;
  /** Posterior mean of the engaged share. */
  readonly engagementRate: number;
  /** Posterior mean of the converted share. */
  readonly conversionRate: number;
  /** Cost of one message. */
  readonly cost: number;
  /** Worth of one message at the posterior means (value − cost). */
  readonly worth: number;
  /** Probability that the policy chose this channel. */
  readonly probability: number;
}

/** The choice: the ranking to route by, the chosen channel's propensity and why. */
export interface ChannelChoice {
  /** Chosen channel first, then the fallback chain; empty when nothing is allowed. */
  readonly ranked: readonly Channel[];
  /** The chosen channel, if any channel is allowed. */
  readonly chosen: Channel | undefined;
  /** Probability with which the policy chose it (1 when it did not explore). */
  readonly propensity: number;
  /** Whether the chosen channel is not the greedy one. */
  readonly explored: boolean;
  /** One line for the timeline, e.g. `whatsapp: 0.62 engaged over 14 sends vs email 0.18 over 22; cost 0.025 vs 0.0004`. */
  readonly explanation: string;
  /** Per allowed channel, what the choice knew (in ranking order). */
  readonly evidence: readonly ChannelEvidence[];
}

interface Posterior {
  readonly channel: Channel;
  readonly sends: number;
  readonly engagement: BetaParameters;
  readonly conversion: BetaParameters;
  readonly cost: number;
}

const mean = (parameters: BetaParameters) => parameters.alpha / (parameters.alpha + parameters.beta);

function posteriors(input: ChannelChoiceInput, settings: ChannelChoiceSettings): Posterior[] {
  return input.allowed.map((channel) => {
    const prior = channelPrior(
      channel,
      input.preference,
      populationRate(input.population, channel, input.category),
      settings,
    );
    const own = input.engagement[channel];
    const counts = own
      ? decayChannelEngagement(own, input.nowMs, { halfLifeDays: settings.halfLifeDays })
      : undefined;
    const sends = counts?.sends ?? 0;
    const engaged = Math.min(sends, counts?.engagements ?? 0);
    const converted = Math.min(sends, counts?.conversions ?? 0);
    return {
      channel,
      sends,
      engagement: { alpha: prior.engagement.alpha + engaged, beta: prior.engagement.beta + sends - engaged },
      conversion: {
        alpha: prior.conversion.alpha + converted,
        beta: prior.conversion.beta + sends - converted,
      },
      cost: settings.costs[channel],
    };
  });
}

function worth(
  engagementRate: number,
  conversionRate: number,
  cost: number,
  settings: ChannelChoiceSettings,
) {
  return settings.engagementValue * engagementRate + settings.conversionValue * conversionRate - cost;
}

/** Share of `samples` Thompson draws each channel wins (index-aligned with `candidates`). */
function thompsonShares(
  candidates: readonly Posterior[],
  settings: ChannelChoiceSettings,
  random: RandomSource,
): number[] {
  const wins = candidates.map(() => 0);
  const samples = Math.max(1, Math.floor(settings.propensitySamples));
  for (let draw = 0; draw < samples; draw += 1) {
    let best = 0;
    let bestWorth = Number.NEGATIVE_INFINITY;
    candidates.forEach((candidate, index) => {
      const engagementRate = sampleBeta(candidate.engagement.alpha, candidate.engagement.beta, random);
      const sampled = worth(engagementRate, mean(candidate.conversion), candidate.cost, settings);
      if (sampled > bestWorth) {
        best = index;
        bestWorth = sampled;
      }
    });
    wins[best] = (wins[best] ?? 0) + 1;
  }
  return wins.map((count) => count / samples);
}

/** The Thompson shares with the non-greedy total capped at `maxShare` (the greedy channel keeps the rest). */
export function capExploration(shares: readonly number[], greedy: number, maxShare: number): number[] {
  const cap = Math.min(1, Math.max(0, maxShare));
  const nonGreedy = shares.reduce((sum, share, index) => (index === greedy ? sum : sum + share), 0);
  if (nonGreedy <= cap) return [...shares];
  const scale = cap / nonGreedy;
  return shares.map((share, index) => (index === greedy ? 1 - cap : share * scale));
}

function drawIndex(probabilities: readonly number[], random: RandomSource): number {
  const u = random();
  let cumulative = 0;
  for (let index = 0; index < probabilities.length; index += 1) {
    cumulative += probabilities[index] ?? 0;
    if (u < cumulative) return index;
  }
  // Rounding can leave the sum a hair under 1; the last channel with any probability takes it.
  return probabilities.findLastIndex((probability) => probability > 0);
}

/** Ranks the allowed channels for a customer and picks one (see the module comment). */
export function chooseChannel(input: ChannelChoiceInput): ChannelChoice {
  const settings: ChannelChoiceSettings = { ...DEFAULT_CHANNEL_CHOICE_SETTINGS, ...input.settings };
  const allowed = [...new Set(input.allowed)];
  if (allowed.length === 0) {
    return {
      ranked: [],
      chosen: undefined,
      propensity: 0,
      explored: false,
      explanation: 'no channel allowed',
      evidence: [],
    };
  }
  const candidates = posteriors({ ...input, allowed }, settings);
  const meanWorths = candidates.map((candidate) =>
    worth(mean(candidate.engagement), mean(candidate.conversion), candidate.cost, settings),
  );
  // Best worth at the means; ties keep the fallback chain's order.
  const greedy = meanWorths.reduce(
    (best, value, index) => (value > (meanWorths[best] ?? 0) ? index : best),
    0,
  );
  const mayExplore =
    candidates.length > 1 &&
    settings.maxExplorationShare > 0 &&
    (input.category !== Category.TRANSACTIONAL || settings.exploreTransactional);
  const probabilities = mayExplore
    ? capExploration(thompsonShares(candidates, settings, input.random), greedy, settings.maxExplorationShare)
    : candidates.map((_, index) => (index === greedy ? 1 : 0));
  const chosenIndex = mayExplore ? drawIndex(probabilities, input.random) : greedy;
  const order = candidates
    .map((_, index) => index)
    .filter((index) => index !== chosenIndex)
    .sort((a, b) => (meanWorths[b] ?? 0) - (meanWorths[a] ?? 0) || a - b);
  const evidence = [chosenIndex, ...order].map((index): ChannelEvidence => {
    const candidate = candidates[index]!;
    return {
      channel: candidate.channel,
      sends: candidate.sends,
      engagementRate: mean(candidate.engagement),
      conversionRate: mean(candidate.conversion),
      cost: candidate.cost,
      worth: meanWorths[index] ?? 0,
      probability: probabilities[index] ?? 0,
    };
  });
  const propensity = probabilities[chosenIndex] ?? 0;
  const explored = chosenIndex !== greedy;
  return {
    ranked: evidence.map((item) => item.channel),
    chosen: evidence[0]?.channel,
    propensity,
    explored,
    explanation: explainChoice(evidence, {
      explored,
      propensity,
      showConversions: settings.conversionValue > 0,
    }),
    evidence,
  };
}
