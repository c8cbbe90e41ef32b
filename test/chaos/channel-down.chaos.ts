import { chaosRun, countsText, DOWN_SECONDS, faultySenders, N, reportRow } from '../helpers/chaos';

// SMS is down (every send refused as unusable) for DOWN_SECONDS from its first send, while requests
// keep arriving for 15 s more than that; every customer prefers SMS with email as the fallback.
describe('Chaos: one channel down', () => {
  it(`falls back to email while SMS is down for ${DOWN_SECONDS} s and uses SMS again once it is back`, async () => {
    // Prepare
    const started = Date.now();
    const downMs = DOWN_SECONDS * 1000;
    const faults = faultySenders(['sms'], [{ fault: { kind: 'down' }, fromMs: 0, toMs: downMs }]);

    // Act
    const result = await chaosRun({ wrapSender: faults.wrapSender, channelsDown: ['sms'] }, undefined, {
      rate: N / (DOWN_SECONDS + 15),
      deadlineSeconds: DOWN_SECONDS + 240,
    });
    reportRow({
      scenario: `SMS down for ${DOWN_SECONDS} s while requests flow (${(N / (DOWN_SECONDS + 15)).toFixed(2)}/s)`,
      result,
      injected: countsText(faults.injected()),
      seconds: (Date.now() - started) / 1000,
    });

    // Assess
    const { reconciliation, received } = result;
    expect(reconciliation.findings).toEqual([]);
    expect(faults.injected().down).toBeGreaterThan(0);
    // Every message refused by SMS reached the email provider.
    expect(reconciliation.fellBack).toBe(faults.injected().down);
    // After the minute, SMS carries messages again.
    expect(received.filter((receipt) => receipt.channel === 'sms').length).toBeGreaterThan(0);
    expect(reconciliation.outcomes.delivered).toBe(N);
  });
});
