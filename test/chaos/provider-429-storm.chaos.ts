import { fallbacksOf, MAX_RETRYABLE_FAILURES, N, stormRun } from '../helpers/chaos';

describe('Chaos: a provider 429 storm', () => {
  it('retries through SQS, gives SMS up after the retry limit and falls back to email, losing nothing', async () => {
    // Act
    const { result, injected, gaveUp } = await stormRun('provider 429 storm (SMS)', {
      kind: '429',
      retryAfterSeconds: 1,
    });

    // Assess
    expect(result.reconciliation.findings).toEqual([]);
    expect(injected['429']).toBeGreaterThan(0);
    // Some sends were refused and retried until they went through, others hit the limit and gave up.
    expect(result.retriedRecords.get('send-sms') ?? 0).toBeGreaterThan(
      gaveUp.length * (MAX_RETRYABLE_FAILURES - 1),
    );
    expect(gaveUp.length).toBeGreaterThan(0);
    // Every message that gave SMS up fell back to email and was delivered there.
    expect(fallbacksOf(result)).toBe(gaveUp.length);
    expect(result.reconciliation.outcomes.delivered).toBe(N);
    expect(result.reconciliation.duplicateSends).toBe(0);
  });
});
