/**
 * The simulated population of `npm run bench:channels`, fixed by the parameters and by
 * published industry figures (sources in docs/BENCHMARKS.md, "Channel choice"). Nothing here is
 * tuned to the method: change a number only with a new source, and say so in the docs.
 */
import { CHANNELS, type Channel } from '../../functions/contract';
import { DEFAULT_CHANNEL_COSTS, type RandomSource, sampleBeta } from '../../functions/domain/channel-choice';

/** The fixed parameters. */
export const POPULATION = {
  customers: 10_000,
  /** Marketing or transactional messages per customer, one a week. */
  messagesPerCustomer: 30,
  daysBetweenMessages: 7,
  /** Share of customers with an address on each channel (the example shares). */
  availability: { email: 0.9, sms: 0.7, whatsapp: 0.5, push: 0.4 } as Record<Channel, number>,
  /** Share of messages that are marketing (the rest transactional). */
  marketingShare: 0.7,
  /** Chance that a customer consented, per category and available channel. */
  consent: { marketing: 0.6, transactional: 0.95 },
  /**
   * Mean engaged share per channel: email human opens 17.92% (Campaign Monitor 2019, before Apple
   * Mail Privacy Protection inflated opens); SMS clicks 10.63% (Omnisend 2020); WhatsApp reads ~68%
   * (measured average of opted-in broadcasts, richautomate.in 2026 benchmarks); push direct opens
   * 2.6% (Leanplum: 3.48% Android, 1.77% iOS, averaged).
   */
  engagementMean: { email: 0.1792, sms: 0.1063, whatsapp: 0.68, push: 0.026 } as Record<Channel, number>,
  /**
   * Mean converted share per channel = click rate × 6.34% click-to-order (Omnisend 2022): email
   * clicks 2.69% (Campaign Monitor 2019), SMS 10.63% (Omnisend 2020), WhatsApp ~10% (healthy
   * broadcast CTR 5–15%, richautomate.in), push 2.6% (a push open is its click).
   */
  conversionMean: {
    email: 0.0269 * 0.0634,
    sms: 0.1063 * 0.0634,
    whatsapp: 0.1 * 0.0634,
    push: 0.026 * 0.0634,
  } as Record<Channel, number>,
  /** Beta concentration (α + β) of each customer's hidden propensities around those means. */
  engagementConcentration: 4,
  conversionConcentration: 20,
  /** Share of customers whose stated first channel is the one she engages with most. */
  statedFirstIsBest: 0.5,
  /** Share of customers whose best channel changes halfway (swapped with another of hers). */
  bestChangesHalfway: 0.2,
  /** Cost per message: the module's defaults, public US list prices. */
  costs: DEFAULT_CHANNEL_COSTS,
} as const;

/** One simulated customer. */
export interface SimulatedCustomer {
  readonly index: number;
  /** Channels she has an address on, her stated ranking first to last. */
  readonly ranking: readonly Channel[];
  /** Per category, the channels she consented to. */
  readonly consented: Readonly<Record<'marketing' | 'transactional', ReadonlySet<Channel>>>;
  /** Hidden propensities before and after the halfway change (the same when she does not change). */
  readonly before: Propensities;
  readonly after: Propensities;
  /** Whether her best channel changes halfway. */
  readonly changes: boolean;
}

/** Hidden engagement and conversion propensities per channel. */
export interface Propensities {
  readonly engagement: Partial<Record<Channel, number>>;
  readonly conversion: Partial<Record<Channel, number>>;
}

function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

function drawAround(mean: number, concentration: number, random: RandomSource): number {
  return sampleBeta(mean * concentration, (1 - mean) * concentration, random);
}

/** The channel she engages with most among `channels`. */
export function bestByEngagement(channels: readonly Channel[], propensities: Propensities): Channel {
  return channels.reduce((best, channel) =>
    (propensities.engagement[channel] ?? 0) > (propensities.engagement[best] ?? 0) ? channel : best,
  );
}

/** Draws one customer. */
export function drawCustomer(index: number, random: RandomSource): SimulatedCustomer {
  const available = CHANNELS.filter((channel) => random() < POPULATION.availability[channel]);
  const engagement: Partial<Record<Channel, number>> = {};
  const conversion: Partial<Record<Channel, number>> = {};
  for (const channel of available) {
    engagement[channel] = drawAround(
      POPULATION.engagementMean[channel],
      POPULATION.engagementConcentration,
      random,
    );
    conversion[channel] = drawAround(
      POPULATION.conversionMean[channel],
      POPULATION.conversionConcentration,
      random,
    );
  }
  const before: Propensities = { engagement, conversion };
  let ranking = shuffled(available, random);
  if (available.length > 1) {
    const best = bestByEngagement(available, before);
    const others = available.filter((channel) => channel !== best);
    const first =
      random() < POPULATION.statedFirstIsBest ? best : others[Math.floor(random() * others.length)]!;
    ranking = [
      first,
      ...shuffled(
        available.filter((channel) => channel !== first),
        random,
      ),
    ];
  }
  const consented = {
    marketing: new Set(available.filter(() => random() < POPULATION.consent.marketing)),
    transactional: new Set(available.filter(() => random() < POPULATION.consent.transactional)),
  };
  const changes = available.length > 1 && random() < POPULATION.bestChangesHalfway;
  let after = before;
  if (changes) {
    const best = bestByEngagement(available, before);
    const others = available.filter((channel) => channel !== best);
    const swapWith = others[Math.floor(random() * others.length)]!;
    after = {
      engagement: { ...engagement, [best]: engagement[swapWith], [swapWith]: engagement[best] },
      conversion: { ...conversion, [best]: conversion[swapWith], [swapWith]: conversion[best] },
    };
  }
  return { index, ranking, consented, before, after, changes };
}
