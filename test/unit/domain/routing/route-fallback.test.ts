import type { FallbackRequest, MessageRequestInput } from '../../../../functions/contract';
import { admitRequest } from '../../../../functions/domain/routing/admit-request';
import { parseOutboundRecord } from '../../../../functions/domain/routing/parse-outbound-record';
import { type FallbackRecord, routeFallback } from '../../../../functions/domain/routing/route-fallback';
import { aCustomer, aRequest } from '../../../helpers/factories';
import {
  anOutboundRecord,
  inMemoryRouterPorts,
  routingContextFor,
} from '../../../helpers/in-memory-routing-ports';
import { aJourneyMessage, aTestRun, ScriptedJourneyFence } from '../../../helpers/journey-fence';

/** A message routed to sms first, with its ports, ready for a fallback. */
async function aRoutedMessage(requestOverrides: Partial<MessageRequestInput> = {}) {
  const customer = aCustomer({ preferences: { channels: ['sms', 'email'] } });
  const ports = inMemoryRouterPorts([customer]);
  const parsed = parseOutboundRecord(anOutboundRecord(aRequest(customer.customerId, requestOverrides)));
  if (parsed.kind !== 'request') throw new Error('not a request');
  const profile = (await ports.customers.getRoutingProfiles([customer.customerId])).get(customer.customerId);
  await admitRequest(parsed, profile, routingContextFor(ports));
  return { ports, profile, customer, messageId: parsed.messageId };
}

function fallbackRecord(customerId: string, messageId: string, id?: string): FallbackRecord {
  const fallback: FallbackRequest = {
    kind: 'fallback',
    schemaVersion: 1,
    messageId,
    customerId,
    triedChannels: ['sms'],
    reason: 'sms: failed (30003)',
    requestedAt: '2026-03-02T10:00:00.000Z',
  };
  const parsed = parseOutboundRecord(anOutboundRecord(fallback, id));
  if (parsed.kind !== 'fallback') throw new Error('not a fallback');
  return parsed;
}

describe('Function: routeFallback', () => {
  it('plans the next channel as attempt 2 and adds it to the ledger', async () => {
    // Prepare
    const { ports, profile, customer, messageId } = await aRoutedMessage();
    // Act
    const result = await routeFallback(
      fallbackRecord(customer.customerId, messageId),
      profile,
      routingContextFor(ports),
    );
    // Assess
    expect('dispatches' in result && result.dispatches.map((d) => d.key)).toEqual([
      { customerId: customer.customerId, messageId, channel: 'email', attempt: 2 },
    ]);
    expect(ports.ledger.message(customer.customerId, messageId).attempts).toEqual([
      { channel: 'sms', attempt: 1 },
      { channel: 'email', attempt: 2 },
    ]);
  });

  it('falls back once when two fallbacks for the same failure race', async () => {
    // Prepare
    const { ports, profile, customer, messageId } = await aRoutedMessage();
    const context = routingContextFor(ports);
    // Act
    const [first, second] = await Promise.all([
      routeFallback(fallbackRecord(customer.customerId, messageId, 'sqs-a'), profile, context),
      routeFallback(fallbackRecord(customer.customerId, messageId, 'sqs-b'), profile, context),
    ]);
    // Assess
    expect('dispatches' in first && first.dispatches.map((d) => [d.key.channel, d.key.attempt])).toEqual([
      ['email', 2],
    ]);
    expect(second).toMatchObject({ outcome: 'duplicate' });
    expect(ports.ledger.message(customer.customerId, messageId).attempts).toHaveLength(2);
  });

  it('does nothing when the request said no fallback', async () => {
    // Prepare
    const { ports, profile, customer, messageId } = await aRoutedMessage({ routing: { fallback: false } });
    // Act
    const result = await routeFallback(
      fallbackRecord(customer.customerId, messageId),
      profile,
      routingContextFor(ports),
    );
    // Assess
    expect(result).toMatchObject({ outcome: 'duplicate' });
    expect(ports.ledger.message(customer.customerId, messageId).attempts).toHaveLength(1);
  });

  it('records the message undeliverable when no channel is left', async () => {
    // Prepare
    const { ports, profile, customer, messageId } = await aRoutedMessage({ routing: { channels: ['sms'] } });
    // Act
    const result = await routeFallback(
      fallbackRecord(customer.customerId, messageId),
      profile,
      routingContextFor(ports),
    );
    // Assess
    expect(result).toMatchObject({ outcome: 'undeliverable' });
    expect(ports.ledger.message(customer.customerId, messageId)).toMatchObject({ status: 'undeliverable' });
  });

  it('drops a fallback for a message the ledger does not have', async () => {
    // Prepare
    const ports = inMemoryRouterPorts();
    // Act
    const result = await routeFallback(
      fallbackRecord('c-gone', 'msg_gone'),
      undefined,
      routingContextFor(ports),
    );
    // Assess
    expect(result).toMatchObject({ outcome: 'duplicate', messageId: 'msg_gone' });
  });
});

