import type { CallbackStep } from '../../local/sandbox/callbacks';
import { chaosRun, N, reportRow, tapEvents } from '../helpers/chaos';
import { isolatedResources } from '../helpers/emulators';

/** Each send's status callbacks last-first (delivered before sent), then all of them again. */
function reorderedTwice(steps: readonly CallbackStep[]): CallbackStep[] {
  const first = steps[0]?.delayMs ?? 50;
  const reversed = [...steps].reverse();
  return [...reversed, ...reversed].map((step, index) => ({ ...step, delayMs: index === 0 ? first : 50 }));
}

describe('Chaos: duplicate and out-of-order webhooks', () => {
  it('never moves a status backwards nor publishes an event twice when callbacks repeat and arrive out of order', async () => {
    // Prepare
    const started = Date.now();
    const resources = await isolatedResources();
    const events = await tapEvents(resources);
    let rewritten = 0;
    let extraCallbacks = 0;
    const callbacks = (steps: readonly CallbackStep[]) => {
      rewritten++;
      extraCallbacks += steps.length;
      return reorderedTwice(steps);
    };

    // Act
    const result = await chaosRun({ callbacks }, undefined, { emulators: resources });
    const published = await events.drain();
    events.close();
    reportRow({
      scenario: 'status callbacks delivered twice, delivered before sent',
      result,
      injected: `reordered ×${rewritten}, duplicate callbacks ×${extraCallbacks}`,
      seconds: (Date.now() - started) / 1000,
    });

    // Assess
    expect(result.reconciliation.findings).toEqual([]);
    expect(rewritten).toBe(N);
    expect(result.reconciliation.outcomes.delivered).toBe(N);
    // Every attempt ended delivered, and none recorded `sent` after `delivered`.
    for (const attempt of result.ledger.attempts) {
      expect(attempt.status).toBe('delivered');
    }
    // One event per message and status, never two.
    const keys = published.map((event) => `${event.messageId} ${event.type}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(published.filter((event) => event.type === 'message.delivered')).toHaveLength(N);
  });
});
