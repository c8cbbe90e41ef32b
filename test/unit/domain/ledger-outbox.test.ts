import type { FallbackRequest } from '../../../functions/contract';
import type { EngagementSignal } from '../../../functions/domain/engagement-from-ledger';
import type { LedgerChange } from '../../../functions/domain/ledger-change-events';
import { relayLedgerChanges } from '../../../functions/domain/ledger-outbox';
import type { SwitchboardEvent } from '../../../functions/domain/ports';

const AT = '2026-11-23T14:00:00.000Z';

/** An attempt's change: a receipt appended to its history, and optionally the fallback it claimed. */
function aReceiptChange(messageId: string, status: string, claimsFallback = false): LedgerChange {
  const before = {
    kind: 'attempt',
    customerId: 'c-1',
    messageId,
    requestId: `req-${messageId}`,
    channel: 'sms',
    attempt: 1,
    status: 'sent',
    history: [{ status: 'sent', at: AT, channel: 'sms' }],
  };
  const receipt = { status, at: AT, channel: 'sms', providerEvent: status, provider: 'twilio' };
  return {
    table: 'messages',
    oldImage: before,
    newImage: {
      ...before,
      status,
      history: [...before.history, receipt],
      ...(claimsFallback ? { fallbackClaim: { kind: 'failure_receipt', code: '30003', at: AT } } : {}),
    },
  };
}

function ports(options: { failPublishOf?: string; failFallbackOf?: string } = {}) {
  const requests: SwitchboardEvent[][] = [];
  const enqueued: FallbackRequest[] = [];
  return {
    requests,
    enqueued,
    events: {
      publish: async (events: readonly SwitchboardEvent[]) => {
        if (events.some((event) => 'messageId' in event && event.messageId === options.failPublishOf)) {
          throw new Error('SNS unavailable');
        }
        requests.push([...events]);
      },
    },
    fallbacks: {
      enqueue: async (request: FallbackRequest) => {
        if (request.messageId === options.failFallbackOf) throw new Error('SQS unavailable');
        enqueued.push(request);
      },
    },
  };
}

describe('Function: relayLedgerChanges', () => {
  it('sends every event in requests of at most ten and every owed fallback, and relays the whole batch', async () => {
    // Prepare
    const changes = Array.from({ length: 12 }, (_, index) =>
      aReceiptChange(`m${index}`, 'undelivered', index === 4),
    );
    const to = ports();

    // Act
    const outcome = await relayLedgerChanges(changes, to);

    // Assess
    expect(outcome).toEqual({ relayed: 12, events: 12, fallbacks: 1, counted: 0 });
    expect(to.requests.map((request) => request.length)).toEqual([10, 2]);
    expect(to.enqueued.map((request) => request.messageId)).toEqual(['m4']);
  });

  it('stops at the first change whose fallback could not be enqueued, with the error', async () => {
    // Prepare
    const changes = [
      aReceiptChange('m0', 'undelivered', true),
      aReceiptChange('m1', 'undelivered', true),
      aReceiptChange('m2', 'undelivered', true),
    ];
    const to = ports({ failFallbackOf: 'm1' });

    // Act
    const outcome = await relayLedgerChanges(changes, to);

    // Assess: m1 and m2 are retried (their events again, at least once), m0 is done.
    expect(outcome.relayed).toBe(1);
    expect(outcome.error).toEqual(new Error('SQS unavailable'));
    expect(to.enqueued.map((request) => request.messageId)).toEqual(['m0']);
  });

  it('enqueues no fallback of a change whose events were not published', async () => {
    // Prepare: m11 is in the second publish request, which fails.
    const changes = Array.from({ length: 12 }, (_, index) =>
      aReceiptChange(`m${index}`, 'undelivered', true),
    );
    const to = ports({ failPublishOf: 'm11' });

    // Act
    const outcome = await relayLedgerChanges(changes, to);

    // Assess
    expect(outcome.relayed).toBe(10);
    expect(to.enqueued).toHaveLength(10);
    expect(to.enqueued.map((request) => request.messageId)).not.toContain('m10');
  });

  it('relays a batch that owes nothing without a request', async () => {
    // Prepare
    const to = ports();
    const inserted: LedgerChange = { table: 'messages', newImage: { kind: 'message', messageId: 'm0' } };

    // Act
    const outcome = await relayLedgerChanges([inserted], to);

    // Assess
    expect(outcome).toEqual({ relayed: 1, events: 0, fallbacks: 0, counted: 0 });
    expect(to.requests).toEqual([]);
  });
  it('counts the engagement of the relayed changes after their events, and retries from a change whose count failed', async () => {
    // Prepare
    const changes = [
      aReceiptChange('m0', 'delivered'),
      aReceiptChange('m1', 'read'),
      aReceiptChange('m2', 'read'),
    ];
    const counted: string[] = [];
    const to = {
      ...ports(),
      engagement: {
        count: async (signal: EngagementSignal) => {
          if (signal.messageId === 'm2') throw new Error('DynamoDB unavailable');
          counted.push(`${signal.messageId}:${signal.event.kind}`);
        },
      },
    };

    // Act
    const outcome = await relayLedgerChanges(changes, to);

    // Assess
    expect(outcome).toMatchObject({ relayed: 2, events: 3, counted: 3 });
    expect(outcome.error).toEqual(new Error('DynamoDB unavailable'));
    expect(counted).toEqual(['m0:delivered', 'm1:delivered', 'm1:read']);
  });
});
