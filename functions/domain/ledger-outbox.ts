/**
 * The outbox relay: sends what one ledger change owes (domain/ledger-change-events.ts) — its
 * events to the events topic, its fallback requests to the router — and counts the engagement it
 * carries (domain/engagement-from-ledger.ts). At least once: a failure throws,
 * the stream record is retried, and the same events (same `eventId`) and the same fallback request
 * go out again; subscribers de-duplicate on `eventId`, and the router plans a fallback once.
 */
import { deriveEngagement, type EngagementSignal } from './engagement-from-ledger';
import { deriveOwedWork, type LedgerChange } from './ledger-change-events';
import type { EventPublisher, FallbackQueue } from './ports';

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
}

/** What one change sent, for logs. */
export interface RelayOutcome {
  readonly events: number;
  readonly fallbacks: number;
  /** Engagement events counted. */
  readonly counted: number;
}

/** Sends the events and fallback requests one ledger change owes. */
export async function relayLedgerChange(
  change: LedgerChange,
  ports: LedgerOutboxPorts,
): Promise<RelayOutcome> {
  const owed = deriveOwedWork(change);
  if (owed.events.length > 0) await ports.events.publish(owed.events);
  for (const request of owed.fallbacks) await ports.fallbacks.enqueue(request);
  // Counted after the events: a failed count retries the record, republishing its events (which
  // subscribers de-duplicate) rather than leaving an event unpublished.
  const signals = ports.engagement ? deriveEngagement(change) : [];
  for (const signal of signals) await ports.engagement?.count(signal);
  return { events: owed.events.length, fallbacks: owed.fallbacks.length, counted: signals.length };
}
