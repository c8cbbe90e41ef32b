/**
 * The events reconciliation: what a subscriber of the events topic received against what the
 * ledger says happened. Every provider receipt in an attempt's status history is one change, and
 * the outbox owes exactly one event for it (at least once on the wire; subscribers de-duplicate
 * by `eventId`). So, after de-duplication, received = owed: none missing, none invented.
 */
import { deliveryEventId } from '../../functions/domain/ledger-change-events';
import type { LedgerAttempt } from '../../functions/domain/ledger-model';

/** An event as a subscriber queue received it (raw delivery). */
export interface ReceivedEvent {
  readonly type: string;
  readonly eventId?: string;
  readonly messageId?: string;
}

/** One disagreement between the events received and the ledger. */
export interface EventFinding {
  /** `missing`: a change with no event; `unexpected`: an event with no change behind it. */
  readonly kind: 'missing' | 'unexpected';
  readonly eventId: string;
}

/** The events reconciliation's verdict. */
export interface EventReconciliation {
  readonly ok: boolean;
  /** Changes the ledger holds that owe an event. */
  readonly owed: number;
  /** Distinct events received (by `eventId`). */
  readonly distinct: number;
  /** Copies received beyond the first of an event (retries: allowed, de-duplicated). */
  readonly redundantCopies: number;
  readonly findings: readonly EventFinding[];
}

/** The event ids the attempts' status histories owe: one per provider receipt entry. */
export function owedDeliveryEventIds(attempts: readonly LedgerAttempt[]): Set<string> {
  const owed = new Set<string>();
  for (const attempt of attempts) {
    for (const change of attempt.history) {
      // The ledger model leaves `providerEvent` untyped; it marks a provider receipt's entry.
      if (typeof (change as { providerEvent?: unknown }).providerEvent !== 'string') continue;
      owed.add(deliveryEventId({ ...attempt, status: change.status }));
    }
  }
  return owed;
}

/** Reconciles received delivery events (`message.*` but inbound) against the ledger's attempts. */
export function reconcileDeliveryEvents(
  attempts: readonly LedgerAttempt[],
  received: readonly ReceivedEvent[],
): EventReconciliation {
  const owed = owedDeliveryEventIds(attempts);
  const delivery = received.filter(
    (event) => event.type.startsWith('message.') && event.type !== 'message.inbound',
  );
  const distinct = new Set(
    delivery.map((event) => event.eventId ?? `(no eventId) ${event.type} ${event.messageId}`),
  );
  const findings: EventFinding[] = [
    ...[...owed].filter((id) => !distinct.has(id)).map((eventId) => ({ kind: 'missing' as const, eventId })),
    ...[...distinct]
      .filter((id) => !owed.has(id))
      .map((eventId) => ({ kind: 'unexpected' as const, eventId })),
  ];
  return {
    ok: findings.length === 0,
    owed: owed.size,
    distinct: distinct.size,
    redundantCopies: delivery.length - distinct.size,
    findings,
  };
}
