/** The ports of attribution: where touches are found, conversions recorded and aggregates kept. */
import type { AttributionDimension } from '../../contract';
import type { AggregateIncrement } from './attribution-aggregates';
import type { AttributionSettings } from './attribution-settings';
import type { Conversion } from './conversion';
import type { Credit, Touch } from './credit-conversion';

/** Finds a customer's sent messages created in a time range, each with whether a conversion claimed it. */
export interface TouchFinder {
  touches(customerId: string, created: { readonly from: string; readonly to: string }): Promise<Touch[]>;
}

/** What recording a conversion did. */
export type RecordOutcome =
  | { readonly outcome: 'recorded' }
  /** The conversion was recorded before (a replayed stream record): nothing was written or counted. */
  | { readonly outcome: 'duplicate' }
  /** Another conversion claimed these messages meanwhile: nothing was written; credit again without them. */
  | { readonly outcome: 'claimed'; readonly messageIds: readonly string[] };

/**
 * Records a conversion all at once or not at all: its timeline item (once: conditional on its key),
 * the claims of its credited messages (each once), and its increments of the aggregates.
 */
export interface ConversionRecorder {
  record(
    conversion: Conversion,
    credits: readonly Credit[],
    increments: readonly AggregateIncrement[],
  ): Promise<RecordOutcome>;
}

/** One stored aggregate as the report reads it (a shard's part of a day × group). */
export interface StoredAggregate {
  readonly day: string;
  readonly group: string;
  readonly counters: Readonly<Record<string, number>>;
}

/** The aggregates: added to by the ledger stream, read by the report. */
export interface AttributionAggregates {
  /** Adds increments, all at once or (on failure) none of each written group of them. */
  add(increments: readonly AggregateIncrement[]): Promise<void>;
  /** Every stored aggregate of a dimension between two UTC days (inclusive), every shard. */
  read(dimension: AttributionDimension, fromDay: string, toDay: string): Promise<StoredAggregate[]>;
}

/** Everything the ledger stream's attribution step needs. */
export interface AttributionPorts {
  readonly settings: AttributionSettings;
  readonly touches: TouchFinder;
  readonly conversions: ConversionRecorder;
  readonly aggregates: Pick<AttributionAggregates, 'add'>;
}
