import { MAX_QUEUE_DELAY_SECONDS } from '../../../../functions/domain/ports';
import { admitRequest, type RequestRecord } from '../../../../functions/domain/routing/admit-request';
import { parseOutboundRecord } from '../../../../functions/domain/routing/parse-outbound-record';
import { aCustomer, aRequest } from '../../../helpers/factories';
import {
  anOutboundRecord,
  inMemoryRouterPorts,
  routingContextFor,
} from '../../../helpers/in-memory-routing-ports';

const now = new Date('2026-03-02T10:00:00Z');

function requestRecord(body: object, id?: string): RequestRecord {
  const parsed = parseOutboundRecord(anOutboundRecord(body, id));
  if (parsed.kind !== 'request') throw new Error('not a request');
  return parsed;
}

describe('Function: admitRequest', () => {
  it('records a new request queued with its attempt and returns its channel message', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['sms', 'email'] } });
    const ports = inMemoryRouterPorts([customer], now);
    const item = requestRecord(aRequest(customer.customerId));
    const profile = (await ports.customers.getRoutingProfiles([customer.customerId])).get(
      customer.customerId,
    );
    // Act
    const result = await admitRequest(item, profile, routingContextFor(ports));
    // Assess
    expect(result).toMatchObject({ id: item.record.id, messageId: item.messageId });
    expect('dispatches' in result && result.dispatches.map((d) => d.key)).toEqual([
      { customerId: customer.customerId, messageId: item.messageId, channel: 'sms', attempt: 1 },
    ]);
    expect(ports.ledger.message(customer.customerId, item.messageId)).toMatchObject({
      status: 'queued',
      attempts: [{ channel: 'sms', attempt: 1 }],
      fallbackChannels: ['email', 'whatsapp', 'push'],
      sourceId: item.record.id,
    });
  });

  it('schedules a request due beyond one queue delay instead of dispatching it', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['sms'] } });
    const ports = inMemoryRouterPorts([customer], now);
    const sendAt = new Date(now.getTime() + (MAX_QUEUE_DELAY_SECONDS + 60) * 1000).toISOString();
    const item = requestRecord(aRequest(customer.customerId, { sendAt }));
    const profile = (await ports.customers.getRoutingProfiles([customer.customerId])).get(
      customer.customerId,
    );
    // Act
    const result = await admitRequest(item, profile, routingContextFor(ports));
    // Assess
    expect(result).toMatchObject({ outcome: 'scheduled' });
    expect(ports.ledger.message(customer.customerId, item.messageId)).toMatchObject({
      status: 'scheduled',
      attempts: [],
    });
    expect(ports.scheduler.schedules.get(item.messageId)).toEqual({
      at: new Date(sendAt),
      body: item.record.body,
    });
  });

  it('starts a scheduled message once it is due, and only once', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['sms'] } });
    const sendAt = new Date(now.getTime() + (MAX_QUEUE_DELAY_SECONDS + 60) * 1000);
    const request = aRequest(customer.customerId, { sendAt: sendAt.toISOString() });
    const early = inMemoryRouterPorts([customer], now);
    const item = requestRecord(request);
    const profile = (await early.customers.getRoutingProfiles([customer.customerId])).get(
      customer.customerId,
    );
    await admitRequest(item, profile, routingContextFor(early));
    const due = { ...early, now: () => sendAt };
    // Act
    const first = await admitRequest(requestRecord(request, 'sqs-due'), profile, routingContextFor(due));
    const second = await admitRequest(
      requestRecord(request, 'sqs-due-again'),
      profile,
      routingContextFor(due),
    );
    // Assess
    expect('dispatches' in first && first.dispatches).toHaveLength(1);
    expect(second).toMatchObject({ outcome: 'duplicate' });
    expect(early.ledger.message(customer.customerId, item.messageId)).toMatchObject({
      status: 'queued',
      sourceId: 'sqs-due',
    });
  });

  it('dispatches again the attempts a redelivered record owes, and nothing for another copy', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['sms'] } });
    const ports = inMemoryRouterPorts([customer], now);
    const request = aRequest(customer.customerId);
    const profile = (await ports.customers.getRoutingProfiles([customer.customerId])).get(
      customer.customerId,
    );
    await admitRequest(requestRecord(request, 'sqs-1'), profile, routingContextFor(ports));
    // Act
    const redelivered = await admitRequest(
      requestRecord(request, 'sqs-1'),
      profile,
      routingContextFor(ports),
    );
    const copy = await admitRequest(requestRecord(request, 'sqs-2'), profile, routingContextFor(ports));
    // Assess
    expect('dispatches' in redelivered && redelivered.dispatches.map((d) => d.key.channel)).toEqual(['sms']);
    expect(copy).toMatchObject({ outcome: 'duplicate' });
  });

  it('records an unknown customer undeliverable', async () => {
    // Prepare
    const ports = inMemoryRouterPorts([], now);
    const item = requestRecord(aRequest('c-nobody'));
    // Act
    const result = await admitRequest(item, undefined, routingContextFor(ports));
    // Assess
    expect(result).toMatchObject({ outcome: 'undeliverable' });
    expect(ports.ledger.message('c-nobody', item.messageId)).toMatchObject({
      status: 'undeliverable',
      reasons: ['customer: not found'],
    });
  });
});
