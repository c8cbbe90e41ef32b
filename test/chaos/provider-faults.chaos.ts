import type { FaultWindow } from '../../bench/lib/faults';
import { fallbacksOf, MAX_RETRYABLE_FAILURES, N, stormRun } from '../helpers/chaos';

// Retryable provider faults on SMS while requests flow. A timeout here is a provider that never
// answers (the request does not reach it): the send hangs 1.5 s, then fails as retryable. A
// provider that accepted but whose answer was lost is the crash window (crash-window.chaos.ts).
describe('Chaos: retryable provider faults', () => {
  it.each<[string, FaultWindow['fault'], string]>([
    ['provider 5xx storm (SMS)', { kind: '5xx' }, '5xx'],
    ['provider 429 storm (SMS)', { kind: '429', retryAfterSeconds: 1 }, '429'],
    ['provider timeouts (SMS, 1.5 s hang each)', { kind: 'timeout', afterMs: 1_500 }, 'timeout'],
  ])(
    '%s: retries through SQS, gives SMS up after the retry limit and falls back to email, losing nothing',
    async (scenario, fault, kind) => {
      // Act
      const { result, injected, gaveUp } = await stormRun(scenario, fault);

      // Assess
      expect(result.reconciliation.findings).toEqual([]);
      expect(injected[kind]).toBeGreaterThan(0);
      // Some sends failed and were retried until they went through, others hit the limit and gave up.
      expect(result.retriedRecords.get('send-sms') ?? 0).toBeGreaterThan(
        gaveUp.length * (MAX_RETRYABLE_FAILURES - 1),
      );
      expect(gaveUp.length).toBeGreaterThan(0);
      // Every message that gave SMS up fell back to email and was delivered there.
      expect(fallbacksOf(result)).toBe(gaveUp.length);
      expect(result.reconciliation.outcomes.delivered).toBe(N);
      expect(result.reconciliation.duplicateSends).toBe(0);
    },
  );
});
