/** Factories for the learned channel choice: counters, population counts and choice inputs. */
import type { Channel } from '../../functions/contract';
import {
  type ChannelChoiceInput,
  type ChannelEngagement,
  type PopulationCounts,
  populationKey,
  seededRandom,
} from '../../functions/domain/channel-choice';

/** A fixed "now" for choice tests. */
export const NOW_MS = Date.parse('2026-12-01T12:00:00Z');

/** Counters as of now: `sends` messages, `engagements` of them engaged, `conversions` converted. */
export function counts(
  sends: number,
  engagements: number,
  conversions = 0,
  atMs = NOW_MS,
): ChannelEngagement {
  return { sends, deliveries: sends, engagements, conversions, updatedAtMs: atMs };
}

/** Population counts where every channel of `category` has the given engagement rate over 10,000 sends. */
export function population(
  rates: Partial<Record<Channel, number>>,
  category = 'marketing',
  conversionRate = 0.005,
): PopulationCounts {
  return Object.fromEntries(
    Object.entries(rates).map(([channel, rate]) => [
      populationKey(channel as Channel, category),
      counts(10_000, 10_000 * (rate ?? 0), 10_000 * conversionRate),
    ]),
  );
}

/** A marketing choice among email and SMS with no history (population rates 0.2 in both categories), seeded; override what the test is about. */
export function aChoiceInput(overrides: Partial<ChannelChoiceInput> = {}): ChannelChoiceInput {
  return {
    allowed: ['email', 'sms'],
    preference: [],
    engagement: {},
    population: {
      ...population({ email: 0.2, sms: 0.2, whatsapp: 0.2, push: 0.2 }, 'marketing'),
      ...population({ email: 0.2, sms: 0.2, whatsapp: 0.2, push: 0.2 }, 'transactional'),
    },
    category: 'marketing',
    nowMs: NOW_MS,
    random: seededRandom(7),
    ...overrides,
  };
}
