/**
 * Touchpoints end to end on DynamoDB Local and fauxqs: Segment spec payloads through `POST /v1/events`
 * and through the touchpoints queue (published with the client, consumed by the real consumer),
 * de-duplication, per-event rejection, anonymous → identified stitching, unknown customers.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { identify, SwitchboardApiClient, trackEvent } from '@switchboard/client';
import type { SQSEvent } from 'aws-lambda';
import { DynamoDbCustomerStore } from '../../functions/adapters/dynamodb/customer-store';
import { fromTouchpointItem } from '../../functions/adapters/dynamodb/messages-table';
import type { DynamoDbTimelineReader } from '../../functions/adapters/dynamodb/timeline-reader';
import { DynamoDbTouchpointStore } from '../../functions/adapters/dynamodb/touchpoint-store';
import { addressKeyerFromEnv } from '../../functions/adapters/secrets/keyed-hash';
import type { TouchpointEventInput, TouchpointsAccepted } from '../../functions/contract';
import { recordTouchpoint } from '../../functions/domain/touchpoints/record-touchpoints';
import { createApiHandler } from '../../functions/handlers/api';
import { createRecordTouchpointsHandler } from '../../functions/handlers/record-touchpoints';
import { apiPorts } from '../../functions/wiring/api-ports';
import { touchpointPorts } from '../../functions/wiring/touchpoint-ports';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent } from '../helpers/factories';
import { anApiEvent, fetchThrough } from '../helpers/http-api';
import { entriesOf, timelineReader } from '../helpers/timeline';
import { anAnonymousId, anIdentifyEvent, aSegmentFixture, aTrackEvent } from '../helpers/touchpoints';

describe('Touchpoints: POST /v1/events and the touchpoints queue', () => {
  const clients = testClients();
  const silent = new Logger({ serviceName: 'touchpoints-test', logLevel: 'SILENT' });
  let resources: LocalResources;
  let api: ReturnType<typeof createApiHandler>;
  let consumer: ReturnType<typeof createRecordTouchpointsHandler>;
  let reader: DynamoDbTimelineReader;
  let customers: DynamoDbCustomerStore;
  let store: DynamoDbTouchpointStore;
  afterAll(() => clients.destroy());
  beforeAll(async () => {
    resources = await isolatedResources();
    const config = {
      customersTable: resources.tables.customers,
      messagesTable: resources.tables.messages,
      outboundQueueUrl: resources.queues.outbound,
      retentionDays: 400,
    };
    api = createApiHandler({ ...apiPorts(config, clients), logger: silent });
    consumer = createRecordTouchpointsHandler({
      ...touchpointPorts(config, clients.dynamodb),
      logger: silent,
    });
    reader = timelineReader(resources, clients.dynamodb);
    customers = new DynamoDbCustomerStore({
      client: clients.dynamodb,
      tableName: config.customersTable,
      keyer: addressKeyerFromEnv(),
    });
    store = new DynamoDbTouchpointStore({ client: clients.dynamodb, tableName: config.messagesTable });
  });

  const postEvents = async (body: unknown) => {
    const response = await api(anApiEvent('POST', '/v1/events', body));
    return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') as TouchpointsAccepted };
  };
  const timelineOf = async (customerId: string) => await entriesOf(reader, customerId, 'touchpoint');
  /** Receives what the client published and runs it through the consumer, as Lambda would. */
  const drainQueue = async () => {
    const output = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resources.queues.touchpoints,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const event: SQSEvent = anSqsEvent((output.Messages ?? []).map((message) => message.Body ?? ''));
    return consumer(event);
  };

  it.each(['track', 'identify', 'page'] as const)(
    'accepts the Segment spec %s example through the API',
    async (name) => {
      // Prepare
      const fixture = aSegmentFixture(name);

      // Act
      const { status, body } = await postEvents(fixture);

      // Assess
      expect(status).toBe(202);
      expect(body.results).toEqual([
        { index: 0, messageId: fixture.messageId, status: expect.stringMatching(/accepted|duplicate/) },
      ]);
      const kept = await timelineOf(String(fixture.userId));
      expect(kept.map((touchpoint) => touchpoint.messageId)).toContain(fixture.messageId);
    },
  );

  it('accepts the Segment batch example and puts each event on its customer', async () => {
    // Act
    const { status, body } = await postEvents(aSegmentFixture('batch'));

    // Assess
    expect(status).toBe(202);
    expect(body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
    expect((await timelineOf('019mr8mf4r')).map((touchpoint) => touchpoint.name ?? touchpoint.call)).toEqual([
      'identify',
      'Song Played',
    ]);
  });

  it('stores a duplicate messageId once and says so', async () => {
    // Prepare
    const customerId = `c-dup-${anAnonymousId()}`;
    const event = aTrackEvent({ userId: customerId });

    // Act
    const first = await postEvents(event);
    const second = await postEvents({ batch: [event, event] });

    // Assess
    expect(first.body.results[0]?.status).toBe('accepted');
    expect(second.body).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await timelineOf(customerId)).toHaveLength(1);
  });

  it('rejects a bad event of a batch with its index and field issues and keeps the others', async () => {
    // Prepare
    const customerId = `c-bad-${anAnonymousId()}`;
    const body = {
      batch: [
        aTrackEvent({ userId: customerId }),
        aTrackEvent({ userId: customerId, event: undefined, context: { channel: 'fax' } as never }),
        aTrackEvent({ userId: customerId, event: 'Order Completed' }),
      ],
    };

    // Act
    const { status, body: answer } = await postEvents(body);

    // Assess
    expect(status).toBe(202);
    expect(answer).toMatchObject({ accepted: 2, rejected: 1 });
    expect(answer.results[1]).toEqual({
      index: 1,
      messageId: body.batch[1]?.messageId,
      status: 'rejected',
      issues: expect.arrayContaining([
        { field: 'batch[1].event', message: 'is required for a track event' },
        { field: 'batch[1].context.channel', message: expect.stringContaining('must be one of web, mobile') },
      ]),
    });
    expect(await timelineOf(customerId)).toHaveLength(2);
  });

  it('answers 400 with the issues when no event could be kept, and 413 past 500 KB', async () => {
    // Act
    const none = await api(anApiEvent('POST', '/v1/events', { type: 'track', userId: 'c-1' }));
    const huge = await api(anApiEvent('POST', '/v1/events', { batch: [], padding: 'x'.repeat(600 * 1024) }));

    // Assess
    expect(none.statusCode).toBe(400);
    expect(JSON.parse(none.body ?? '{}').issues).toEqual(
      expect.arrayContaining([{ field: 'messageId', message: 'is required' }]),
    );
    expect(huge.statusCode).toBe(413);
  });

  it('records events with the API client, which reports each one', async () => {
    // Prepare
    const client = new SwitchboardApiClient({ baseUrl: 'http://127.0.0.1/', fetch: fetchThrough(api) });
    const customerId = `c-client-${anAnonymousId()}`;

    // Act
    const answer = await client.recordEvents({
      batch: [aTrackEvent({ userId: customerId }), aTrackEvent({ userId: customerId, messageId: '' })],
    });

    // Assess
    expect(answer).toMatchObject({ accepted: 1, rejected: 1 });
    expect(answer.results[1]).toMatchObject({
      index: 1,
      status: 'rejected',
      issues: [{ field: 'batch[1].messageId' }],
    });
  });

  it('keeps events for a customer Switchboard does not know yet, and shows them once the profile exists', async () => {
    // Prepare
    const customer = aCustomer();
    const event = anIdentifyEvent({ userId: customer.customerId, traits: { plan: 'gold' } });

    // Act
    const answer = await postEvents(event);
    await api(anApiEvent('PUT', `/v1/customers/${customer.customerId}`, customer));
    const timeline = await api(anApiEvent('GET', `/v1/customers/${customer.customerId}/timeline`));

    // Assess
    expect(answer.body.accepted).toBe(1);
    expect(JSON.parse(timeline.body ?? '{}')).toMatchObject({
      entries: [
        expect.objectContaining({ type: 'touchpoint', messageId: event.messageId, call: 'identify' }),
      ],
    });
  });

  it('updates attributes from identify traits, never addresses or consent, and ignores an older identify', async () => {
    // Prepare
    const customer = aCustomer({ attributes: { firstName: 'Ada' } });
    await customers.put(customer);

    // Act
    await postEvents(
      anIdentifyEvent({
        userId: customer.customerId,
        timestamp: '2026-11-23T10:00:00Z',
        traits: { plan: 'gold', email: 'someone-else@example.com', phone: '+33699999999' },
      }),
    );
    await postEvents(
      anIdentifyEvent({
        userId: customer.customerId,
        timestamp: '2026-11-22T10:00:00Z',
        traits: { plan: 'silver' },
      }),
    );
    const stored = await customers.get(customer.customerId);

    // Assess
    expect(stored?.customer.attributes).toEqual({ firstName: 'Ada', plan: 'gold' });
    expect(stored?.customer.addresses).toEqual(customer.addresses);
    expect(stored?.customer.consent).toEqual(customer.consent);
  });

  it('records events published with the client through the queue consumer, a repeat as a duplicate', async () => {
    // Prepare
    const customerId = `c-queue-${anAnonymousId()}`;
    const options = { client: clients.sqs, queueUrl: resources.queues.touchpoints };
    const messageId = await trackEvent(
      { userId: customerId, event: 'Store Visit', context: { channel: 'store' } },
      options,
    );
    await identify({ userId: customerId, traits: { plan: 'gold' } }, options);
    await trackEvent(
      { userId: customerId, event: 'Store Visit', messageId, context: { channel: 'store' } },
      options,
    );

    // Act
    const response = await drainQueue();

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const kept = await timelineOf(customerId);
    expect(kept.map((touchpoint) => [touchpoint.call, touchpoint.channel])).toEqual(
      expect.arrayContaining([
        ['track', 'store'],
        ['identify', undefined],
      ]),
    );
    expect(kept).toHaveLength(2);
  });

  it('refuses to publish an invalid event with the client, and fails a queue record with a bad event after keeping the good ones', async () => {
    // Prepare
    const customerId = `c-queue-bad-${anAnonymousId()}`;
    const good = aTrackEvent({ userId: customerId });
    const bad = aTrackEvent({ userId: customerId, event: undefined });

    // Act
    const publishing = trackEvent(
      { userId: customerId, event: '' },
      {
        client: clients.sqs,
        queueUrl: resources.queues.touchpoints,
      },
    );
    const response = await consumer(anSqsEvent([{ batch: [good, bad] }]));

    // Assess
    await expect(publishing).rejects.toThrow(/event: must not be empty/);
    expect(response.batchItemFailures).toHaveLength(1);
    expect((await timelineOf(customerId)).map((touchpoint) => touchpoint.messageId)).toEqual([
      good.messageId,
    ]);
  });

  describe('anonymous → identified', () => {
    const anonymousBrowsing = (anonymousId: string): TouchpointEventInput[] => [
      aTrackEvent({ anonymousId, event: 'Product Viewed', timestamp: '2026-11-23T09:00:00Z' }),
      aTrackEvent({ anonymousId, event: 'Product Added', timestamp: '2026-11-23T09:01:00Z' }),
      {
        type: 'page',
        anonymousId,
        name: 'Cart',
        messageId: `page-${anonymousId}`,
        timestamp: '2026-11-23T09:02:00Z',
      },
    ];

    it('stitches the anonymous history onto the customer once, even when the identify comes twice', async () => {
      // Prepare
      const anonymousId = anAnonymousId();
      const customerId = `c-stitch-${anonymousId}`;
      const before = anonymousBrowsing(anonymousId);
      await postEvents({ batch: before });
      const login = anIdentifyEvent({ userId: customerId, anonymousId, timestamp: '2026-11-23T09:03:00Z' });

      // Act
      const first = await postEvents(login);
      const again = await postEvents(login);
      const after = aTrackEvent({ anonymousId, event: 'Order Completed', timestamp: '2026-11-23T09:04:00Z' });
      await postEvents(after);
      await postEvents({ batch: before });

      // Assess
      expect(first.body.accepted).toBe(1);
      expect(again.body.duplicates).toBe(1);
      const timeline = await timelineOf(customerId);
      expect(timeline.map((touchpoint) => touchpoint.occurredAt)).toEqual([
        '2026-11-23T09:04:00.000Z',
        '2026-11-23T09:03:00.000Z',
        '2026-11-23T09:02:00.000Z',
        '2026-11-23T09:01:00.000Z',
        '2026-11-23T09:00:00.000Z',
      ]);
      expect(timeline.every((touchpoint) => touchpoint.customerId === customerId)).toBe(true);
      expect(await store.moveAnonymousHistory(anonymousId, customerId)).toEqual({
        copied: 0,
        alreadyThere: 0,
      });
    });

    it('neither loses nor doubles an event whose move was interrupted between copy and delete', async () => {
      // Prepare: a touchpoint copied onto the customer but, as after a crash, still on the anonymous profile.
      const anonymousId = anAnonymousId();
      const customerId = `c-crash-${anonymousId}`;
      const [viewed] = anonymousBrowsing(anonymousId);
      await postEvents(viewed);
      const ports = touchpointPorts(
        {
          customersTable: resources.tables.customers,
          messagesTable: resources.tables.messages,
          retentionDays: 400,
        },
        clients.dynamodb,
      );
      await ports.touchpoints.link(anonymousId, customerId);
      const anonymousCopy = (await ledgerItemsOf(`anonymous#${anonymousId}`)).find(
        (item) => item.kind === 'touchpoint',
      );
      await store.put(
        { kind: 'customer', customerId },
        { ...fromTouchpointItem(anonymousCopy ?? {}), customerId },
      );

      // Act: the identify is redelivered.
      await recordTouchpoint(
        { type: 'identify', userId: customerId, anonymousId, messageId: `login-${anonymousId}` },
        { ...ports },
      );

      // Assess
      expect((await timelineOf(customerId)).map((touchpoint) => touchpoint.messageId).sort()).toEqual(
        [viewed?.messageId, `login-${anonymousId}`].sort(),
      );
      expect(
        (await ledgerItemsOf(`anonymous#${anonymousId}`)).filter((item) => item.kind === 'touchpoint'),
      ).toEqual([]);
    });

    it('loses no event when an identify stitches while an anonymous event is being written', async () => {
      // Prepare: the identify runs after the event has found no stitch but before it is written.
      const anonymousId = anAnonymousId();
      const customerId = `c-race-${anonymousId}`;
      const ports = touchpointPorts(
        {
          customersTable: resources.tables.customers,
          messagesTable: resources.tables.messages,
          retentionDays: 400,
        },
        clients.dynamodb,
      );
      const login = anIdentifyEvent({ userId: customerId, anonymousId });
      const racing: typeof ports.touchpoints = {
        stitchedCustomer: (id) => ports.touchpoints.stitchedCustomer(id),
        link: (id, customer) => ports.touchpoints.link(id, customer),
        eraseLinkedAnonymousProfiles: (customer) => ports.touchpoints.eraseLinkedAnonymousProfiles(customer),
        moveAnonymousHistory: (id, customer) => ports.touchpoints.moveAnonymousHistory(id, customer),
        moveTouchpoint: (id, customer, touchpoint) =>
          ports.touchpoints.moveTouchpoint(id, customer, touchpoint),
        put: async (profile, touchpoint) => {
          if (profile.kind === 'anonymous') await postEvents(login);
          return ports.touchpoints.put(profile, touchpoint);
        },
      };
      const viewed = aTrackEvent({ anonymousId, event: 'Product Viewed' });

      // Act
      const outcome = await recordTouchpoint(viewed as never, { ...ports, touchpoints: racing });

      // Assess
      expect(outcome).toBe('stored');
      expect((await timelineOf(customerId)).map((touchpoint) => touchpoint.messageId).sort()).toEqual(
        [viewed.messageId, login.messageId].sort(),
      );
      expect(
        (await ledgerItemsOf(`anonymous#${anonymousId}`)).filter((item) => item.kind === 'touchpoint'),
      ).toEqual([]);
    });

    it('moves only the late event itself when its visitor is linked while it is written, and the identify finishes the rest', async () => {
      // Prepare: two events on the visitor, then an identify that linked but crashed before its move.
      const anonymousId = anAnonymousId();
      const customerId = `c-late-${anonymousId}`;
      const [viewed, added] = anonymousBrowsing(anonymousId);
      await postEvents({ batch: [viewed, added] });
      const ports = touchpointPorts(
        {
          customersTable: resources.tables.customers,
          messagesTable: resources.tables.messages,
          retentionDays: 400,
        },
        clients.dynamodb,
      );
      const linkingWhileWritten: typeof ports.touchpoints = {
        stitchedCustomer: (id) => ports.touchpoints.stitchedCustomer(id),
        link: (id, customer) => ports.touchpoints.link(id, customer),
        eraseLinkedAnonymousProfiles: (customer) => ports.touchpoints.eraseLinkedAnonymousProfiles(customer),
        moveAnonymousHistory: (id, customer) => ports.touchpoints.moveAnonymousHistory(id, customer),
        moveTouchpoint: (id, customer, touchpoint) =>
          ports.touchpoints.moveTouchpoint(id, customer, touchpoint),
        put: async (profile, touchpoint) => {
          if (profile.kind === 'anonymous') await ports.touchpoints.link(anonymousId, customerId);
          return ports.touchpoints.put(profile, touchpoint);
        },
      };
      const late = aTrackEvent({ anonymousId, event: 'Checkout Started', timestamp: '2026-11-23T09:05:00Z' });

      // Act
      const outcome = await recordTouchpoint(late as never, { ...ports, touchpoints: linkingWhileWritten });
      const leftBeforeRetry = await anonymousTouchpointsOf(anonymousId);
      await postEvents(
        anIdentifyEvent({ userId: customerId, anonymousId, messageId: `login-${anonymousId}` }),
      );

      // Assess
      expect(outcome).toBe('stored');
      expect(leftBeforeRetry.map((item) => item.sk).sort()).toEqual(
        [`touchpoint#${viewed?.messageId}`, `touchpoint#${added?.messageId}`].sort(),
      );
      expect((await timelineOf(customerId)).map((touchpoint) => touchpoint.messageId).sort()).toEqual(
        [viewed?.messageId, added?.messageId, late.messageId, `login-${anonymousId}`].sort(),
      );
      expect(await anonymousTouchpointsOf(anonymousId)).toEqual([]);
    });

    it('neither loses nor doubles anonymous events published at the same time as the identify that stitches them', async () => {
      // Prepare
      const anonymousId = anAnonymousId();
      const customerId = `c-concurrent-${anonymousId}`;
      const early = anonymousBrowsing(anonymousId);
      await postEvents({ batch: early });
      const concurrent = Array.from({ length: 12 }, (_, index) =>
        aTrackEvent({ anonymousId, event: 'Product Viewed', messageId: `view-${index}-${anonymousId}` }),
      );
      const login = anIdentifyEvent({ userId: customerId, anonymousId });

      // Act: events alone, in a batch with the identify, and some again, all at once.
      const answers = await Promise.all([
        ...concurrent.slice(0, 6).map((event) => postEvents(event)),
        postEvents({ batch: [...concurrent.slice(6, 9), login, ...concurrent.slice(9)] }),
        postEvents({ batch: concurrent.slice(3, 6) }),
      ]);

      // Assess
      expect(answers.every((answer) => answer.status === 202)).toBe(true);
      const stored = (await timelineOf(customerId)).map((touchpoint) => touchpoint.messageId).sort();
      expect(stored).toEqual([...early, ...concurrent, login].map((event) => String(event.messageId)).sort());
      expect(await anonymousTouchpointsOf(anonymousId)).toEqual([]);
    });

    it('keeps the first customer an anonymous profile was stitched to', async () => {
      // Prepare
      const anonymousId = anAnonymousId();
      await postEvents(anonymousBrowsing(anonymousId)[0]);
      await postEvents(anIdentifyEvent({ userId: `c-first-${anonymousId}`, anonymousId }));

      // Act
      await postEvents(anIdentifyEvent({ userId: `c-second-${anonymousId}`, anonymousId }));

      // Assess
      expect(await timelineOf(`c-first-${anonymousId}`)).toHaveLength(2);
      expect(await timelineOf(`c-second-${anonymousId}`)).toHaveLength(1);
    });
  });

  async function anonymousTouchpointsOf(anonymousId: string): Promise<Record<string, unknown>[]> {
    return (await ledgerItemsOf(`anonymous#${anonymousId}`)).filter((item) => item.kind === 'touchpoint');
  }

  async function ledgerItemsOf(pk: string): Promise<Record<string, unknown>[]> {
    const { DynamoDBDocumentClient, QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const documents = DynamoDBDocumentClient.from(clients.dynamodb);
    const output = await documents.send(
      new QueryCommand({
        TableName: resources.tables.messages,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }),
    );
    return output.Items ?? [];
  }
});
