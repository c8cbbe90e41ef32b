/**
 * Erasure end to end on DynamoDB Local and fauxqs: a customer erased while channel messages are
 * queued, a request is in flight and a schedule is pending gets nothing sent afterwards, and nothing
 * of theirs is written back — by the senders, the router, the late webhooks or the receipt check.
 * What is left is what docs/customers-and-routing.md ("Erasure") documents: the hashed suppression
 * entry and the erasure tombstones (ids and a TTL, no contact data or content).
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbLinkStore } from '../../functions/adapters/dynamodb/link-store';
import { anonymousContactId } from '../../functions/adapters/dynamodb/messages-table';
import { addressKeyerFromEnv } from '../../functions/adapters/secrets/keyed-hash';
import { createTwilioSmsSender } from '../../functions/adapters/twilio/sms-sender';
import type { ChannelMessage, Customer, MessageRequest } from '../../functions/contract';
import type { LinkTrackingSettings } from '../../functions/domain/links/link-tracking';
import type { createApiHandler } from '../../functions/handlers/api';
import { createClickRedirectHandler } from '../../functions/handlers/click-redirect';
import { createRouteMessagesHandler } from '../../functions/handlers/route-messages';
import { attributionPorts } from '../../functions/wiring/attribution-ports';
import { routerPorts } from '../../functions/wiring/router-ports';
import type { LocalResources } from '../../local/emulators';
import { apiUnderTest } from '../helpers/api-handler';
import { sendMessage } from '../helpers/attribution';
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server';
import { TEST_TWILIO_CREDENTIALS } from '../helpers/channel-messages';
import { channelRecord, eventOf, sendersUnderTest } from '../helpers/channel-senders';
import { isolatedResources, testClients, testEndpoints } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest, consent } from '../helpers/factories';
import { anApiEvent } from '../helpers/http-api';
import { startLedgerStream } from '../helpers/ledger-stream';
import { linkItems, shortLinkTokens } from '../helpers/links';
import { quietMetrics } from '../helpers/metrics';
import { routerConfig } from '../helpers/router';
import { entriesOf } from '../helpers/timeline';
import { anIdentifyEvent, aTrackEvent } from '../helpers/touchpoints';
import { twilioFixtures, twilioRequest, twilioStatusRequest } from '../helpers/webhook-requests';
import { aMessageSid, TestClock, webhookSystem } from '../helpers/webhook-system';

const STATUS_CALLBACK = 'https://hooks.example.com/webhooks/twilio/status';

describe('Use case: erase a customer', () => {
  const clients = testClients();
  // The handlers under test key addresses under the run's pepper, from the environment.
  const keyer = addressKeyerFromEnv();
  let twilio: CaptureServer;
  let resources: LocalResources;
  let clock: TestClock;
  let system: ReturnType<typeof webhookSystem>;
  let senders: ReturnType<typeof sendersUnderTest>;
  let cancelled: string[];
  let api: ReturnType<typeof createApiHandler>;

  beforeAll(async () => {
    twilio = await startCaptureServer();
  });
  afterAll(async () => {
    await twilio?.stop();
    clients.destroy();
  });
  // Each system polls its tables' streams until stopped.
  afterEach(() => system.stop());
  beforeEach(async () => {
    resources = await isolatedResources();
    clock = new TestClock(new Date());
    system = webhookSystem(resources, clients, clock);
    senders = sendersUnderTest(resources, clients, { now: clock.now });
    cancelled = [];
    api = apiUnderTest(resources, clients, {
      ports: {
        now: clock.now,
        // A recording canceller: EventBridge Scheduler does not run locally.
        schedules: {
          cancel: async (keys) => {
            cancelled.push(...keys);
            return keys.length;
          },
        },
      },
    });
    twilio.requests.length = 0;
    twilio.respondWith(() => ({
      status: 201,
      body: { sid: aMessageSid(), status: 'queued' },
    }));
  });

  const smsHandler = (linkTracking?: LinkTrackingSettings) =>
    senders.handlerFor(
      'sms',
      createTwilioSmsSender({
        credentials: async () => TEST_TWILIO_CREDENTIALS,
        settings: { from: '+14155552345', statusCallbackUrl: STATUS_CALLBACK, apiBaseUrl: twilio.url },
      }),
      { now: clock.now, ...(linkTracking ? { linkTracking } : {}) },
    );

  /** A customer reachable by SMS (email as fallback), opted out of marketing by SMS. */
  function anSmsCustomer(): Customer {
    return aCustomer({
      preferences: { channels: ['sms', 'email'] },
      consent: { marketing: { sms: consent('opted_out') } },
    });
  }

  const smsRequest = (customer: Customer, overrides: Parameters<typeof aRequest>[1] = {}): MessageRequest =>
    aRequest(customer.customerId, { routing: { channels: ['sms', 'email'] }, ...overrides });

  async function putCustomer(customer: Customer): Promise<void> {
    const response = await api(anApiEvent('PUT', `/v1/customers/${customer.customerId}`, customer));
    expect([200, 201]).toContain(response.statusCode);
  }

  /** Erases through the API; returns when. */
  async function erase(customer: Customer): Promise<Date> {
    const response = await api(anApiEvent('DELETE', `/v1/customers/${customer.customerId}`));
    expect(response.statusCode).toBe(204);
    return clock.now();
  }

  /** An inbound SMS from an address, signed as Twilio signs it. */
  const inboundSms = (from: string, text: string) => {
    const sid = aMessageSid();
    return twilioRequest(
      '/webhooks/twilio/inbound',
      twilioFixtures.inboundSms(text, { From: from, MessageSid: sid, SmsSid: sid, SmsMessageSid: sid }),
    );
  };

  /** Every item of both tables, unmarshalled, with the table it is in. */
  async function everyItem(): Promise<{ table: string; item: Record<string, unknown> }[]> {
    const all: { table: string; item: Record<string, unknown> }[] = [];
    for (const table of [resources.tables.customers, resources.tables.messages]) {
      const output = await clients.dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
      for (const item of output.Items ?? []) all.push({ table, item: unmarshall(item) });
    }
    return all;
  }

  /** The items that name the customer: their id, any of their addresses or their contact ids. */
  async function itemsOf(customer: Customer) {
    const phone = customer.addresses.sms ?? '';
    const needles = [
      customer.customerId,
      phone,
      phone.replace('+', ''),
      customer.addresses.email ?? '',
      await anonymousContactId(keyer, 'sms', phone),
      await anonymousContactId(keyer, 'email', customer.addresses.email ?? ''),
    ].filter(Boolean);
    return (await everyItem()).filter(({ item }) =>
      needles.some((needle) => JSON.stringify(item).includes(needle)),
    );
  }

  /** Asserts the only items naming the customer are erasure tombstones: keys and a TTL, nothing else. */
  async function expectOnlyTombstones(customer: Customer, erasedAt: Date): Promise<void> {
    const left = await itemsOf(customer);
    for (const { item } of left) {
      expect(item.kind).toBe('erased');
      expect(Object.keys(item).sort()).toEqual(
        String(item.pk).startsWith('erased#')
          ? ['customerId', 'expiresAt', 'kind', 'pk']
          : ['expiresAt', 'kind', 'pk', 'sk'],
      );
      expect(Number(item.expiresAt)).toBe(Math.floor(erasedAt.getTime() / 1000) + 15 * 24 * 60 * 60);
    }
    const suppressions = (await everyItem()).filter(({ item }) => String(item.pk).startsWith('suppression#'));
    expect(suppressions).toHaveLength(1);
  }

  it('sends nothing and recreates nothing when erased while messages are queued', async () => {
    // Prepare: an inbound SMS before the customer was known (an anonymous contact), the customer,
    // three requests routed to the SMS queue, the first one sent, the others held.
    const customer = anSmsCustomer();
    const phone = customer.addresses.sms!;
    expect((await system.twilio(inboundSms(phone, 'Hello?'))).statusCode).toBe(200);
    await putCustomer(customer);
    const requests = [smsRequest(customer), smsRequest(customer), smsRequest(customer)];
    expect((await system.router.handler(anSqsEvent(requests))).batchItemFailures).toEqual([]);
    const queued: ChannelMessage[] = await senders.channelMessagesOf('sms');
    expect(queued).toHaveLength(3);
    const [first, ...held] = queued as [ChannelMessage, ...ChannelMessage[]];
    const handler = smsHandler();
    expect((await handler(eventOf(channelRecord(first)))).batchItemFailures).toEqual([]);
    const inFlight = smsRequest(customer);

    // Act: erase, then everything that was queued, in flight or late arrives.
    const erasedAt = await erase(customer);
    const sentBefore = twilio.requests.length;
    const senderResults = await handler(
      eventOf(...held.map((message) => channelRecord(message)), channelRecord(first, 2)),
    );
    const routed = await system.router.handler(anSqsEvent([inFlight]));
    const key = (message: ChannelMessage) => ({
      customerId: message.customerId,
      messageId: message.messageId,
      attempt: message.attempt,
    });
    const sid = aMessageSid();
    const late = [
      await system.twilio(
        twilioStatusRequest(
          twilioFixtures.smsStatus('delivered', { MessageSid: sid, SmsSid: sid, To: phone }),
          key(first),
        ),
      ),
      await system.twilio(
        twilioStatusRequest(
          twilioFixtures.smsStatus('undelivered', {
            MessageSid: sid,
            SmsSid: sid,
            To: phone,
            ErrorCode: '30003',
          }),
          key(held[0]!),
        ),
      ),
    ];
    const receiptCheck = await system.receiptTimeout(
      system.receiptCheckEvent({
        schemaVersion: 1,
        messageId: first.messageId,
        customerId: customer.customerId,
        channel: 'sms',
        attempt: 1,
        dueAt: clock.now().toISOString(),
      }),
    );
    const fallbacks = await system.routeOutbound();

    // Assess
    expect(sentBefore).toBe(1);
    expect(senderResults.batchItemFailures).toEqual([]);
    expect(routed.batchItemFailures).toEqual([]);
    expect(late.map((response) => response.statusCode)).toEqual([200, 200]);
    expect(receiptCheck.batchItemFailures).toEqual([]);
    expect(fallbacks).toEqual([]);
    expect(twilio.requests.length).toBe(sentBefore);
    expect(await senders.channelMessagesOf('sms')).toHaveLength(0);
    expect(await senders.channelMessagesOf('email')).toHaveLength(0);
    await expectOnlyTombstones(customer, erasedAt);
    expect((await api(anApiEvent('GET', `/v1/customers/${customer.customerId}/timeline`))).body).toContain(
      '"entries":[]',
    );
  });

  it('deletes pending schedules and drops a delayed hop of the local delay chain when it comes back', async () => {
    // Prepare: a request for tomorrow, which the router parks on the SQS delay chain.
    const customer = anSmsCustomer();
    await putCustomer(customer);
    const tomorrow = new Date(clock.now().getTime() + 24 * 60 * 60 * 1000);
    const request = smsRequest(customer, { sendAt: tomorrow.toISOString() });
    expect((await system.router.handler(anSqsEvent([request]))).batchItemFailures).toEqual([]);
    const delayed = await clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: resources.queues.outbound,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(delayed.Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
    const messageId = (await entriesOf(system.router.timeline, customer.customerId, 'message'))[0]?.messageId;

    // Act: erase; then the hop comes back (the chain re-publishes the same body) once it is due.
    const erasedAt = await erase(customer);
    clock.advance(24 * 60 * 60 + 60);
    const hop = await system.router.handler(anSqsEvent([request]));

    // Assess
    expect(cancelled).toEqual([messageId]);
    expect(hop.batchItemFailures).toEqual([]);
    expect(await senders.channelMessagesOf('sms')).toHaveLength(0);
    expect(twilio.requests).toHaveLength(0);
    await expectOnlyTombstones(customer, erasedAt);
  });

  it('removes the link items of the customer’s messages, and a click after the erase finds nothing', async () => {
    // Prepare: an SMS with two links sent with tracking, one of them clicked.
    const customer = anSmsCustomer();
    await putCustomer(customer);
    const request = smsRequest(customer, {
      content: { text: 'Track it at https://shop.example/o/1 or see https://shop.example/help' },
    });
    expect((await system.router.handler(anSqsEvent([request]))).batchItemFailures).toEqual([]);
    const [message] = await senders.channelMessagesOf('sms');
    const handler = smsHandler({ baseUrl: 'https://go.example.com', categories: {} });
    expect((await handler(eventOf(channelRecord(message as ChannelMessage)))).batchItemFailures).toEqual([]);
    const tokens = shortLinkTokens(new URLSearchParams(twilio.requests.at(-1)?.body).get('Body') ?? '');
    expect(tokens).toHaveLength(2);
    const clicks = createClickRedirectHandler({
      links: new DynamoDbLinkStore({ client: clients.dynamodb, tableName: resources.tables.messages }),
      logger: new Logger({ serviceName: 'erasure-test', logLevel: 'SILENT' }),
    });
    expect((await clicks(anApiEvent('GET', `/c/${tokens[0]}`))).statusCode).toBe(302);
    expect(await linkItems(clients.dynamodb, resources.tables.messages)).toHaveLength(2);

    // Act
    const erasedAt = await erase(customer);
    const after = await clicks(anApiEvent('GET', `/c/${tokens[1]}`));

    // Assess
    expect(after.statusCode).toBe(404);
    expect(await linkItems(clients.dynamodb, resources.tables.messages)).toEqual([]);
    await expectOnlyTombstones(customer, erasedAt);
  });

  it('removes the anonymous-contact partitions of the customer’s addresses', async () => {
    // Prepare: inbound from the phone and the email before the profile existed.
    const customer = anSmsCustomer();
    await system.twilio(inboundSms(customer.addresses.sms!, 'Who is this?'));
    await putCustomer(customer);
    const contact = `contact#${await anonymousContactId(keyer, 'sms', customer.addresses.sms!)}`;
    expect((await everyItem()).some(({ item }) => item.pk === contact)).toBe(true);

    // Act
    const erasedAt = await erase(customer);

    // Assess
    expect((await everyItem()).some(({ item }) => item.pk === contact)).toBe(false);
    await expectOnlyTombstones(customer, erasedAt);
  });

  it('removes the anonymous profiles stitched to the customer and records none of their events afterwards', async () => {
    // Prepare: a visitor browses anonymously, logs in (identify stitches the history), browses on.
    const customer = anSmsCustomer();
    await putCustomer(customer);
    const anonymousId = `anon-${customer.customerId}`;
    const post = async (event: object) => {
      const response = await api(anApiEvent('POST', '/v1/events', event));
      expect(response.statusCode).toBe(202);
    };
    await post(aTrackEvent({ anonymousId, event: 'Product Viewed' }));
    await post(anIdentifyEvent({ userId: customer.customerId, anonymousId }));
    await post(aTrackEvent({ anonymousId, event: 'Product Added' }));
    const naming = async () =>
      (await everyItem()).filter(({ item }) => JSON.stringify(item).includes(anonymousId));
    expect((await naming()).length).toBeGreaterThan(0);

    // Act
    const erasedAt = await erase(customer);
    const afterwards = await api(
      anApiEvent('POST', '/v1/events', {
        batch: [
          aTrackEvent({ userId: customer.customerId, event: 'Order Completed' }),
          anIdentifyEvent({ userId: customer.customerId, anonymousId: `${anonymousId}-2` }),
        ],
      }),
    );

    // Assess: nothing names the visitor, nothing of the customer came back, the events were refused.
    expect(await naming()).toEqual([]);
    await expectOnlyTombstones(customer, erasedAt);
    expect(
      (await everyItem()).filter(({ item }) => JSON.stringify(item).includes(`${anonymousId}-2`)),
    ).toEqual([]);
    expect(afterwards.statusCode).toBe(400);
    expect(JSON.parse(afterwards.body ?? '{}').issues).toEqual([
      { field: 'userId', message: 'the customer was erased: nothing about them is recorded' },
      { field: 'userId', message: 'the customer was erased: nothing about them is recorded' },
    ]);
  });

  it('records events again for an id whose profile was made again after its erase, as the router routes it', async () => {
    // Prepare
    const customer = anSmsCustomer();
    await putCustomer(customer);
    await erase(customer);
    const refused = await api(
      anApiEvent('POST', '/v1/events', aTrackEvent({ userId: customer.customerId, event: 'Product Viewed' })),
    );
    clock.advance(1);
    await putCustomer(customer);

    // Act
    const accepted = await api(
      anApiEvent(
        'POST',
        '/v1/events',
        aTrackEvent({ userId: customer.customerId, event: 'Order Completed' }),
      ),
    );

    // Assess
    expect(refused.statusCode).toBe(400);
    expect(accepted.statusCode).toBe(202);
    expect(JSON.parse(accepted.body ?? '{}')).toMatchObject({ accepted: 1 });
  });

  it('removes the customer’s conversions and claims, and keeps aggregates that name nobody', async () => {
    // Prepare: a push, then a store purchase the stream credits to it.
    const customer = anSmsCustomer();
    await putCustomer(customer);
    const stream = await startLedgerStream(testEndpoints(), resources, clients, {
      attribution: attributionPorts({ client: clients.dynamodb, messagesTable: resources.tables.messages }),
    });
    try {
      const sentAt = new Date(clock.now().getTime() - 60 * 60 * 1000).toISOString();
      await sendMessage(clients.dynamodb, resources.tables.messages, {
        customerId: customer.customerId,
        messageId: `m-${customer.customerId}`,
        channel: 'push',
        sentAt,
      });
      const posted = await api(
        anApiEvent(
          'POST',
          '/v1/events',
          aTrackEvent({
            userId: customer.customerId,
            event: 'Order Completed',
            timestamp: clock.now().toISOString(),
          }),
        ),
      );
      expect(posted.statusCode).toBe(202);
      await stream.caughtUp();
      const kinds = async () =>
        (await everyItem())
          .map(({ item }) => item.kind)
          .filter((kind) => String(kind).startsWith('conversion'));
      expect((await kinds()).sort()).toEqual(['conversion', 'conversion-credit']);

      // Act
      const erasedAt = await erase(customer);

      // Assess
      expect(await kinds()).toEqual([]);
      await expectOnlyTombstones(customer, erasedAt);
      const aggregates = (await everyItem()).filter(({ item }) => item.kind === 'attribution-aggregate');
      expect(aggregates.length).toBeGreaterThan(0);
    } finally {
      await stream.stop();
    }
  });

  it('sends nothing and keeps nothing for a request routed at the moment of the erase', async () => {
    // Prepare: the erase runs after the router read the customer (no tombstone yet) and before its writes.
    const customer = anSmsCustomer();
    await putCustomer(customer);
    const ports = routerPorts({
      config: routerConfig(resources),
      dynamodb: clients.dynamodb,
      sqs: clients.sqs,
      now: clock.now,
    });
    let erasedAt: Date | undefined;
    const racing = createRouteMessagesHandler({
      ...ports,
      customers: {
        getRoutingProfiles: async (ids) => {
          const profiles = await ports.customers.getRoutingProfiles(ids);
          erasedAt = await erase(customer);
          return profiles;
        },
        tombstonedAmong: (ids) => ports.customers.tombstonedAmong(ids),
      },
      logger: new Logger({ serviceName: 'erasure-test', logLevel: 'SILENT' }),
      metrics: quietMetrics('erasure-test'),
    });

    // Act
    const routed = await racing(anSqsEvent([smsRequest(customer, { category: 'transactional' })]));

    // Assess
    expect(routed.batchItemFailures).toEqual([]);
    expect(await senders.channelMessagesOf('sms')).toHaveLength(0);
    await expectOnlyTombstones(customer, erasedAt ?? new Date(0));
  });

  it('routes a customer made again after the erase as the new customer', async () => {
    // Prepare
    const customer = anSmsCustomer();
    await putCustomer(customer);
    await erase(customer);
    await putCustomer(customer);

    // Act
    const routed = await system.router.handler(anSqsEvent([smsRequest(customer)]));

    // Assess
    expect(routed.batchItemFailures).toEqual([]);
    expect(await senders.channelMessagesOf('sms')).toHaveLength(1);
  });
});
