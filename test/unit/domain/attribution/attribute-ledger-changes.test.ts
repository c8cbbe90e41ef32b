import { attributeLedgerChanges } from '../../../../functions/domain/attribution/attribute-ledger-changes';
import type { AggregateIncrement } from '../../../../functions/domain/attribution/attribution-aggregates';
import type {
  AttributionPorts,
  RecordOutcome,
} from '../../../../functions/domain/attribution/attribution-ports';
import { DEFAULT_ATTRIBUTION_SETTINGS } from '../../../../functions/domain/attribution/attribution-settings';
import type { Credit, Touch } from '../../../../functions/domain/attribution/credit-conversion';
import type { LedgerChange } from '../../../../functions/domain/ledger-change-events';

const conversionChange = (messageId: string): LedgerChange => ({
  table: 'messages',
  newImage: {
    pk: 'customer#c1',
    kind: 'touchpoint',
    type: 'track',
    name: 'Order Completed',
    messageId,
    customerId: 'c1',
    occurredAt: '2026-11-22T15:00:00.000Z',
  },
});

const sentAttempt: LedgerChange = {
  table: 'messages',
  newImage: {
    kind: 'attempt',
    customerId: 'c1',
    messageId: 'm9',
    channel: 'email',
    history: [{ status: 'sent', at: '2026-11-22T10:00:00.000Z' }],
  },
};

const touches: Touch[] = [
  { messageId: 'm1', channel: 'push', sentAt: '2026-11-21T10:00:00.000Z', claimed: false },
  { messageId: 'm2', channel: 'sms', sentAt: '2026-11-22T10:00:00.000Z', claimed: false },
];

/** In-memory ports: the recorder answers from a script, the aggregates keep what they are given. */
function portsWith(outcomes: (RecordOutcome | Error)[], addFails = false) {
  const recorded: Credit[][] = [];
  const added: AggregateIncrement[][] = [];
  const ports: AttributionPorts = {
    settings: DEFAULT_ATTRIBUTION_SETTINGS,
    touches: { touches: async () => touches },
    conversions: {
      record: async (_conversion, credits) => {
        recorded.push([...credits]);
        const outcome = outcomes.shift() ?? { outcome: 'recorded' };
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
    },
    aggregates: {
      add: async (increments) => {
        if (addFails) throw new Error('throttled');
        added.push([...increments]);
      },
    },
  };
  return { ports, recorded, added };
}

describe('Function: attributeLedgerChanges', () => {
  it('credits a conversion again without the messages another conversion claimed meanwhile', async () => {
    // Prepare
    const { ports, recorded } = portsWith([{ outcome: 'claimed', messageIds: ['m2'] }]);

    // Act
    const outcome = await attributeLedgerChanges([conversionChange('o1')], 1, ports);

    // Assess
    expect(outcome).toEqual({ done: 1, conversions: 1 });
    expect(
      recorded.map((credits) => credits.map((credit) => [credit.messageId, credit.weight.last])),
    ).toEqual([
      [
        ['m1', 0],
        ['m2', 1],
      ],
      [['m1', 1]],
    ]);
  });

  it('counts nothing for a conversion recorded before', async () => {
    // Prepare
    const { ports } = portsWith([{ outcome: 'duplicate' }]);

    // Act
    const outcome = await attributeLedgerChanges([conversionChange('o1')], 1, ports);

    // Assess
    expect(outcome).toEqual({ done: 1, conversions: 0 });
  });

  it('stops at a conversion that failed, counting the activity of the changes before it only', async () => {
    // Prepare
    const failure = new Error('throttled');
    const { ports, added } = portsWith([failure]);

    // Act
    const outcome = await attributeLedgerChanges(
      [sentAttempt, conversionChange('o1'), sentAttempt],
      3,
      ports,
    );

    // Assess
    expect(outcome).toEqual({ done: 1, conversions: 0, error: failure });
    expect(added).toEqual([
      [
        { day: '2026-11-22', dimension: 'channel', group: 'email', add: { sent: 1 } },
        { day: '2026-11-22', dimension: 'template', group: '(none)', add: { sent: 1 } },
        { day: '2026-11-22', dimension: 'campaign', group: '(none)', add: { sent: 1 } },
      ],
    ]);
  });

  it('retries the whole batch when its activity could not be counted', async () => {
    // Prepare
    const { ports } = portsWith([], true);

    // Act
    const outcome = await attributeLedgerChanges([sentAttempt, sentAttempt], 2, ports);

    // Assess
    expect(outcome).toMatchObject({ done: 0, conversions: 0, error: new Error('throttled') });
  });
});
