/**
 * What attribution is configured with (docs/attribution.md): which touchpoint events are
 * conversions, how long a message stays a touch (per category), and how many shards each aggregate
 * is spread over. Read from the environment by functions/attribution-config.ts.
 */

/** Attribution's configuration. */
export interface AttributionSettings {
  /** Track event names that are conversions (Segment's `Order Completed` by default). */
  readonly conversionEvents: readonly string[];
  /** Days before a conversion in which a sent message is a touch, unless its category says otherwise. */
  readonly windowDays: number;
  /** Window days per message category, overriding {@link AttributionSettings.windowDays}. */
  readonly windowDaysByCategory: Readonly<Record<string, number>>;
  /** Shards each aggregate is spread over (docs/attribution.md, "No hot key"). */
  readonly shards: number;
}

/** The default conversion event: Segment's e-commerce spec name for a purchase. */
export const DEFAULT_CONVERSION_EVENT = 'Order Completed';

/** Defaults: `Order Completed`, 7 days, 32 shards. */
export const DEFAULT_ATTRIBUTION_SETTINGS: AttributionSettings = {
  conversionEvents: [DEFAULT_CONVERSION_EVENT],
  windowDays: 7,
  windowDaysByCategory: {},
  shards: 32,
};

/** Most shards an aggregate may be spread over (a report makes one Query per shard). */
export const MAX_AGGREGATE_SHARDS = 256;