describe('Function: routeFallback with a journey message', () => {
  const goal = {
    written: false,
    run: { runId: '', status: 'exited', exitReason: 'goal', sendIds: [], dispatched: {} },
  } as const;

  /** A journey's message routed to sms first through a fence that let it through. */
  async function aRoutedJourneyMessage() {
    const customer = aCustomer({ preferences: { channels: ['sms', 'email'] } });
    const run = aTestRun(customer.customerId);
    const fence = new ScriptedJourneyFence({ written: true });
    const ports = { ...inMemoryRouterPorts([customer]), journeyFence: fence };
    const request = aJourneyMessage(run, 'push-reminder', { category: 'transactional' });
    const parsed = parseOutboundRecord(anOutboundRecord(request));
    if (parsed.kind !== 'request') throw new Error('not a request');
    const profile = (await ports.customers.getRoutingProfiles([customer.customerId])).get(
      customer.customerId,
    );
    await admitRequest(parsed, profile, routingContextFor(ports));
    fence.answer = { ...goal, run: { ...goal.run, runId: run.runId } };
    return { ports, profile, customer, fence, messageId: parsed.messageId };
  }

  it('cancels the fallback once the run exited on a goal, adding no attempt', async () => {
    // Prepare
    const { ports, profile, customer, messageId } = await aRoutedJourneyMessage();
    // Act
    const result = await routeFallback(
      fallbackRecord(customer.customerId, messageId),
      profile,
      routingContextFor(ports),
    );
    // Assess
    expect(result).toMatchObject({ outcome: 'cancelled', messageId });
    expect(ports.ledger.message(customer.customerId, messageId)).toMatchObject({
      status: 'cancelled',
      attempts: [{ channel: 'sms', attempt: 1 }],
    });
  });

  it('dispatches again, without asking the fence, the fallback its own redelivered record planned', async () => {
    // Prepare
    const { ports, profile, customer, fence, messageId } = await aRoutedJourneyMessage();
    fence.answer = { written: true };
    const context = routingContextFor(ports);
    await routeFallback(fallbackRecord(customer.customerId, messageId, 'sqs-fallback'), profile, context);
    fence.answer = { ...goal, run: { ...goal.run, runId: fence.asked[0]!.runId } };
    const asked = fence.asked.length;
    // Act
    const redelivered = await routeFallback(
      fallbackRecord(customer.customerId, messageId, 'sqs-fallback'),
      profile,
      context,
    );
    // Assess
    expect('dispatches' in redelivered && redelivered.dispatches.map((d) => d.key.channel)).toEqual([
      'email',
    ]);
    expect(fence.asked).toHaveLength(asked);
    expect(ports.ledger.message(customer.customerId, messageId).status).toBe('queued');
  });
});
