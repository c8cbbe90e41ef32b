import { MAX_QUEUE_DELAY_SECONDS } from '../../../../functions/domain/ports';
import { admitRequest, type RequestRecord } from '../../../../functions/domain/routing/admit-request';
import { parseOutboundRecord } from '../../../../functions/domain/routing/parse-outbound-record';
import { aCustomer, aRequest } from '../../../helpers/factories';
import {
  anOutboundRecord,
  inMemoryRouterPorts,
  routingContextFor,
} from '../../../helpers/in-memory-routing-ports';
import { aJourneyMessage, aTestRun, ScriptedJourneyFence } from '../../../helpers/journey-fence';

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

describe('Function: admitRequest with a journey message', () => {
  const customer = aCustomer({ preferences: { channels: ['sms'] } });
  const run = aTestRun(customer.customerId);
  const exitedOnGoal = {
    written: false,
    run: { runId: run.runId, status: 'exited', exitReason: 'goal', sendIds: [], dispatched: {} },
  } as const;

  /** The router's ports with a fence that answers `answer`, and the customer's profile. */
  const withFence = async (answer: ConstructorParameters<typeof ScriptedJourneyFence>[0], at = now) => {
    const fence = new ScriptedJourneyFence(answer);
    const ports = { ...inMemoryRouterPorts([customer], at), journeyFence: fence };
    const profile = (await ports.customers.getRoutingProfiles([customer.customerId])).get(
      customer.customerId,
    );
    return { fence, ports, profile };
  };

  it('records it cancelled with the reason, and dispatches nothing, when its run exited on a goal', async () => {
    // Prepare
    const { ports, profile } = await withFence(exitedOnGoal);
    const item = requestRecord(aJourneyMessage(run, 'push-reminder', { category: 'transactional' }));
    // Act
    const result = await admitRequest(item, profile, routingContextFor(ports));
    // Assess
    expect(result).toEqual({ id: item.record.id, outcome: 'cancelled', messageId: item.messageId });
    expect(ports.ledger.message(customer.customerId, item.messageId)).toMatchObject({
      status: 'cancelled',
      reasons: ['journey exited: goal'],
      attempts: [],
    });
  });

  it('records it queued and returns its dispatch when the fence lets it through', async () => {
    // Prepare
    const { fence, ports, profile } = await withFence({ written: true });
    const item = requestRecord(aJourneyMessage(run, 'push-reminder', { category: 'transactional' }));
    // Act
    const result = await admitRequest(item, profile, routingContextFor(ports));
    // Assess
    expect('dispatches' in result && result.dispatches).toHaveLength(1);
    expect(fence.asked).toHaveLength(1);
  });

  it('schedules one due in a few minutes instead of delaying it on the channel queue, and fences it when due', async () => {
    // Prepare
    const sendAt = new Date(now.getTime() + 10 * 60 * 1000);
    const request = aJourneyMessage(run, 'push-reminder', {
      category: 'transactional',
      sendAt: sendAt.toISOString(),
    });
    const early = await withFence(exitedOnGoal);
    const item = requestRecord(request);
    // Act
    const first = await admitRequest(item, early.profile, routingContextFor(early.ports));
    const due = { ...early.ports, now: () => sendAt };
    const whenDue = await admitRequest(
      requestRecord(request, 'sqs-due'),
      early.profile,
      routingContextFor(due),
    );
    // Assess
    expect(first).toMatchObject({ outcome: 'scheduled' });
    expect(early.ports.scheduler.schedules.get(item.messageId)).toEqual({
      at: sendAt,
      body: item.record.body,
    });
    expect(whenDue).toMatchObject({ outcome: 'cancelled' });
    expect(early.fence.asked).toHaveLength(1);
    expect(early.ports.ledger.message(customer.customerId, item.messageId)).toMatchObject({
      status: 'cancelled',
      reasons: ['journey exited: goal'],
    });
  });
});
