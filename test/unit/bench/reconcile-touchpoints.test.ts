import { reconcileTouchpoints } from '../../../bench/lib/reconcile-touchpoints';

describe('Function: reconcileTouchpoints', () => {
  const homes = new Map([
    ['m-1', 'customer#camille'],
    ['m-2', 'anonymous#visitor'],
  ]);

  it('finds nothing when every event is stored once where it belongs', () => {
    // Act
    const result = reconcileTouchpoints({
      homes,
      stored: [
        { pk: 'customer#camille', sk: 'touchpoint#m-1' },
        { pk: 'anonymous#visitor', sk: 'touchpoint#m-2' },
        { pk: 'anonymous#visitor', sk: 'profile' },
      ],
      accepted: 2,
      leftOnQueues: 0,
    });

    // Assess
    expect(result).toEqual({ expected: 2, storedOnce: 2, findings: [] });
  });

  it.each([
    ['a lost event', [{ pk: 'customer#camille', sk: 'touchpoint#m-1' }], '1 events not stored (first: m-2)'],
    [
      'an event stored twice',
      [
        { pk: 'customer#camille', sk: 'touchpoint#m-1' },
        { pk: 'anonymous#visitor', sk: 'touchpoint#m-2' },
        { pk: 'customer#camille', sk: 'touchpoint#m-2' },
      ],
      'm-2 stored 2 times (anonymous#visitor, customer#camille)',
    ],
    [
      'an event on the wrong profile',
      [
        { pk: 'customer#camille', sk: 'touchpoint#m-1' },
        { pk: 'customer#camille', sk: 'touchpoint#m-2' },
      ],
      'm-2 stored on customer#camille, expected anonymous#visitor',
    ],
  ])('reports %s', (_name, stored, finding) => {
    // Act
    const result = reconcileTouchpoints({ homes, stored });

    // Assess
    expect(result.findings).toEqual([finding]);
    expect(result.storedOnce).toBe(1);
  });

  it('reports events the API did not accept and messages left on the queues', () => {
    // Act
    const result = reconcileTouchpoints({
      homes,
      stored: [
        { pk: 'customer#camille', sk: 'touchpoint#m-1' },
        { pk: 'anonymous#visitor', sk: 'touchpoint#m-2' },
      ],
      accepted: 1,
      leftOnQueues: 3,
    });

    // Assess
    expect(result.findings).toEqual([
      'the API accepted 1 of 2 events',
      '3 messages left on the queue or its DLQ',
    ]);
  });
});
