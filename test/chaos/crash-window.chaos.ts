import {
  chaosRun,
  countsText,
  faultySenders,
  LEASE_SECONDS,
  N,
  reportRow,
  VISIBILITY_SECONDS,
} from '../helpers/chaos';

// The documented double-send window (docs/channels.md): the provider accepted, the sender died before
// recording `sent`. Two ways out, both exercised here:
// - the provider's own `sent` callback reaches the webhook first: it finds the attempt by the key in
//   its callback URL and records `sent`, so the redelivered record is acknowledged without a send;
// - the callback is later than SQS's redelivery: the lease (shorter than the visibility timeout) has
//   expired and the attempt is sent again — one duplicate per crash at most, counted, never more.
describe('Chaos: a crash between the provider answer and the ledger write', () => {
  const crashes = () =>
    faultySenders(['sms'], [{ fault: { kind: 'crash-after-send' }, fromMs: 0, toMs: 10_000, share: 0.3 }]);

  it('re-sends a crashed attempt once at most when its callback comes after the redelivery', async () => {
    // Prepare: every first callback waits past the visibility timeout
    const started = Date.now();
    const faults = crashes();
    const lateMs = (VISIBILITY_SECONDS + 2) * 1000;

    // Act
    const result = await chaosRun({
      wrapSender: faults.wrapSender,
      crashWindow: faults.crashWindow,
      callbacks: (steps) =>
        steps.map((step, index) => (index === 0 ? { ...step, delayMs: step.delayMs + lateMs } : step)),
    });
    reportRow({
      scenario: `crash after the provider answered, before the ledger write (lease ${LEASE_SECONDS} s); callbacks ${lateMs / 1000} s late`,
      result,
      injected: countsText(faults.injected()),
      seconds: (Date.now() - started) / 1000,
    });

    // Assess: every second send is inside the window, and a crashed attempt is re-sent once at most
    const crashed = faults.crashWindow().size;
    const { reconciliation } = result;
    expect(reconciliation.findings).toEqual([]);
    expect(crashed).toBeGreaterThan(0);
    expect(reconciliation.duplicatesInCrashWindow).toBeGreaterThan(0);
    expect(reconciliation.duplicatesInCrashWindow).toBeLessThanOrEqual(crashed);
    expect(reconciliation.duplicateSends).toBe(reconciliation.duplicatesInCrashWindow);
    expect(reconciliation.outcomes.delivered).toBe(N);
  });

  it('lets a timely status callback close the window, so the redelivery sends nothing again', async () => {
    // Prepare: the sandbox calls back 50 ms after accepting, long before the redelivery
    const started = Date.now();
    const faults = crashes();

    // Act
    const result = await chaosRun({ wrapSender: faults.wrapSender, crashWindow: faults.crashWindow });
    reportRow({
      scenario: `crash after the provider answered, before the ledger write (lease ${LEASE_SECONDS} s); callbacks on time`,
      result,
      injected: countsText(faults.injected()),
      seconds: (Date.now() - started) / 1000,
    });

    // Assess
    const crashed = faults.crashWindow().size;
    const { reconciliation } = result;
    expect(reconciliation.findings).toEqual([]);
    expect(crashed).toBeGreaterThan(0);
    expect(reconciliation.duplicateSends).toBe(0);
    expect(reconciliation.outcomes.delivered).toBe(N);
  });
});
