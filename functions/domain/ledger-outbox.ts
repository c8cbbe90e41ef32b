/**
 * The outbox relay: sends what one ledger change owes (domain/ledger-change-events.ts) — its
 * events to the events topic, its fallback requests to the router. At least once: a failure throws,
 * the stream record is retried, and the same events (same `eventId`) and the same fallback request
 * go out again; subscribers de-duplicate on `eventId`, and the router plans a fallback once.
 */
import { deriveOwedWork, type LedgerChange } from './ledger-change-events';
import type { EventPublisher, FallbackQueue } from './ports';

/** Where owed work goes. */
export interface LedgerOutboxPorts {
  readonly events: EventPublisher;
  readonly fallbacks: FallbackQueue;
}

/** What one change sent, for logs. */
export interface RelayOutcome {
  readonly events: number;
  readonly fallbacks: number;
}

/** Sends the events and fallback requests one ledger change owes. */
export async function relayLedgerChange(
  change: LedgerChange,
  ports: LedgerOutboxPorts,
): Promise<RelayOutcome> {
  const owed = deriveOwedWork(change);
  if (owed.events.length > 0) await ports.events.publish(owed.events);
  for (const request of owed.fallbacks) await ports.fallbacks.enqueue(request);
  return { events: owed.events.length, fallbacks: owed.fallbacks.length };
}
