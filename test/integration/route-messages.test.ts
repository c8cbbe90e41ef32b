/**
 * The router through its real handler on DynamoDB Local and fauxqs.
 */

import { DynamoDBClient as Client } from '@aws-sdk/client-dynamodb';
import { messageIdFor, rejectedMessageIdFor } from '../../functions/domain/message-id';
import type { LocalResources } from '../../local/emulators';
import { localClientConfig } from '../../local/emulators';
import { isolatedResources, testClients, testEndpoints } from '../helpers/emulators';
import { aCustomer, aMobileNumber, anSqsEvent, aRequest, consent } from '../helpers/factories';
import { routerUnderTest } from '../helpers/router';
import { entriesOf } from '../helpers/timeline';

// 14:00 in Paris: outside quiet hours.
const AFTERNOON = new Date('2026-11-23T13:00:00Z');

describe('Function: route-messages handler', () => {
  const clients = testClients();
  let resources: LocalResources;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
  });

  const router = (options: Parameters<typeof routerUnderTest>[2] = {}) =>
    routerUnderTest(resources, clients, { now: () => AFTERNOON, ...options });

  it('sends to the preferred channel and keeps the others as fallback', async () => {
    // Prepare
    const { handler, store, timeline, channelMessages } = router();
    const customer = aCustomer();
    await store.put(customer);
    const request = aRequest(customer.customerId);

    // Act
    const response = await handler(anSqsEvent([request]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const whatsapp = await channelMessages('whatsapp');
    expect(whatsapp).toHaveLength(1);
    expect(whatsapp[0]).toMatchObject({
      channel: 'whatsapp',
      to: customer.addresses.whatsapp,
      attempt: 1,
      requestId: request.requestId,
      content: { text: 'Your code is 123456' },
      fallbackChannels: ['sms', 'email', 'push'],
    });
    expect(await channelMessages('sms')).toEqual([]);
    const messages = await entriesOf(timeline, customer.customerId, 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ status: 'queued', routerStatus: 'queued' });
    expect(messages[0]?.attempts).toMatchObject([{ channel: 'whatsapp', attempt: 1, status: 'queued' }]);
  });

  it('skips a channel the customer opted out of, even for a transactional message', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const customer = aCustomer({ consent: { transactional: { whatsapp: consent('opted_out') } } });
    await store.put(customer);

    // Act
    await handler(anSqsEvent([aRequest(customer.customerId)]));

    // Assess
    expect(await channelMessages('whatsapp')).toEqual([]);
    expect(await channelMessages('sms')).toMatchObject([
      { channel: 'sms', fallbackChannels: ['email', 'push'] },
    ]);
  });

  it('skips channels without a marketing opt-in for a marketing message', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const customer = aCustomer({
      consent: { marketing: { email: consent('opted_in'), sms: consent('unknown') } },
    });
    await store.put(customer);

    // Act
    await handler(anSqsEvent([aRequest(customer.customerId, { category: 'marketing' })]));

    // Assess
    expect(await channelMessages('whatsapp')).toEqual([]);
    expect(await channelMessages('sms')).toEqual([]);
    expect(await channelMessages('email')).toMatchObject([
      {
        channel: 'email',
        to: customer.addresses.email,
        content: { subject: 'Your code' },
        fallbackChannels: [],
      },
    ]);
  });

  it('skips a channel with no address', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const customer = aCustomer({ addresses: { sms: '+33612345678', email: 'ada@example.com' } });
    await store.put(customer);

    // Act
    await handler(anSqsEvent([aRequest(customer.customerId)]));

    // Assess
    expect(await channelMessages('whatsapp')).toEqual([]);
    expect(await channelMessages('sms')).toMatchObject([{ channel: 'sms', fallbackChannels: ['email'] }]);
  });

  it('delays a marketing message to the end of quiet hours but sends a transactional one now', async () => {
    // Prepare: 07:50 in Paris, ten minutes before quiet hours end.
    const { handler, store, ledger, channelMessages, delayedCount } = router({
      now: () => new Date('2026-11-23T06:50:00Z'),
    });
    const customer = aCustomer({
      preferences: { channels: ['sms'] },
      consent: { marketing: { sms: consent('opted_in') } },
    });
    await store.put(customer);
    const marketing = aRequest(customer.customerId, { category: 'marketing' });
    const transactional = aRequest(customer.customerId);

    // Act
    const response = await handler(anSqsEvent([marketing, transactional]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const now = await channelMessages('sms');
    expect(now.map((message) => message.requestId)).toEqual([transactional.requestId]);
    expect(await delayedCount('sms')).toBe(1);
    const delayed = await ledger.getMessage(
      customer.customerId,
      messageIdFor(customer.customerId, marketing.requestId),
    );
    expect(delayed).toMatchObject({ status: 'queued', deliverAt: '2026-11-23T07:00:00.000Z' });
  });

  it('schedules a message whose quiet hours end more than fifteen minutes later', async () => {
    // Prepare: 23:00 in Paris.
    const scheduled: { key: string; at: Date }[] = [];
    const { handler, store, ledger, channelMessages } = router({
      now: () => new Date('2026-11-23T22:00:00Z'),
      scheduler: { schedule: async (input) => void scheduled.push(input) },
    });
    const customer = aCustomer({ consent: { marketing: { sms: consent('opted_in') } } });
    await store.put(customer);
    const request = aRequest(customer.customerId, { category: 'marketing' });

    // Act
    await handler(anSqsEvent([request]));

    // Assess
    const messageId = messageIdFor(customer.customerId, request.requestId);
    expect(scheduled).toEqual([
      { key: messageId, at: new Date('2026-11-24T07:00:00Z'), body: JSON.stringify(request) },
    ]);
    expect(await ledger.getMessage(customer.customerId, messageId)).toMatchObject({ status: 'scheduled' });
    expect(await channelMessages('sms')).toEqual([]);
  });

  it('routes a scheduled message once when the schedule brings it back', async () => {
    // Prepare
    let now = new Date('2026-11-23T22:00:00Z');
    const { handler, store, ledger, channelMessages } = router({
      now: () => now,
      scheduler: { schedule: async () => {} },
    });
    const customer = aCustomer({ consent: { marketing: { sms: consent('opted_in') } } });
    await store.put(customer);
    const request = aRequest(customer.customerId, { category: 'marketing' });
    await handler(anSqsEvent([request]));

    // Act: the schedule fires at 08:00 Paris, and fires twice.
    now = new Date('2026-11-24T07:00:00Z');
    await handler(anSqsEvent([request]));
    await handler(anSqsEvent([request]));

    // Assess
    expect(await channelMessages('sms')).toHaveLength(1);
    const message = await ledger.getMessage(
      customer.customerId,
      messageIdFor(customer.customerId, request.requestId),
    );
    expect(message?.history.map((change) => change.status)).toEqual(['scheduled', 'queued']);
  });

  it('sends to every allowed channel with the all strategy', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const customer = aCustomer({ addresses: { sms: '+33612345678', email: 'ada@example.com' } });
    await store.put(customer);

    // Act
    await handler(anSqsEvent([aRequest(customer.customerId, { routing: { strategy: 'all' } })]));

    // Assess
    expect(await channelMessages('sms')).toMatchObject([
      { channel: 'sms', attempt: 1, fallbackChannels: [] },
    ]);
    expect(await channelMessages('email')).toMatchObject([
      { channel: 'email', attempt: 1, fallbackChannels: [] },
    ]);
    expect(await channelMessages('whatsapp')).toEqual([]);
  });

  it('keeps to the channels a request allows, in the customer order', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const customer = aCustomer();
    await store.put(customer);

    // Act
    await handler(anSqsEvent([aRequest(customer.customerId, { routing: { channels: ['email', 'sms'] } })]));

    // Assess
    expect(await channelMessages('sms')).toMatchObject([{ channel: 'sms', fallbackChannels: ['email'] }]);
  });

  it('records an expired request as expired and sends nothing', async () => {
    // Prepare
    const { handler, store, ledger, channelMessages } = router();
    const customer = aCustomer();
    await store.put(customer);
    const request = aRequest(customer.customerId, { expiresAt: '2026-11-23T12:00:00Z' });

    // Act
    const response = await handler(anSqsEvent([request]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(
      await ledger.getMessage(customer.customerId, messageIdFor(customer.customerId, request.requestId)),
    ).toMatchObject({
      status: 'expired',
      reasons: ['expired at 2026-11-23T12:00:00Z'],
    });
    expect(await channelMessages('whatsapp')).toEqual([]);
  });

  it('records an undeliverable message with the reason for each channel', async () => {
    // Prepare
    const { handler, store, ledger } = router();
    const customer = aCustomer({
      addresses: { sms: '+33612345678' },
      preferences: { channels: ['sms', 'email'] },
      consent: { marketing: { sms: consent('opted_out') } },
    });
    await store.put(customer);
    const request = aRequest(customer.customerId, { category: 'marketing' });

    // Act
    await handler(anSqsEvent([request]));

    // Assess
    const message = await ledger.getMessage(
      customer.customerId,
      messageIdFor(customer.customerId, request.requestId),
    );
    expect(message).toMatchObject({
      status: 'undeliverable',
      reasons: ['sms: opted out of marketing; email: no address; whatsapp: no address; push: no address'],
    });
  });

  it('records an invalid request as rejected with its reasons and raw body, and acknowledges it', async () => {
    // Prepare
    const { handler, ledger } = router();
    const invalid = { schemaVersion: 1, requestId: 'r-bad', customerId: 'c-bad', category: 'Marketing!' };

    // Act
    const response = await handler(anSqsEvent([invalid]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const message = await ledger.getMessage('c-bad', messageIdFor('c-bad', 'r-bad'));
    expect(message?.status).toBe('rejected');
    expect(message?.rawBody).toBe(JSON.stringify(invalid));
    expect(message?.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^category: /),
        'template: a request needs a template or content',
      ]),
    );
  });

  it('records a body that is not JSON as rejected with a bounded raw body', async () => {
    // Prepare
    const { handler, ledger } = router();
    const body = `not json ${'x'.repeat(10_000)}`;

    // Act
    const response = await handler(anSqsEvent([body]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const message = await ledger.getMessage('', rejectedMessageIdFor(body));
    expect(message).toMatchObject({ status: 'rejected', reasons: ['(request): is not JSON'] });
    expect(message?.rawBody).toHaveLength(4096);
  });

  it('rejects a template request clearly while this build has no template renderer', async () => {
    // Prepare
    const { handler, store, ledger } = router();
    const customer = aCustomer();
    await store.put(customer);
    const request = aRequest(customer.customerId, { content: undefined, template: 'welcome', data: {} });

    // Act
    const response = await handler(anSqsEvent([request]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(
      await ledger.getMessage(customer.customerId, messageIdFor(customer.customerId, request.requestId)),
    ).toMatchObject({
      status: 'rejected',
      reasons: ['templates are not available in this build'],
    });
  });

  it('renders a template request through the injected template renderer', async () => {
    // Prepare
    const { handler, store, channelMessages } = router({
      templates: { render: async ({ channel }) => ({ text: `hello on ${channel}` }) },
    });
    const customer = aCustomer();
    await store.put(customer);

    // Act
    await handler(anSqsEvent([aRequest(customer.customerId, { content: undefined, template: 'welcome' })]));

    // Assess
    expect(await channelMessages('whatsapp')).toMatchObject([{ content: { text: 'hello on whatsapp' } }]);
  });

  it('routes a duplicate request once, in the same batch and in a later one', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const customer = aCustomer();
    await store.put(customer);
    const request = aRequest(customer.customerId);

    // Act
    const first = await handler(anSqsEvent([request, request]));
    const second = await handler(anSqsEvent([request]));

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(await channelMessages('whatsapp')).toHaveLength(1);
  });

  it('routes the nine good records of a batch and reports no failure for the bad one', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const customers = Array.from({ length: 9 }, () => aCustomer({ preferences: { channels: ['sms'] } }));
    for (const customer of customers) await store.put(customer);
    const bodies = [
      ...customers.slice(0, 4).map((customer) => aRequest(customer.customerId)),
      { schemaVersion: 2, nonsense: true },
      ...customers.slice(4).map((customer) => aRequest(customer.customerId)),
    ];

    // Act
    const response = await handler(anSqsEvent(bodies));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const sms = await channelMessages('sms');
    expect(sms.map((message) => message.customerId).sort()).toEqual(
      customers.map((c) => c.customerId).sort(),
    );
  });

  it('reports exactly the record whose DynamoDB write failed, and routes it on redelivery', async () => {
    // Prepare: a client that fails the ledger write for one customer, as a throttled partition would.
    const faulty = new Client(localClientConfig(testEndpoints(), testEndpoints().dynamodbEndpoint));
    const victim = aCustomer({ preferences: { channels: ['sms'] } });
    let failing = true;
    faulty.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Item?: { pk?: { S?: string } } };
        if (failing && input.Item?.pk?.S === `customer#${victim.customerId}`) {
          throw Object.assign(new Error('Throughput exceeds the current capacity'), {
            name: 'ProvisionedThroughputExceededException',
          });
        }
        return next(args);
      },
      { step: 'build', name: 'failOneCustomer' },
    );
    const { handler, store, channelMessages } = router({ dynamodb: faulty });
    const others = Array.from({ length: 9 }, () => aCustomer({ preferences: { channels: ['sms'] } }));
    for (const customer of [victim, ...others]) await store.put(customer);
    const event = anSqsEvent(
      [...others.slice(0, 5), victim, ...others.slice(5)].map((c) => aRequest(c.customerId)),
    );
    const victimRecord = event.Records[5]!;

    // Act
    const response = await handler(event);
    failing = false;
    const retry = await handler({ Records: [victimRecord] });

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: victimRecord.messageId }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(await channelMessages('sms')).toHaveLength(10);
    faulty.destroy();
  });

  it('dispatches again when the same record is redelivered after a failed dispatch, and the lease keeps it to one send', async () => {
    // Prepare: sends to the email queue fail, as an SQS outage in one lane would.
    const { handler, store, attempts, channelMessages } = router();
    const customer = aCustomer({ addresses: { sms: aMobileNumber(), email: 'ada@example.com' } });
    await store.put(customer);
    const request = aRequest(customer.customerId, { routing: { strategy: 'all' } });
    const event = anSqsEvent([request]);
    const broken = routerUnderTest(
      { ...resources, queues: { ...resources.queues, email: `${resources.queues.email}-gone` } },
      clients,
      { now: () => AFTERNOON },
    );

    // Act
    const first = await broken.handler(event);
    const retry = await handler(event);
    const sms = await channelMessages('sms');
    const email = await channelMessages('email');
    const leases = [];
    for (const message of sms) {
      const key = {
        customerId: message.customerId,
        messageId: message.messageId,
        channel: message.channel,
        attempt: message.attempt,
      };
      const lease = await attempts.leaseAttempt(key, {
        owner: `sender-${leases.length}`,
        leaseSeconds: 30,
        now: AFTERNOON,
        queuedAt: message.queuedAt,
      });
      if (lease.outcome === 'leased')
        await attempts.recordSent(
          key,
          { provider: 'sandbox', providerMessageId: `SB-${leases.length}` },
          AFTERNOON,
        );
      leases.push(lease.outcome);
    }

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(email).toHaveLength(1);
    expect(sms).toHaveLength(2);
    expect(leases).toEqual(['leased', 'already-done']);
  });

  it('falls back to the next channel and never repeats one', async () => {
    // Prepare
    const { handler, store, ledger, channelMessages } = router();
    const customer = aCustomer({ addresses: { sms: '+33612345678', email: 'ada@example.com' } });
    await store.put(customer);
    const request = aRequest(customer.customerId);
    await handler(anSqsEvent([request]));
    const messageId = messageIdFor(customer.customerId, request.requestId);
    const fallback = (tried: string[]) => ({
      kind: 'fallback',
      schemaVersion: 1,
      messageId,
      customerId: customer.customerId,
      triedChannels: tried,
      reason: 'sms: undelivered',
      requestedAt: AFTERNOON.toISOString(),
    });

    // Act
    await handler(anSqsEvent([fallback(['sms'])]));
    await handler(anSqsEvent([fallback(['sms'])]));
    await handler(anSqsEvent([fallback(['sms', 'email'])]));

    // Assess
    expect(await channelMessages('sms')).toMatchObject([{ attempt: 1, fallbackChannels: ['email'] }]);
    expect(await channelMessages('email')).toMatchObject([{ attempt: 2, fallbackChannels: [] }]);
    const message = await ledger.getMessage(customer.customerId, messageId);
    expect(message?.attempts).toEqual([
      { channel: 'sms', attempt: 1 },
      { channel: 'email', attempt: 2 },
    ]);
    expect(message?.status).toBe('undeliverable');
  });

  it('records an undeliverable message for an unknown customer', async () => {
    // Prepare
    const { handler, ledger } = router();
    const request = aRequest('c-nobody');

    // Act
    const response = await handler(anSqsEvent([request]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await ledger.getMessage('c-nobody', messageIdFor('c-nobody', request.requestId))).toMatchObject({
      status: 'undeliverable',
      reasons: ['customer: not found'],
    });
  });
});
