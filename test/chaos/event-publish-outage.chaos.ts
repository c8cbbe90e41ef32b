import { reconcileDeliveryEvents } from '../../bench/lib/reconcile-events';
import { chaosRun, N, reportRow, tapEvents } from '../helpers/chaos';
import { isolatedResources } from '../helpers/emulators';
import { faultyEvents, type OutboxFaultPlan } from '../helpers/outbox-faults';

/**
 * Every SNS publish of the stream consumer fails for this long from its first publish: shorter
 * than the stream's retry budget (ledgerStream.maxRetryAttempts), so every change is relayed late.
 */
const OUTAGE_MS = 1_500;

/** A run with the events publisher faulty per `plan`; the events a subscriber received, reconciled. */
async function publishRun(scenario: string, plan: OutboxFaultPlan, n = N) {
  const started = Date.now();
  const resources = await isolatedResources();
  const tap = await tapEvents(resources);
  const fault = faultyEvents(plan, (batch) => batch.some((event) => event.type.startsWith('message.')));
  const result = await chaosRun({ wrapEvents: fault.wrap }, undefined, { n, emulators: resources });
  const received = await tap.drain();
  tap.close();
  const events = reconcileDeliveryEvents(result.ledger.attempts, received);
  reportRow({
    scenario: `${scenario}; events: ${events.owed} owed, ${events.distinct} received (+${events.redundantCopies} copies), ${events.findings.length} findings`,
    result,
    injected: `publish refused ×${fault.refused()}, dropped ×${fault.dropped()}`,
    seconds: (Date.now() - started) / 1000,
  });
  return { result, events, fault };
}

describe('Chaos: the events topic refuses publishes for a while', () => {
  it('delivers every owed event at least once and none extra when every SNS publish fails for 1.5 s', async () => {
    // Act
    const { result, events, fault } = await publishRun(`SNS publish fails for ${OUTAGE_MS / 1000} s`, {
      outageMs: OUTAGE_MS,
    });

    // Assess
    expect(fault.refused()).toBeGreaterThan(0);
    expect(result.reconciliation.findings).toEqual([]);
    expect(events.findings).toEqual([]);
    // Each message was delivered, so at least its delivered receipt owed an event.
    expect(events.owed).toBeGreaterThanOrEqual(N);
    expect(events.distinct).toBe(events.owed);
  });

  it('fails the events reconciliation when a publisher acknowledges a batch without sending it (planted)', async () => {
    // Act: the first batch holding delivery events is dropped
    const { events, fault } = await publishRun(
      'planted: one events batch acknowledged unsent',
      { drop: 1 },
      10,
    );

    // Assess
    expect(fault.dropped()).toBe(1);
    expect(events.ok).toBe(false);
    expect(events.findings.length).toBeGreaterThan(0);
    expect(events.findings.every((finding) => finding.kind === 'missing')).toBe(true);
  });
});
