/**
 * The attribution aggregates: what the report reads instead of events. Counts and sums per UTC day
 * × dimension (channel, template, campaign) × group value, never a customer id (erasure leaves
 * them as they are: they hold no personal data).
 *
 * Each aggregate keeps, side by side: `sent`, `delivered`, `engaged` (from the ledger stream's
 * attempt changes, engagement-from-ledger.ts: an attempt's first sent, first delivered, first
 * engagement), and per model `conversions_<model>`, `clientConversions_<model>` and
 * `revenue_<model>_<currency>`. Pure: adapters/dynamodb/attribution-aggregates.ts stores them.
 */
import {
  ATTRIBUTION_DIMENSIONS,
  ATTRIBUTION_MODELS,
  type AttributionDimension,
  type AttributionModel,
} from '../../contract';
import { EngagementKind } from '../channel-choice/engagement-counters';
import { deriveEngagement } from '../engagement-from-ledger';
import type { LedgerChange } from '../ledger-change-events';
import { campaignOf } from './campaign';
import type { Conversion } from './conversion';
import type { Credit } from './credit-conversion';

/** The group of a message without a template or a campaign. */
export const NO_GROUP = '(none)';

/** The counters of message activity, the same under every model. */
export const ActivityCounter = { SENT: 'sent', DELIVERED: 'delivered', ENGAGED: 'engaged' } as const;

/** The counter of a model's conversions. */
export function conversionsCounter(model: AttributionModel): string {
  return `conversions_${model}`;
}

/** The counter of a model's conversions reported by client (public write key) sources. */
export function clientConversionsCounter(model: AttributionModel): string {
  return `clientConversions_${model}`;
}

/** The counter of a model's revenue in one currency; {@link revenueCurrencyOf} reads it back. */
export function revenueCounter(model: AttributionModel, currency: string): string {
  return `revenue_${model}_${currency}`;
}

/** The currency of a model's revenue counter, or undefined for another counter. */
export function revenueCurrencyOf(counter: string, model: AttributionModel): string | undefined {
  return new RegExp(`^revenue_${model}_([A-Z]{3})$`).exec(counter)?.[1];
}

/** What to add to one aggregate. */
export interface AggregateIncrement {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly dimension: AttributionDimension;
  readonly group: string;
  /** Counter name → amount to add. */
  readonly add: Readonly<Record<string, number>>;
}

/** The UTC day of an instant (ISO text or epoch milliseconds). */
export function dayOf(at: string | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The group of a message in one dimension. */
export function groupOf(
  message: { readonly channel: string; readonly template?: string; readonly campaign?: string },
  dimension: AttributionDimension,
): string {
  return message[dimension] ?? NO_GROUP;
}

/** Increments with the same day, dimension and group summed into one. */
export function mergeIncrements(increments: readonly AggregateIncrement[]): AggregateIncrement[] {
  const merged = new Map<
    string,
    { day: string; dimension: AttributionDimension; group: string; add: Record<string, number> }
  >();
  for (const increment of increments) {
    const key = `${increment.day}\u0000${increment.dimension}\u0000${increment.group}`;
    const into = merged.get(key) ?? { ...increment, add: {} };
    for (const [counter, amount] of Object.entries(increment.add)) {
      if (amount !== 0) into.add[counter] = (into.add[counter] ?? 0) + amount;
    }
    merged.set(key, into);
  }
  return [...merged.values()].filter((increment) => Object.keys(increment.add).length > 0);
}

/** What a conversion adds to the aggregates of the groups of its credited messages, on its own day. */
export function conversionIncrements(
  conversion: Conversion,
  credits: readonly Credit[],
): AggregateIncrement[] {
  const day = dayOf(conversion.occurredAt);
  const increments: AggregateIncrement[] = [];
  for (const credit of credits) {
    const add: Record<string, number> = {};
    for (const model of ATTRIBUTION_MODELS) {
      const weight = credit.weight[model];
      if (weight === 0) continue;
      add[conversionsCounter(model)] = weight;
      if (conversion.sourceKind === 'client') add[clientConversionsCounter(model)] = weight;
      if (conversion.revenue !== undefined && conversion.currency !== undefined) {
        add[revenueCounter(model, conversion.currency)] = conversion.revenue * weight;
      }
    }
    for (const dimension of ATTRIBUTION_DIMENSIONS) {
      increments.push({ day, dimension, group: groupOf(credit, dimension), add });
    }
  }
  return mergeIncrements(increments);
}

const ACTIVITY_OF_KIND: Partial<Record<string, string>> = {
  [EngagementKind.SENT]: ActivityCounter.SENT,
  [EngagementKind.DELIVERED]: ActivityCounter.DELIVERED,
  [EngagementKind.READ]: ActivityCounter.ENGAGED,
  [EngagementKind.OPENED]: ActivityCounter.ENGAGED,
  [EngagementKind.CLICKED]: ActivityCounter.ENGAGED,
};

/**
 * What an attempt change adds to `sent`, `delivered` and `engaged`, on the day each happened.
 * Replies are not counted here: the inbound item names no template or campaign, and a read
 * message that is also answered would count twice.
 */
export function activityIncrements(change: LedgerChange): AggregateIncrement[] {
  const item = change.newImage;
  if (change.table !== 'messages' || item?.kind !== 'attempt') return [];
  const message = {
    channel: String(item.channel),
    ...(typeof item.template === 'string' ? { template: item.template } : {}),
    ...(campaignOf(item.metadata) === undefined ? {} : { campaign: campaignOf(item.metadata) as string }),
  };
  const increments: AggregateIncrement[] = [];
  for (const signal of deriveEngagement(change)) {
    const counter = ACTIVITY_OF_KIND[signal.event.kind];
    if (!counter) continue;
    for (const dimension of ATTRIBUTION_DIMENSIONS) {
      increments.push({
        day: dayOf(signal.event.atMs),
        dimension,
        group: groupOf(message, dimension),
        add: { [counter]: 1 },
      });
    }
  }
  return increments;
}
