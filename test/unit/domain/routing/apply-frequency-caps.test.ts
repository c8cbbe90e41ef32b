import { DEFAULT_ROUTING } from '../../../../functions/domain/plan-route';
import type { FrequencyCapCounters } from '../../../../functions/domain/ports';
import type { MessageRouterDeps } from '../../../../functions/domain/routing';
import { applyFrequencyCaps } from '../../../../functions/domain/routing/apply-frequency-caps';
import { type CapCounters, FrequencyCapsSchema } from '../../../../functions/domain/routing/frequency-caps';
import type { RoutingContext } from '../../../../functions/domain/routing/types';
import { aRequest } from '../../../helpers/factories';

const NOW = new Date('2026-12-05T10:00:00Z');
const DAY = Date.parse('2026-12-05T00:00:00Z');
const caps = FrequencyCapsSchema.parse([{ categories: ['marketing'], max: 1, per: 'P1D' }]);

/** A counter store that answers each count with the next of the given answers, and keeps the calls. */
function scriptedCounters(answers: Awaited<ReturnType<FrequencyCapCounters['count']>>[]) {
  const calls: unknown[] = [];
  const counters: FrequencyCapCounters = {
    count: async (...args) => {
      calls.push(args);
      const answer = answers.shift();
      if (!answer) throw new Error('no scripted answer left');
      return answer;
    },
  };
  return { counters, calls };
}

function contextWith(counters?: FrequencyCapCounters): RoutingContext {
  const deps = { ...(counters ? { frequencyCaps: { caps, counters } } : {}) } as MessageRouterDeps;
  return {
    deps,
    now: NOW,
    logger: { info() {}, warn() {}, error() {} },
    defaults: DEFAULT_ROUTING,
    population: {},
    random: Math.random,
  };
}

describe('Function: applyFrequencyCaps', () => {
  const request = aRequest('c-1', { category: 'marketing' });
  const full: CapCounters = { 'marketing.any.P1D': { window: DAY, count: 1, messageIds: ['msg_other'] } };

  it('sends without any request when no caps are configured', async () => {
    // Act
    const outcome = await applyFrequencyCaps(request, 'msg_1', ['sms'], full, NOW, contextWith());
    // Assess
    expect(outcome).toEqual({ kind: 'send' });
  });

  it('decides again on the counters a failed count returns, and defers when the slot was taken', async () => {
    // Prepare
    const { counters, calls } = scriptedCounters([{ counted: false, counters: full }]);
    // Act
    const outcome = await applyFrequencyCaps(request, 'msg_1', ['sms'], {}, NOW, contextWith(counters));
    // Assess
    expect(calls).toHaveLength(1);
    expect(outcome).toMatchObject({ kind: 'defer', until: new Date('2026-12-06T00:00:00Z') });
  });

  it('makes no write when the counters read already show the cap full', async () => {
    // Prepare
    const { counters, calls } = scriptedCounters([]);
    // Act
    const outcome = await applyFrequencyCaps(request, 'msg_1', ['sms'], full, NOW, contextWith(counters));
    // Assess
    expect(calls).toEqual([]);
    expect(outcome.kind).toBe('defer');
  });

  it('fails the record (to be retried) when the profile is gone since the read', async () => {
    // Prepare
    const { counters } = scriptedCounters([{ counted: false }]);
    // Act
    const outcome = applyFrequencyCaps(request, 'msg_1', ['sms'], {}, NOW, contextWith(counters));
    // Assess
    await expect(outcome).rejects.toThrow('The customer profile is gone since the batch read');
  });

  it('fails the record (to be retried) when the counters stay contended', async () => {
    // Prepare: every answer shows a window the router has not read yet moving on.
    const moving = (window: number): CapCounters => ({
      'marketing.any.P1D': { window, count: 0, messageIds: [] },
    });
    const { counters, calls } = scriptedCounters([
      { counted: false, counters: moving(DAY - 3) },
      { counted: false, counters: moving(DAY - 2) },
      { counted: false, counters: moving(DAY - 1) },
    ]);
    // Act
    const outcome = applyFrequencyCaps(request, 'msg_1', ['sms'], {}, NOW, contextWith(counters));
    // Assess
    await expect(outcome).rejects.toThrow('The frequency-cap counters stayed contended');
    expect(calls).toHaveLength(3);
  });

  it('never counts a transactional message', async () => {
    // Prepare
    const { counters, calls } = scriptedCounters([]);
    // Act
    const outcome = await applyFrequencyCaps(
      aRequest('c-1', { category: 'transactional' }),
      'msg_1',
      ['sms'],
      full,
      NOW,
      contextWith(counters),
    );
    // Assess
    expect(outcome).toEqual({ kind: 'send' });
    expect(calls).toEqual([]);
  });
});
