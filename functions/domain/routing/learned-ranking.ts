/**
 * The `learned` strategy inside the router: the channels planning allowed (consent, address, quiet
 * hours, window — all checked before this, never relaxed here) ranked by the learned channel choice
 * (domain/channel-choice), the chosen channel first and the rest as the fallback chain, with the
 * choice the message records. A fallback ranks the remaining channels by their expected worth
 * alone: it is not a new decision to explore with, so it records no choice.
 */
import type { Channel, MessageRequest } from '../../contract';
import { chooseChannel } from '../channel-choice/choose-channel';
import type { RoutingProfile } from '../customer-model';
import type { RoutingChoice } from '../ledger-model';
import type { RoutingContext } from './types';

/** The learned order of the allowed channels and, for a first routing, the choice to record. */
export interface LearnedRanking {
  /** The chosen channel first, then the fallback chain. */
  readonly ranked: readonly Channel[];
  /** The choice to record on the message; absent for a fallback. */
  readonly choice?: RoutingChoice;
}

/** Ranks the allowed channels of a request by the learned channel choice. */
export function rankLearned(
  request: MessageRequest,
  profile: RoutingProfile,
  allowed: readonly Channel[],
  tried: readonly Channel[],
  context: RoutingContext,
): LearnedRanking {
  const fallback = tried.length > 0;
  const settings = context.deps.channelChoice ?? {};
  const result = chooseChannel({
    allowed,
    preference: profile.customer.preferences.channels,
    engagement: profile.engagement ?? {},
    population: context.population,
    category: request.category,
    nowMs: context.now.getTime(),
    random: context.random,
    settings: fallback ? { ...settings, maxExplorationShare: 0 } : settings,
  });
  if (fallback || !result.chosen) return { ranked: result.ranked };
  return {
    ranked: result.ranked,
    choice: {
      strategy: 'learned',
      channel: result.chosen,
      propensity: result.propensity,
      explored: result.explored,
      explanation: result.explanation,
    },
  };
}
