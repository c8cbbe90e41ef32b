import { chaosRun, countsText, faultySenders, LEASE_SECONDS, N, reportRow } from '../helpers/chaos';

// The documented double-send window (docs/channels.md): the provider accepted, the sender died before
// recording `sent`. The record comes back after the visibility timeout, the lease (shorter) has
// expired, and the attempt is sent again: one expected duplicate per crash, counted, never more.
describe('Chaos: a crash between the provider answer and the ledger write', () => {
  it('re-sends each crashed attempt once at most, counts it, and loses nothing', async () => {
    // Prepare
    const started = Date.now();
    const faults = faultySenders(
      ['sms'],
      [{ fault: { kind: 'crash-after-send' }, fromMs: 0, toMs: 10_000, share: 0.3 }],
    );

    // Act
    const result = await chaosRun({ wrapSender: faults.wrapSender, crashWindow: faults.crashWindow });
    reportRow({
      scenario: `crash after the provider answered, before the ledger write (lease ${LEASE_SECONDS} s)`,
      result,
      injected: countsText(faults.injected()),
      seconds: (Date.now() - started) / 1000,
    });

    // Assess
    const crashed = faults.crashWindow().size;
    const { reconciliation } = result;
    expect(reconciliation.findings).toEqual([]);
    expect(crashed).toBeGreaterThan(0);
    // Every second send is inside the window, and a crashed attempt is re-sent once at most.
    expect(reconciliation.duplicatesInCrashWindow).toBeGreaterThan(0);
    expect(reconciliation.duplicatesInCrashWindow).toBeLessThanOrEqual(crashed);
    expect(reconciliation.duplicateSends).toBe(reconciliation.duplicatesInCrashWindow);
    expect(reconciliation.outcomes.delivered).toBe(N);
  });
});
