import { chaosRun, N, reportRow } from '../helpers/chaos';

// One run per file: the router's Lambda entry is built once per module from the environment, and
// jest gives each file its own modules (and its own AWS SDK client prototype to count and throttle).
describe('Chaos: the router under duplicate SQS deliveries', () => {
  it('records and dispatches every request exactly once when each is delivered three times', async () => {
    // Act
    const started = Date.now();
    const result = await chaosRun({ duplicates: 2 }, ['route-messages']);
    reportRow({
      scenario: 'duplicate SQS deliveries (each request published 3×), router stage',
      result,
      injected: `duplicate deliveries ×${2 * N}`,
      seconds: (Date.now() - started) / 1000,
    });

    // Assess
    expect(result.reconciliation.findings).toEqual([]);
    expect(result.reconciliation.outcomes.dispatched).toBe(N);
    // Every planned attempt is on its channel queue (none lost). More only when the same SQS record
    // came back after its visibility timeout: the router dispatches again by design and the channel
    // sender's lease absorbs it (DESIGN.md, at-least-once); other copies of a request dispatch nothing.
    expect(result.channelQueueDepth).toBeGreaterThanOrEqual(N);
    expect(result.channelQueueDepth).toBeLessThanOrEqual(N + result.redeliveredRecords);
    expect(result.plannedAttemptsWaiting).toBe(N);
  });
});
