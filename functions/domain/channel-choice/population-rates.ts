/**
 * The population's engagement and conversion rates per channel × category: the pooled prior that
 * lets a customer with no history start sensibly.
 *
 * Kept without a hot key by sharding. Every event adds to one of `shardCount` counters for its
 * channel × category, the shard picked from the message id (so a redelivered event lands on the same
 * shard and an idempotent write can catch it). A DynamoDB partition takes about 1,000 writes of a
 * small item per second; a million engagements an hour is ~280 per second, or ~830 per second when
 * sends and deliveries are counted too, so with the default 16 shards each item takes ~50 writes a
 * second, a twentieth of the limit, and the load can grow twentyfold before a shard gets hot.
 * Decayed counts add up linearly: an aggregator (on a schedule, say every five minutes) reads the
 * shards, decays each to one instant and sums them with `mergeShards` into one rates item; the router
 * reads that item once per container per few minutes, never the shards.
 */
import type { Channel } from '../../contract';
import {
  type ChannelEngagement,
  type CounterOptions,
  countEvent,
  decayChannelEngagement,
  emptyChannelEngagement,
} from './engagement-counters';

/** Default number of shards per channel × category. */
export const DEFAULT_POPULATION_SHARDS = 16;

/**
 * Rates assumed for a channel × category the population has never used: deliberately vague (they
 * weigh as `priorStrength` messages at most), between the industry figures of the four channels.
 */
export const UNINFORMED_RATES: PopulationRate = { engagementRate: 0.1, conversionRate: 0.005, sends: 0 };

/** The population's merged counts, keyed by `populationKey(channel, category)`. */
export type PopulationCounts = Readonly<Record<string, ChannelEngagement>>;

/** The population's rates for one channel × category. */
export interface PopulationRate {
  /** Engaged messages per message sent. */
  readonly engagementRate: number;
  /** Conversions per message sent. */
  readonly conversionRate: number;
  /** How many (decayed) sends the rates rest on. */
  readonly sends: number;
}

/** The key of a channel × category in `PopulationCounts`. */
export function populationKey(channel: Channel, category: string): string {
  return `${category}#${channel}`;
}

/** The shard (0 … shardCount − 1) an event about a message is counted in: FNV-1a of its id. */
export function populationShard(messageId: string, shardCount = DEFAULT_POPULATION_SHARDS): number {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new RangeError(`shard count must be a positive integer, got ${shardCount}`);
  }
  let hash = 0x811c9dc5;
  for (let index = 0; index < messageId.length; index += 1) {
    hash ^= messageId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shardCount;
}

/** One shard's counts with an event applied: the same counting as a customer's (`countEvent`). */
export const applyPopulationEvent = countEvent;

/** The shards of one channel × category merged: each decayed to `atMs`, then summed. */
export function mergeShards(
  shards: readonly ChannelEngagement[],
  atMs: number,
  options: CounterOptions = {},
): ChannelEngagement {
  let merged = emptyChannelEngagement(atMs);
  for (const shard of shards) {
    // A shard dated after `atMs` is summed as it stands: never inflated, never lost.
    const decayed = decayChannelEngagement(shard, atMs, options);
    merged = {
      sends: merged.sends + decayed.sends,
      deliveries: merged.deliveries + decayed.deliveries,
      engagements: merged.engagements + decayed.engagements,
      conversions: merged.conversions + decayed.conversions,
      updatedAtMs: atMs,
    };
  }
  return merged;
}

/** The population's rates for a channel × category; uninformed rates when it has no sends. */
export function populationRate(counts: PopulationCounts, channel: Channel, category: string): PopulationRate {
  const merged = counts[populationKey(channel, category)];
  if (!merged || merged.sends <= 0) return UNINFORMED_RATES;
  return {
    engagementRate: Math.min(1, merged.engagements / merged.sends),
    conversionRate: Math.min(1, merged.conversions / merged.sends),
    sends: merged.sends,
  };
}
