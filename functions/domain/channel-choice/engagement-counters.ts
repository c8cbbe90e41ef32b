/**
 * Engagement per customer × channel, kept as events arrive from the ledger's stream: decayed counts
 * of sends, deliveries, engaged messages and conversions, with the instant they were last brought up
 * to date. Pure: the stream consumer reads the counters (from the customer's item or beside it),
 * applies an event and writes them back; routing reads them without touching the history.
 *
 * An engaged message counts once, whatever mix of reads, human opens, clicks and replies it got:
 * the consumer passes `firstForMessage: false` for the second and later engagement of one message
 * (the ledger's status transition tells it), so that engagements never exceed sends.
 */
import type { Channel } from '../../contract';
import { DEFAULT_HALF_LIFE_DAYS, decayFactor } from './decay';

/** Decayed counts for one channel of one customer. */
export interface ChannelEngagement {
  /** Messages sent on the channel. */
  readonly sends: number;
  /** Messages the provider reported delivered. */
  readonly deliveries: number;
  /** Messages read, opened by a person, clicked or replied to (each message once). */
  readonly engagements: number;
  /** Conversions credited to messages on the channel. */
  readonly conversions: number;
  /** When the counts were last decayed to (epoch milliseconds). */
  readonly updatedAtMs: number;
}

/** A customer's counters per channel (channels never used are absent). */
export type CustomerEngagement = Partial<Record<Channel, ChannelEngagement>>;

/** What happened to a message, as the ledger records it. */
export const EngagementKind = {
  SENT: 'sent',
  DELIVERED: 'delivered',
  READ: 'read',
  OPENED: 'opened',
  CLICKED: 'clicked',
  REPLIED: 'replied',
  CONVERTED: 'converted',
} as const;
/** One kind of engagement event. */
export type EngagementKind = (typeof EngagementKind)[keyof typeof EngagementKind];

/** One event to count. */
export interface EngagementEvent {
  readonly channel: Channel;
  readonly kind: EngagementKind;
  /** When it happened (epoch milliseconds); late events are decayed to their own age. */
  readonly atMs: number;
  /** For `opened`: the provider flagged it as a machine open (e.g. Apple Mail Privacy Protection). */
  readonly machineOpen?: boolean;
  /** For read/opened/clicked/replied/converted: whether it is the message's first of its counter. */
  readonly firstForMessage?: boolean;
}

/** Counter options. */
export interface CounterOptions {
  /** Half-life of the counts in days (default 90). */
  readonly halfLifeDays?: number;
}

/** Counters of a channel with nothing counted yet. */
export function emptyChannelEngagement(atMs: number): ChannelEngagement {
  return { sends: 0, deliveries: 0, engagements: 0, conversions: 0, updatedAtMs: atMs };
}

/** The counters decayed to an instant (unchanged if the instant is not later). */
export function decayChannelEngagement(
  counts: ChannelEngagement,
  atMs: number,
  options: CounterOptions = {},
): ChannelEngagement {
  if (atMs <= counts.updatedAtMs) return counts;
  const factor = decayFactor(counts.updatedAtMs, atMs, options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS);
  return {
    sends: counts.sends * factor,
    deliveries: counts.deliveries * factor,
    engagements: counts.engagements * factor,
    conversions: counts.conversions * factor,
    updatedAtMs: atMs,
  };
}

/** Which counter an event adds to, or undefined when it counts for nothing (machine opens, repeats). */
export function counterOf(event: EngagementEvent): keyof Omit<ChannelEngagement, 'updatedAtMs'> | undefined {
  switch (event.kind) {
    case EngagementKind.SENT:
      return 'sends';
    case EngagementKind.DELIVERED:
      return 'deliveries';
    case EngagementKind.OPENED:
      if (event.machineOpen) return undefined;
      return event.firstForMessage === false ? undefined : 'engagements';
    case EngagementKind.READ:
    case EngagementKind.CLICKED:
    case EngagementKind.REPLIED:
      return event.firstForMessage === false ? undefined : 'engagements';
    case EngagementKind.CONVERTED:
      return event.firstForMessage === false ? undefined : 'conversions';
  }
}

/** One channel's counters with an event applied (a new object; the input is left as it was). */
export function countEvent(
  counts: ChannelEngagement | undefined,
  event: EngagementEvent,
  options: CounterOptions = {},
): ChannelEngagement {
  const current = counts ?? emptyChannelEngagement(event.atMs);
  const counter = counterOf(event);
  if (!counter) return current;
  const decayed = decayChannelEngagement(current, event.atMs, options);
  // A late event (older than the counters) adds what it is still worth at the counters' instant.
  const weight = decayFactor(event.atMs, decayed.updatedAtMs, options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS);
  return { ...decayed, [counter]: decayed[counter] + weight };
}

/** A customer's counters with one event applied (a new object; the input is left as it was). */
export function applyEngagementEvent(
  engagement: CustomerEngagement,
  event: EngagementEvent,
  options: CounterOptions = {},
): CustomerEngagement {
  if (!counterOf(event)) return engagement;
  return { ...engagement, [event.channel]: countEvent(engagement[event.channel], event, options) };
}
