import { chaosRun, N, reportRow } from '../helpers/chaos';

// One run per file: the router's Lambda entry is built once per module from the environment, and
// jest gives each file its own modules (and its own AWS SDK client prototype to count and throttle).
describe('Chaos: the router through a DynamoDB throttling burst', () => {
  it('loses nothing and dispatches nothing twice through a DynamoDB throttling burst', async () => {
    // Act
    const started = Date.now();
    const result = await chaosRun({ duplicates: 1, dynamodbThrottle: { fromMs: 200, toMs: 2_200 } }, [
      'route-messages',
    ]);
    reportRow({
      scenario:
        'DynamoDB throttling burst (2 s, every handler request refused) + each request twice, router stage',
      result,
      injected: `throttled requests ×${result.throttled}, duplicate deliveries ×${N}`,
      seconds: (Date.now() - started) / 1000,
    });

    // Assess
    expect(result.throttled).toBeGreaterThan(0);
    expect(result.reconciliation.findings).toEqual([]);
    expect(result.reconciliation.outcomes.dispatched).toBe(N);
    expect(result.channelQueueDepth).toBeGreaterThanOrEqual(N);
    expect(result.channelQueueDepth).toBeLessThanOrEqual(N + result.redeliveredRecords);
  });
});
