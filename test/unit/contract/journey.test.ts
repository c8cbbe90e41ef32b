import { JourneySchema, safeParseWith } from '../../../functions/contract';

/** A valid journey document with `changes` merged in. */
function aDocument(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'welcome',
    version: 1,
    entry: { event: 'message.inbound', keyword: 'JOIN' },
    steps: [
      { id: 'hello', type: 'send', content: { text: 'Welcome!' }, category: 'marketing' },
      { id: 'done', type: 'exit' },
    ],
    ...changes,
  };
}

const step = (extra: Record<string, unknown>) => ({
  steps: [
    { id: 'only', ...extra },
    { id: 'done', type: 'exit' },
  ],
});

describe('Contract: JourneySchema', () => {
  it('applies the defaults: re-entry never, no goals, no holdout', () => {
    // Act
    const result = safeParseWith(JourneySchema, aDocument());

    // Assess
    expect(result.success && result.data.entry.reentry).toBe('never');
    expect(result.success && result.data.exitOn).toEqual([]);
    expect(result.success && result.data.holdout).toBe(0);
  });

  it.each([
    [
      'a condition with two operators',
      { entry: { event: 'Product Added', where: [{ path: 'properties.total', gt: 1, lt: 9 }] } },
      'entry.where[0]',
      'needs exactly one of',
    ],
    [
      'an outcome test without its step',
      step({ type: 'branch', cases: [{ when: [{ outcome: 'read' }], next: 'done' }] }),
      'steps[0].cases[0].when[0]',
      'needs step and outcome',
    ],
    [
      'a keyword on a touchpoint entry',
      { entry: { event: 'Product Added', keyword: 'JOIN' } },
      'entry.keyword',
      'only used with message.inbound',
    ],
    [
      'a Switchboard event that does not exist',
      { exitOn: [{ event: 'message.clickd' }] },
      'exitOn[0].event',
      'does not exist',
    ],
    [
      'a send with a template and content',
      step({ type: 'send', template: 'cart-reminder', content: { text: 'x' }, category: 'marketing' }),
      'steps[0].template',
      'not both',
    ],
    [
      'a wait with a duration and a time of day',
      step({ type: 'wait', duration: 'PT1H', until: '09:00' }),
      'steps[0].duration',
      'not both',
    ],
    [
      'a zero duration',
      step({ type: 'wait', duration: 'PT0S' }),
      'steps[0].duration',
      'positive ISO-8601 duration',
    ],
    ['a time of day past 23:59', step({ type: 'wait', until: '24:00' }), 'steps[0].until', 'HH:MM'],
    [
      'a repeated step id',
      {
        steps: [
          { id: 'done', type: 'exit' },
          { id: 'done', type: 'exit' },
        ],
      },
      'steps[1].id',
      'repeats the step id',
    ],
    [
      'an unknown step type',
      step({ type: 'teleport' }),
      'steps[0].type',
      'send, wait, waitFor, branch, split or exit',
    ],
    ['an unknown field', { colour: 'blue' }, 'colour', 'is not a known field'],
  ])('rejects %s at its path', (_case, changes, field, message) => {
    // Act
    const result = safeParseWith(JourneySchema, aDocument(changes));

    // Assess
    expect(result.success).toBe(false);
    expect(result.success ? [] : result.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, message: expect.stringContaining(message) })]),
    );
  });

  it('accepts a Switchboard event as entry and a goal with key: false', () => {
    // Act
    const result = safeParseWith(
      JourneySchema,
      aDocument({
        entry: { event: 'message.clicked' },
        exitOn: [{ event: 'customer.consent_changed', key: false }],
      }),
    );

    // Assess
    expect(result.success ? [] : result.issues).toEqual([]);
  });
});
