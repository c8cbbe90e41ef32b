import { fallbacksOf, MAX_RETRYABLE_FAILURES, N, stormRun } from '../helpers/chaos';

// A timeout here is a provider that never answers (the request does not reach it): the send hangs
// 1.5 s, then fails as retryable. A provider that accepted but whose answer was lost is the crash
// window (crash-window.chaos.ts).
describe('Chaos: provider timeouts', () => {
  it('retries timed-out sends through SQS, gives SMS up after the retry limit and falls back, losing nothing', async () => {
    // Act
    const { result, injected, gaveUp } = await stormRun('provider timeouts (SMS, 1.5 s hang each)', {
      kind: 'timeout',
      afterMs: 1_500,
    });

    // Assess
    expect(result.reconciliation.findings).toEqual([]);
    expect(injected.timeout).toBeGreaterThan(0);
    expect(result.retriedRecords.get('send-sms') ?? 0).toBeGreaterThan(
      gaveUp.length * (MAX_RETRYABLE_FAILURES - 1),
    );
    expect(gaveUp.length).toBeGreaterThan(0);
    expect(fallbacksOf(result)).toBe(gaveUp.length);
    expect(result.reconciliation.outcomes.delivered).toBe(N);
    expect(result.reconciliation.duplicateSends).toBe(0);
  });
});
