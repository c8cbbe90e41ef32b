/**
 * Frequency caps through the router's real handler on DynamoDB Local and fauxqs: counters on the
 * profile item, deferral through the scheduler, drops, priority, races and erasure.
 */

import { DynamoDBClient as Client, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { customersDocuments, profileKey } from '../../functions/adapters/dynamodb/customers-table';
import type { Customer, MessageRequest } from '../../functions/contract';
import { messageIdFor } from '../../functions/domain/message-id';
import { cappedScheduleKey, FrequencyCapsSchema } from '../../functions/domain/routing/frequency-caps';
import type { LocalResources } from '../../local/emulators';
import { localClientConfig } from '../../local/emulators';
import { isolatedResources, testClients, testEndpoints } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest, consent } from '../helpers/factories';
import { routerUnderTest } from '../helpers/router';
import { entriesOf } from '../helpers/timeline';

// 14:00 in Paris: outside quiet hours. The next UTC day starts at 2026-11-24T00:00Z.
const AFTERNOON = new Date('2026-11-23T13:00:00Z');
const NEXT_DAY = new Date('2026-11-24T00:00:00.000Z');

const ONE_A_DAY = FrequencyCapsSchema.parse([{ categories: ['marketing'], max: 1, per: 'P1D' }]);

describe('Function: route-messages handler with frequency caps', () => {
  const clients = testClients();
  let resources: LocalResources;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
  });

  const router = (options: Parameters<typeof routerUnderTest>[2] = {}) =>
    routerUnderTest(resources, clients, { now: () => AFTERNOON, frequencyCaps: ONE_A_DAY, ...options });

  /** A customer opted in to marketing by SMS, reached by SMS. */
  const aMarketingCustomer = (): Customer =>
    aCustomer({ preferences: { channels: ['sms'] }, consent: { marketing: { sms: consent('opted_in') } } });

  const marketing = (customer: Customer, overrides: Parameters<typeof aRequest>[1] = {}): MessageRequest =>
    aRequest(customer.customerId, { category: 'marketing', routing: { channels: ['sms'] }, ...overrides });

  /** The profile item as stored, with its counters. */
  const profileItem = async (customerId: string) =>
    (
      await customersDocuments(clients.dynamodb).send(
        new GetCommand({ TableName: resources.tables.customers, Key: { pk: profileKey(customerId) } }),
      )
    ).Item;

  it('defers a second marketing message the same day to the next window, then sends it when the schedule brings it back', async () => {
    // Prepare
    let now = AFTERNOON;
    const scheduled: { key: string; at: Date; body: string }[] = [];
    const { handler, store, ledger, timeline, channelMessages } = router({
      now: () => now,
      scheduler: { schedule: async (input) => void scheduled.push(input) },
    });
    const customer = aMarketingCustomer();
    await store.put(customer);
    const [first, second] = [marketing(customer), marketing(customer)] as [MessageRequest, MessageRequest];
    const secondId = messageIdFor(customer.customerId, second.requestId);
    await handler(anSqsEvent([first]));

    // Act
    await handler(anSqsEvent([second]));

    // Assess
    expect(await channelMessages('sms')).toHaveLength(1);
    expect(scheduled).toEqual([
      { key: cappedScheduleKey(secondId, NEXT_DAY), at: NEXT_DAY, body: JSON.stringify(second) },
    ]);
    const messages = await entriesOf(timeline, customer.customerId, 'message');
    expect(messages.find((entry) => entry.messageId === secondId)).toMatchObject({
      routerStatus: 'capped',
      status: 'capped',
      deliverAt: NEXT_DAY.toISOString(),
      reasons: [
        'capped: at most 1 marketing message per P1D on any channel; deferred until 2026-11-24T00:00:00.000Z',
      ],
    });

    // Act: the window turns at 01:00 in Paris (quiet hours: the message waits past 08:00 again,
    // so the check runs when the quiet hours end).
    now = new Date('2026-11-24T07:00:00Z');
    await handler(anSqsEvent([second]));

    // Assess
    expect(await channelMessages('sms')).toMatchObject([{ requestId: second.requestId }]);
    const sent = await ledger.getMessage(customer.customerId, secondId);
    expect(sent?.history.map((change) => change.status)).toEqual(['capped', 'queued']);
  });

  it('defers a deferred message again when its window is full by the time it comes back', async () => {
    // Prepare: B is deferred to the next day; C takes that day's slot before B's schedule fires.
    let now = AFTERNOON;
    const scheduled: { key: string; at: Date }[] = [];
    const { handler, store, ledger, channelMessages } = router({
      now: () => now,
      scheduler: { schedule: async (input) => void scheduled.push({ key: input.key, at: input.at }) },
    });
    const customer = aMarketingCustomer();
    await store.put(customer);
    const deferred = marketing(customer);
    const deferredId = messageIdFor(customer.customerId, deferred.requestId);
    await handler(anSqsEvent([marketing(customer)]));
    await handler(anSqsEvent([deferred]));
    now = new Date('2026-11-24T09:00:00Z');
    await handler(anSqsEvent([marketing(customer)]));

    // Act
    await handler(anSqsEvent([deferred]));

    // Assess
    const dayAfter = new Date('2026-11-25T00:00:00.000Z');
    expect(scheduled).toEqual([
      { key: cappedScheduleKey(deferredId, NEXT_DAY), at: NEXT_DAY },
      { key: cappedScheduleKey(deferredId, dayAfter), at: dayAfter },
    ]);
    expect(await channelMessages('sms')).toHaveLength(2);
    const message = await ledger.getMessage(customer.customerId, deferredId);
    expect(message).toMatchObject({ status: 'capped', deliverAt: dayAfter.toISOString() });
    expect(message?.history.map((change) => change.status)).toEqual(['capped', 'capped']);
  });

  it('drops a message over a cap configured to drop, and a repeat of its request sends nothing', async () => {
    // Prepare
    const scheduled: unknown[] = [];
    const { handler, store, ledger, channelMessages } = router({
      frequencyCaps: FrequencyCapsSchema.parse([
        { categories: ['marketing'], max: 1, per: 'P1D', overflow: 'drop' },
      ]),
      scheduler: { schedule: async (input) => void scheduled.push(input) },
    });
    const customer = aMarketingCustomer();
    await store.put(customer);
    const second = marketing(customer);
    await handler(anSqsEvent([marketing(customer)]));

    // Act
    const results = [await handler(anSqsEvent([second])), await handler(anSqsEvent([second]))];

    // Assess
    expect(results.flatMap((result) => result.batchItemFailures)).toEqual([]);
    expect(await channelMessages('sms')).toHaveLength(1);
    expect(scheduled).toEqual([]);
    const message = await ledger.getMessage(
      customer.customerId,
      messageIdFor(customer.customerId, second.requestId),
    );
    expect(message).toMatchObject({
      status: 'capped',
      reasons: ['capped: at most 1 marketing message per P1D on any channel; dropped'],
    });
    expect(message?.deliverAt).toBeUndefined();
  });

  it('never caps a transactional message, and does not count it', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const customer = aMarketingCustomer();
    await store.put(customer);

    // Act
    await handler(
      anSqsEvent([1, 2, 3].map(() => aRequest(customer.customerId, { routing: { channels: ['sms'] } }))),
    );
    await handler(anSqsEvent([marketing(customer)]));

    // Assess
    expect(await channelMessages('sms')).toHaveLength(4);
    expect((await profileItem(customer.customerId))?.['cap_marketing.any.P1D']).toMatchObject({ count: 1 });
  });

  it('lets exactly one of two concurrent messages take the last slot', async () => {
    // Prepare: two routers (two Lambda invocations), each with its own batch, whose profile reads
    // both finish before either counts: both read one slot left.
    const caps = FrequencyCapsSchema.parse([{ categories: ['marketing'], max: 2, per: 'P7D' }]);
    const scheduler = { schedule: async () => {} };
    const customer = aMarketingCustomer();
    const setup = router({ frequencyCaps: caps, scheduler });
    await setup.store.put(customer);
    await setup.handler(anSqsEvent([marketing(customer)]));
    const reads = bothReadsDone();
    const [one, two] = [reads.client(), reads.client()].map((dynamodb) =>
      router({ frequencyCaps: caps, scheduler, dynamodb }),
    ) as [typeof setup, typeof setup];

    // Act
    const results = await Promise.all([
      one.handler(anSqsEvent([marketing(customer)])),
      two.handler(anSqsEvent([marketing(customer)])),
    ]);

    // Assess
    expect(reads.waited()).toBe(2);
    expect(results.flatMap((result) => result.batchItemFailures)).toEqual([]);
    expect(await setup.channelMessages('sms')).toHaveLength(2);
    const messages = await entriesOf(setup.timeline, customer.customerId, 'message');
    expect(messages.map((entry) => entry.routerStatus).sort()).toEqual(['capped', 'queued', 'queued']);
    expect((await profileItem(customer.customerId))?.['cap_marketing.any.P7D']).toMatchObject({ count: 2 });
    for (const client of reads.clients) client.destroy();
  });

  /** DynamoDB clients whose first BatchGetItem each waits until both clients have made theirs. */
  function bothReadsDone() {
    const clients: Client[] = [];
    let arrived = 0;
    let release: () => void = () => {};
    const barrier = new Promise<void>((resolve) => {
      release = resolve;
    });
    return {
      clients,
      waited: () => arrived,
      client(): Client {
        const client = new Client(localClientConfig(testEndpoints(), testEndpoints().dynamodbEndpoint));
        let first = true;
        client.middlewareStack.add(
          (next, context) => async (args) => {
            const output = await next(args);
            if (first && context.commandName === 'BatchGetItemCommand') {
              first = false;
              arrived += 1;
              if (arrived === 2) release();
              await barrier;
            }
            return output;
          },
          { step: 'initialize', name: 'waitForBothReads' },
        );
        clients.push(client);
        return client;
      },
    };
  }

  it('counts a redelivered message once when its first delivery failed after counting', async () => {
    // Prepare: the ledger write fails once, after the counter was written.
    const faulty = new Client(localClientConfig(testEndpoints(), testEndpoints().dynamodbEndpoint));
    let failing = true;
    faulty.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { TableName?: string; Item?: unknown };
        if (failing && input.Item && input.TableName === resources.tables.messages) {
          failing = false;
          throw Object.assign(new Error('Throughput exceeds the current capacity'), {
            name: 'ProvisionedThroughputExceededException',
          });
        }
        return next(args);
      },
      { step: 'build', name: 'failOneLedgerWrite' },
    );
    const caps = FrequencyCapsSchema.parse([{ categories: ['marketing'], max: 2, per: 'P1D' }]);
    const { handler, store, channelMessages } = router({ dynamodb: faulty, frequencyCaps: caps });
    const customer = aMarketingCustomer();
    await store.put(customer);
    const event = anSqsEvent([marketing(customer)]);

    // Act
    const first = await handler(event);
    const redelivery = await handler(event);
    const another = await handler(anSqsEvent([marketing(customer)]));

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect([...redelivery.batchItemFailures, ...another.batchItemFailures]).toEqual([]);
    expect(await channelMessages('sms')).toHaveLength(2);
    expect((await profileItem(customer.customerId))?.['cap_marketing.any.P1D']).toMatchObject({ count: 2 });
    faulty.destroy();
  });

  it('sends a high priority message over a full cap and counts it; drops a low priority one', async () => {
    // Prepare
    const scheduled: unknown[] = [];
    const { handler, store, ledger, channelMessages } = router({
      scheduler: { schedule: async (input) => void scheduled.push(input) },
    });
    const customer = aMarketingCustomer();
    await store.put(customer);
    await handler(anSqsEvent([marketing(customer)]));
    const low = marketing(customer, { priority: 'low' });

    // Act
    await handler(anSqsEvent([marketing(customer, { priority: 'high' })]));
    await handler(anSqsEvent([low]));

    // Assess
    expect(await channelMessages('sms')).toHaveLength(2);
    expect((await profileItem(customer.customerId))?.['cap_marketing.any.P1D']).toMatchObject({ count: 2 });
    expect(scheduled).toEqual([]);
    expect(
      await ledger.getMessage(customer.customerId, messageIdFor(customer.customerId, low.requestId)),
    ).toMatchObject({
      status: 'capped',
      reasons: ['capped: at most 1 marketing message per P1D on any channel; dropped (low priority)'],
    });
  });

  it('keeps the counters when the profile is replaced, and erasure removes them with the profile', async () => {
    // Prepare
    const { handler, store, ledger } = router({ scheduler: { schedule: async () => {} } });
    const customer = aMarketingCustomer();
    await store.put(customer);
    const deferred = marketing(customer);
    await handler(anSqsEvent([marketing(customer)]));
    await handler(anSqsEvent([deferred]));

    // Act
    await store.put({ ...customer, locale: 'fr-FR' });
    const kept = await profileItem(customer.customerId);
    await store.erase(customer.customerId);
    const timeline = await ledger.eraseTimeline(customer.customerId, AFTERNOON);

    // Assess
    expect(kept?.['cap_marketing.any.P1D']).toMatchObject({ count: 1 });
    const items = await clients.dynamodb.send(
      new ScanCommand({ TableName: resources.tables.customers, ConsistentRead: true }),
    );
    const left = (items.Items ?? []).map((item) => unmarshall(item));
    expect(left.filter((item) => Object.keys(item).some((name) => name.startsWith('cap_')))).toEqual([]);
    expect(timeline.scheduleKeys).toContain(
      cappedScheduleKey(messageIdFor(customer.customerId, deferred.requestId), NEXT_DAY),
    );
  });
});
