import type { LoadResult } from '../../bench/load';
import { chaosRun, countsText, faultySenders, N, reportRow } from '../helpers/chaos';
import { faultyFallbacks, type OutboxFaultPlan } from '../helpers/outbox-faults';

/** SMS refuses every send for this long, so messages fall back to email. */
const SMS_DOWN_MS = 3_000;
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

/** A run with SMS down and the fallback queue faulty per `plan`. */
async function fallbackRun(scenario: string, plan: OutboxFaultPlan, n = N) {
  const started = Date.now();
  const senders = faultySenders(['sms'], [{ fault: { kind: 'down' }, fromMs: 0, toMs: SMS_DOWN_MS }]);
  const fault = faultyFallbacks(plan);
  const result = await chaosRun(
    { wrapSender: senders.wrapSender, channelsDown: ['sms'], wrapFallbacks: fault.wrap },
    undefined,
    { n },
  );
  reportRow({
    scenario,
    result,
    injected: `${countsText(senders.injected())}, fallback send refused ×${fault.refused()}, dropped ×${fault.dropped()}`,
    seconds: (Date.now() - started) / 1000,
  });
  return { result, senders, fault };
}

describe('Chaos: the fallback queue refuses sends for a while', () => {
  it('still sends every owed fallback once when every SQS send of a fallback fails for 1.5 s', async () => {
    // Act
    const { result, senders, fault } = await fallbackRun(
      `SMS down ${SMS_DOWN_MS / 1000} s; fallback SQS send fails for ${OUTAGE_MS / 1000} s`,
      { outageMs: OUTAGE_MS },
    );

    // Assess: every message SMS refused ended on email, and no channel was tried twice.
    const { reconciliation } = result;
    expect(fault.refused()).toBeGreaterThan(0);
    expect(reconciliation.findings).toEqual([]);
    expect(senders.injected().down).toBeGreaterThan(0);
    expect(reconciliation.fellBack).toBe(senders.injected().down);
    expect(repeatedChannels(result)).toEqual([]);
    expect(reconciliation.outcomes.delivered).toBe(N);
  });

  it('fails the reconciliation when an owed fallback is acknowledged without being sent (planted)', async () => {
    // Act
    const { result, fault } = await fallbackRun('planted: one owed fallback dropped', { drop: 1 }, 10);

    // Assess
    expect(fault.dropped()).toBe(1);
    expect(result.reconciliation.ok).toBe(false);
    expect(result.reconciliation.findings.length).toBeGreaterThan(0);
  });
});
