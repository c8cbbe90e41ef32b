import type { LoadResult } from '../../bench/load';
import type { ChannelSender } from '../../functions/domain/ports';
import { SandboxPhone } from '../../local/sandbox/magic-addresses';
import { chaosRun, fallbacksOf, N, reportRow } from '../helpers/chaos';
import { faultyFallbacks, type OutboxFaultPlan } from '../helpers/outbox-faults';

/**
 * Every SMS goes to the sandbox's undeliverable number: Twilio accepts it, then reports
 * `undelivered` (30003), so the webhook claims the fallback and the stream owes it to the router.
 */
function undeliverableSms(sent: { count: number }) {
  return (sender: ChannelSender): ChannelSender =>
    sender.channel !== 'sms'
      ? sender
      : {
          channel: sender.channel,
          provider: sender.provider,
          send: (message) => {
            if (message.channel !== 'sms') return sender.send(message);
            sent.count++;
            return sender.send({ ...message, to: SandboxPhone.UNDELIVERABLE });
          },
        };
}
/** Every SQS send of an owed fallback fails for this long from the first one (within the stream's retry budget). */
const OUTAGE_MS = 1_500;

/** Messages whose attempts repeat a channel. */
function repeatedChannels(result: LoadResult): string[] {
  const seen = new Map<string, string[]>();
  for (const attempt of result.ledger.attempts) {
    seen.set(attempt.messageId, [...(seen.get(attempt.messageId) ?? []), attempt.channel]);
  }
  return [...seen].filter(([, channels]) => new Set(channels).size !== channels.length).map(([id]) => id);
}

/** A run with every SMS failing by receipt and the fallback queue faulty per `plan`. */
async function fallbackRun(scenario: string, plan: OutboxFaultPlan, n = N) {
  const started = Date.now();
  const sms = { count: 0 };
  const fault = faultyFallbacks(plan);
  const result = await chaosRun({ wrapSender: undeliverableSms(sms), wrapFallbacks: fault.wrap }, undefined, {
    n,
  });
  reportRow({
    scenario,
    result,
    injected: `SMS undelivered ×${sms.count}, fallback send refused ×${fault.refused()}, dropped ×${fault.dropped()}`,
    seconds: (Date.now() - started) / 1000,
  });
  return { result, sms, fault };
}

describe('Chaos: the fallback queue refuses sends for a while', () => {
  it('still sends every owed fallback once when every SQS send of a fallback fails for 1.5 s', async () => {
    // Act
    const { result, sms, fault } = await fallbackRun(
      `every SMS undelivered (receipt); fallback SQS send fails for ${OUTAGE_MS / 1000} s`,
      { outageMs: OUTAGE_MS },
    );

    // Assess: every message ended on email, once, and no channel was tried twice.
    const { reconciliation } = result;
    expect(fault.refused()).toBeGreaterThan(0);
    expect(reconciliation.findings).toEqual([]);
    expect(sms.count).toBe(N);
    expect(fallbacksOf(result)).toBe(N);
    expect(result.ledger.attempts.filter((attempt) => attempt.channel === 'email')).toHaveLength(N);
    expect(repeatedChannels(result)).toEqual([]);
    expect(reconciliation.outcomes.delivered).toBe(N);
  });

  it('fails the reconciliation when an owed fallback is acknowledged without being sent (planted)', async () => {
    // Act
    const { result, fault } = await fallbackRun('planted: one owed fallback dropped', { drop: 1 }, 10);

    // Assess
    expect(fault.dropped()).toBe(1);
    expect(result.reconciliation.ok).toBe(false);
    // The message whose fallback was dropped never reaches a final status.
    expect(result.reconciliation.findings).toEqual([expect.objectContaining({ kind: 'not-terminal' })]);
  });
});
