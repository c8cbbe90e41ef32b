import {
  type CapCounters,
  capId,
  cappedScheduleKey,
  capScopes,
  decideCaps,
  durationMs,
  type FrequencyCap,
  FrequencyCapsSchema,
  windowOf,
} from '../../../../functions/domain/routing/frequency-caps';

const NOW = new Date('2026-12-05T10:00:00Z'); // a Saturday
const DAY = new Date('2026-12-05T00:00:00Z').getTime();
const WEEK = new Date('2026-11-30T00:00:00Z').getTime(); // the Monday before

function caps(input: unknown[]): FrequencyCap[] {
  return FrequencyCapsSchema.parse(input);
}

const ONE_A_DAY = { categories: ['marketing'], max: 1, per: 'P1D' };
const THREE_A_WEEK = { categories: ['marketing'], max: 3, per: 'P7D' };

describe('Function: durationMs', () => {
  it.each([
    ['P1D', 86_400_000],
    ['P7D', 7 * 86_400_000],
    ['P1W', 7 * 86_400_000],
    ['PT12H', 12 * 3_600_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT30M', 1_800_000],
  ])('reads %s as a fixed length', (duration, ms) => {
    // Act
    const result = durationMs(duration);
    // Assess
    expect(result).toBe(ms);
  });

  it.each(['P1M', 'P1Y', 'P', 'PT', 'P0D', '1D', 'P1.5D'])(
    'refuses %s (no fixed length, or not a duration)',
    (duration) => {
      // Act
      const result = durationMs(duration);
      // Assess
      expect(result).toBeUndefined();
    },
  );
});

describe('Function: windowOf', () => {
  it('puts a day window on the UTC day and a week window on the week from Monday', () => {
    // Act
    const day = windowOf(NOW, durationMs('P1D') as number);
    const week = windowOf(NOW, durationMs('P7D') as number);
    // Assess
    expect(day).toEqual({ start: DAY, end: DAY + 86_400_000 });
    expect(week).toEqual({ start: WEEK, end: WEEK + 7 * 86_400_000 });
  });
});

describe('Schema: FrequencyCapsSchema', () => {
  it('fills in channel any and overflow defer', () => {
    // Act
    const [cap] = caps([ONE_A_DAY]);
    // Assess
    expect(cap).toEqual({ ...ONE_A_DAY, channel: 'any', overflow: 'defer' });
  });

  it.each([
    [{ ...ONE_A_DAY, categories: ['transactional'] }, 'transactional messages are never capped'],
    [{ ...ONE_A_DAY, per: 'P1M' }, 'ISO-8601 duration'],
    [{ ...ONE_A_DAY, max: 0 }, 'at least 1'],
    [{ ...ONE_A_DAY, channel: 'fax' }, 'must be one of'],
  ])('rejects a broken cap with the problem (%#)', (cap, problem) => {
    // Act
    const result = FrequencyCapsSchema.safeParse([cap]);
    // Assess
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(problem);
  });

  it('rejects two caps counting the same thing', () => {
    // Act
    const result = FrequencyCapsSchema.safeParse([ONE_A_DAY, { ...ONE_A_DAY, max: 2 }]);
    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('repeats the cap marketing.any.P1D');
  });
});

describe('Function: capScopes', () => {
  it('gives a transactional message no scope, whatever is configured', () => {
    // Prepare
    const configured = caps([ONE_A_DAY, { ...ONE_A_DAY, categories: ['marketing', 'news'], per: 'PT1H' }]);
    // Act
    const scopes = capScopes(configured, { category: 'transactional' }, ['sms'], {}, NOW);
    // Assess
    expect(scopes).toEqual([]);
  });

  it('applies a channel cap only to a message on that channel, and an any-channel cap always', () => {
    // Prepare
    const configured = caps([ONE_A_DAY, { ...THREE_A_WEEK, channel: 'sms' }]);
    // Act
    const onEmail = capScopes(configured, { category: 'marketing' }, ['email'], {}, NOW);
    const onSms = capScopes(configured, { category: 'marketing' }, ['sms'], {}, NOW);
    // Assess
    expect(onEmail.map((scope) => scope.id)).toEqual(['marketing.any.P1D']);
    expect(onSms.map((scope) => scope.id)).toEqual(['marketing.any.P1D', 'marketing.sms.P7D']);
  });

  it('keeps a stored counter only when it counts the current window', () => {
    // Prepare
    const configured = caps([ONE_A_DAY, THREE_A_WEEK]);
    const counters: CapCounters = {
      'marketing.any.P1D': { window: DAY - 86_400_000, count: 1, messageIds: ['msg_yesterday'] },
      'marketing.any.P7D': { window: WEEK, count: 2, messageIds: ['msg_a', 'msg_b'] },
    };
    // Act
    const scopes = capScopes(configured, { category: 'marketing' }, ['sms'], counters, NOW);
    // Assess
    expect(scopes.map((scope) => scope.current?.count)).toEqual([undefined, 2]);
  });
});

describe('Function: decideCaps', () => {
  const scopesWith = (
    counters: CapCounters,
    configured = caps([ONE_A_DAY, THREE_A_WEEK]),
    priority?: 'high',
  ) =>
    capScopes(
      configured,
      { category: 'marketing', ...(priority ? { priority } : {}) },
      ['sms'],
      counters,
      NOW,
    );

  it('counts a message under every cap when each has room', () => {
    // Prepare
    const scopes = scopesWith({ 'marketing.any.P7D': { window: WEEK, count: 2, messageIds: ['a', 'b'] } });
    // Act
    const verdict = decideCaps(scopes, 'msg_new');
    // Assess
    expect(verdict).toEqual({ kind: 'count', scopes });
  });

  it('defers a message over a cap to the end of its window, saying which cap', () => {
    // Prepare
    const scopes = scopesWith({ 'marketing.any.P1D': { window: DAY, count: 1, messageIds: ['a'] } });
    // Act
    const verdict = decideCaps(scopes, 'msg_new');
    // Assess
    expect(verdict).toEqual({
      kind: 'defer',
      until: new Date('2026-12-06T00:00:00.000Z'),
      reason:
        'capped: at most 1 marketing message per P1D on any channel; deferred until 2026-12-06T00:00:00.000Z',
    });
  });

  it('defers to the latest window end when two caps are full', () => {
    // Prepare
    const scopes = scopesWith({
      'marketing.any.P1D': { window: DAY, count: 1, messageIds: ['a'] },
      'marketing.any.P7D': { window: WEEK, count: 3, messageIds: ['a', 'b', 'c'] },
    });
    // Act
    const verdict = decideCaps(scopes, 'msg_new');
    // Assess
    expect(verdict.kind === 'defer' && verdict.until.toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });

  it('drops a message over a cap configured to drop', () => {
    // Prepare
    const configured = caps([{ ...ONE_A_DAY, overflow: 'drop' }]);
    const scopes = scopesWith(
      { 'marketing.any.P1D': { window: DAY, count: 1, messageIds: ['a'] } },
      configured,
    );
    // Act
    const verdict = decideCaps(scopes, 'msg_new');
    // Assess
    expect(verdict).toEqual({
      kind: 'drop',
      reason: 'capped: at most 1 marketing message per P1D on any channel; dropped',
    });
  });

  it('drops rather than defers a low priority message', () => {
    // Prepare
    const scopes = scopesWith({ 'marketing.any.P1D': { window: DAY, count: 1, messageIds: ['a'] } });
    // Act
    const verdict = decideCaps(scopes, 'msg_new', 'low');
    // Assess
    expect(verdict.kind).toBe('drop');
    expect(verdict.kind === 'drop' && verdict.reason).toContain('dropped (low priority)');
  });

  it('counts a high priority message over a full cap without holding it back', () => {
    // Prepare
    const scopes = scopesWith(
      { 'marketing.any.P1D': { window: DAY, count: 1, messageIds: ['a'] } },
      caps([ONE_A_DAY]),
      'high',
    );
    // Act
    const verdict = decideCaps(scopes, 'msg_new', 'high');
    // Assess
    expect(verdict.kind).toBe('count');
    expect(scopes.every((scope) => !scope.enforced)).toBe(true);
  });

  it('sends a message already counted in this window without counting it again (a redelivery)', () => {
    // Prepare
    const scopes = scopesWith({
      'marketing.any.P1D': { window: DAY, count: 1, messageIds: ['msg_again'] },
      'marketing.any.P7D': { window: WEEK, count: 3, messageIds: ['a', 'b', 'msg_again'] },
    });
    // Act
    const verdict = decideCaps(scopes, 'msg_again');
    // Assess
    expect(verdict).toEqual({ kind: 'send' });
  });

  it('sends without counting when no cap applies', () => {
    // Act
    const verdict = decideCaps([], 'msg_new');
    // Assess
    expect(verdict).toEqual({ kind: 'send' });
  });
});

describe('Function: cappedScheduleKey', () => {
  it('names each deferral of a message apart, within the scheduler name limit', () => {
    // Prepare
    const messageId = `msg_${'a'.repeat(32)}`;
    // Act
    const first = cappedScheduleKey(messageId, new Date('2026-12-06T00:00:00Z'));
    const second = cappedScheduleKey(messageId, new Date('2026-12-07T00:00:00Z'));
    // Assess
    expect(first).not.toBe(second);
    expect(`switchboard-${second}`.length).toBeLessThanOrEqual(64);
  });
});

describe('Function: capId', () => {
  it('names a cap by its categories, channel and window, whatever its max', () => {
    // Act
    const id = capId({ categories: ['news', 'marketing'], channel: 'sms', per: 'P7D' });
    // Assess
    expect(id).toBe('marketing+news.sms.P7D');
  });
});
