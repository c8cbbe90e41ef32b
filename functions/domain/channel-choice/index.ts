/** Learned channel choice: counters, population rates, priors, the decision and its explanation. */
export { sampleBeta, sampleGamma } from './beta-sampler';
export { type ChannelCosts, DEFAULT_CHANNEL_COSTS } from './channel-costs';
export { type BetaParameters, type ChannelPrior, channelPrior, preferenceWeight } from './channel-prior';
export {
  type ChannelChoice,
  type ChannelChoiceInput,
  type ChannelChoiceSettings,
  type ChannelEvidence,
  capExploration,
  chooseChannel,
  DEFAULT_CHANNEL_CHOICE_SETTINGS,
} from './choose-channel';
export { DEFAULT_HALF_LIFE_DAYS, decayFactor } from './decay';
export {
  applyEngagementEvent,
  type ChannelEngagement,
  type CounterOptions,
  type CustomerEngagement,
  countEvent,
  counterOf,
  decayChannelEngagement,
  type EngagementEvent,
  EngagementKind,
  emptyChannelEngagement,
} from './engagement-counters';
export { explainChoice, formatCost } from './explain-choice';
export {
  applyPopulationEvent,
  DEFAULT_POPULATION_SHARDS,
  mergeShards,
  type PopulationCounts,
  type PopulationRate,
  populationKey,
  populationRate,
  populationShard,
  UNINFORMED_RATES,
} from './population-rates';
export { type RandomSource, seededRandom } from './random-source';
