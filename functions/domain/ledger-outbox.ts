/**
 * The outbox relay: sends what ledger changes owe (domain/ledger-change-events.ts) — their events
 * to the events topic, their fallback requests to the router — and counts the engagement they carry
 * (domain/engagement-from-ledger.ts) after both, then attributes conversions and counts the report's
 * aggregates (domain/attribution/attribute-ledger-changes.ts). At least once: a failure is reported
 * from the first change not fully sent, that change and every later one are retried, and the same
 * events (same `eventId`) and the same fallback requests go out again; subscribers de-duplicate on
 * `eventId`, and the router plans a fallback once.
 *
 * The events of a whole stream batch go out together, ten to a publish request (SNS's batch limit
 * and one billed request for small events), not one request per change: events are one request per
 * useful provider receipt otherwise, the largest share of a message's SNS bill.
 */
import { attributeLedgerChanges } from './attribution/attribute-ledger-changes';
import type { AttributionPorts } from './attribution/attribution-ports';
import { deriveEngagement, type EngagementSignal } from './engagement-from-ledger';
import { deriveOwedWork, type LedgerChange } from './ledger-change-events';
import type { EventPublisher, FallbackQueue, SwitchboardEvent } from './ports';

/** Where the engagement a change carries is counted (the customer's counters and the population's). */
export interface EngagementCounter {
  count(signal: EngagementSignal): Promise<void>;
}

/** Where owed work goes. */
export interface LedgerOutboxPorts {
  readonly events: EventPublisher;
  readonly fallbacks: FallbackQueue;
  /** The engagement counters of learned channel choice; absent, nothing is counted. */
  readonly engagement?: EngagementCounter;
  /** Conversion attribution and the report's aggregates; absent, nothing is attributed. */
  readonly attribution?: AttributionPorts;
}

/** Most events in one publish request (SNS PublishBatch takes ten entries). */
export const EVENTS_PER_PUBLISH = 10;

/** What a batch of changes sent, and where it stopped. */
export interface RelayOutcome {
  /** How many leading changes had everything they owe sent; the rest must be retried. */
  readonly relayed: number;
  readonly events: number;
  readonly fallbacks: number;
  /** Engagement events counted. */
  readonly counted: number;
  /** Conversions attributed and recorded. */
  readonly conversions?: number;
  /** Why the change at index `relayed` was not sent, when one was not. */
  readonly error?: unknown;
}

/**
 * Sends the events and fallback requests a batch of changes owes, in order. A change is relayed
 * once its events were accepted and its fallbacks enqueued; the first change that was not ends the
 * relay (a failed publish request fails every change with an event in it).
 */
export async function relayLedgerChanges(
  changes: readonly LedgerChange[],
  ports: LedgerOutboxPorts,
): Promise<RelayOutcome> {
  const owed = changes.map((change) => deriveOwedWork(change));
  const events: { change: number; event: SwitchboardEvent }[] = owed.flatMap((work, change) =>
    work.events.map((event) => ({ change, event })),
  );
  let relayed = changes.length;
  let error: unknown;
  let eventsSent = 0;
  for (let start = 0; start < events.length; start += EVENTS_PER_PUBLISH) {
    const chunk = events.slice(start, start + EVENTS_PER_PUBLISH);
    try {
      await ports.events.publish(chunk.map(({ event }) => event));
      eventsSent += chunk.length;
    } catch (failure) {
      relayed = chunk[0]?.change ?? 0;
      error = failure;
      break;
    }
  }
  let fallbacksSent = 0;
  for (let change = 0; change < relayed; change++) {
    try {
      for (const request of owed[change]?.fallbacks ?? []) {
        await ports.fallbacks.enqueue(request);
        fallbacksSent++;
      }
    } catch (failure) {
      relayed = change;
      error = failure;
      break;
    }
  }
  // Counted after the events and fallbacks, for the changes that sent them: a failed count retries
  // its change, republishing events (which subscribers de-duplicate) rather than losing one.
  let counted = 0;
  for (let change = 0; change < relayed && ports.engagement; change++) {
    try {
      for (const signal of deriveEngagement(changes[change] as LedgerChange)) {
        await ports.engagement.count(signal);
        counted++;
      }
    } catch (failure) {
      relayed = change;
      error = failure;
      break;
    }
  }
  // Last: a conversion is recorded with its counts in one conditional transaction, so a change
  // retried for an earlier step's failure finds it recorded and counts nothing twice.
  let conversions = 0;
  if (ports.attribution && relayed > 0) {
    const attributed = await attributeLedgerChanges(changes, relayed, ports.attribution);
    conversions = attributed.conversions;
    if (attributed.done < relayed) {
      relayed = attributed.done;
      error = attributed.error;
    }
  }
  return {
    relayed,
    events: eventsSent,
    fallbacks: fallbacksSent,
    counted,
    ...(ports.attribution ? { conversions } : {}),
    ...(error === undefined ? {} : { error }),
  };
}
