/**
 * The port the timeline is read through (adapters/dynamodb/timeline-reader.ts): one stream of typed
 * entries per customer, newest first.
 */
import type { TimelineChannel, TimelineEntryType, TimelinePage } from '../../contract';

/** What one timeline page asks for: checked values (domain/customers/read-timeline.ts parses the query). */
export interface TimelineRead {
  /** Most entries on the page. */
  readonly limit: number;
  /** The previous page's `nextCursor`. */
  readonly cursor?: string;
  /** Only these kinds of entry; all when absent. */
  readonly types?: readonly TimelineEntryType[];
  /** Only entries on these channels (domain/timeline/timeline-filter.ts); all when absent. */
  readonly channels?: readonly TimelineChannel[];
  /** Only entries at or after this time (UTC ISO). */
  readonly since?: string;
}

/** Reads a customer's timeline: every kind of entry in one stream, newest first. */
export interface TimelineReader {
  /**
   * One page. Throws InvalidCursorError for a cursor this reader did not issue for this customer.
   */
  timeline(customerId: string, read: TimelineRead): Promise<TimelinePage>;
}
