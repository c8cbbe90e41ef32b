/**
 * The journey engine's adapters on the emulators: runs and document versions on DynamoDB Local,
 * timers and messages on fauxqs; the EventBridge Scheduler request shape (no local Scheduler exists).
 */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { StoredJourneyCatalog } from '../../functions/adapters/dynamodb/journey-documents';
import { DynamoDbJourneyRunStore } from '../../functions/adapters/dynamodb/journey-run-store';
import {
  EventBridgeJourneyTimers,
  journeyScheduleName,
} from '../../functions/adapters/scheduler/eventbridge-journey-timers';
import { JourneySendQueue } from '../../functions/adapters/sqs/journey-send-queue';
import { JourneyTimerQueue } from '../../functions/adapters/sqs/journey-timer-queue';
import { JourneyTimerMessageSchema, type MessageRequest } from '../../functions/contract';
import { RetryLaterError } from '../../functions/domain/errors';
import { advance, JourneyDefinitionError, type StoredRun } from '../../functions/domain/journeys';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aRequest } from '../helpers/factories';
import { drainQueue } from '../helpers/journey-timers';
import { aFakeClock, aJourney, aJourneyEvent, aSeedJourney } from '../helpers/journeys';

const clients = testClients();
let resources: LocalResources;
beforeAll(async () => {
  resources = await isolatedResources();
});
afterAll(() => clients.destroy());

function aStartedRun(cartId: string): StoredRun {
  const clock = aFakeClock('2026-12-01T10:00:00Z');
  const event = aJourneyEvent(
    'Product Added',
    '2026-12-01T10:00:00Z',
    { cartId },
    { customerId: `c-${cartId}` },
  );
  const result = advance(
    undefined,
    { kind: 'entry', event, customer: {} },
    aSeedJourney('cart-recovery'),
    clock,
  );
  const lastEffects = result.effects.filter((effect) => effect.type !== 'timeline');
  return { run: result.run!, dispatched: {}, lastInputId: `event:${event.id}`, lastEffects };
}

describe('Class: DynamoDbJourneyRunStore', () => {
  it('stores a new run once and reads it back at its version', async () => {
    // Prepare
    const store = new DynamoDbJourneyRunStore({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    const started = aStartedRun('k-1');
    const address = { customerId: started.run.customerId, journeyId: 'cart-recovery', key: 'k-1' };

    // Act
    const first = await store.put(started, undefined);
    const again = await store.put(started, undefined);

    // Assess
    expect([first, again]).toEqual([true, false]);
    const read = await store.get(address);
    expect(read?.run).toEqual(started.run);
    expect(read?.lastEffects).toEqual(started.lastEffects);
    expect(await store.ofCustomer(started.run.customerId, 'cart-recovery')).toHaveLength(1);
  });

  it('lets exactly one of two writers of the same version win', async () => {
    // Prepare
    const store = new DynamoDbJourneyRunStore({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    const started = aStartedRun('k-2');
    await store.put(started, undefined);
    const next = (detail: string): StoredRun => ({
      ...started,
      run: { ...started.run, version: 2, exit: { reason: 'cancelled', at: '2026-12-01T10:05:00Z', detail } },
    });

    // Act
    const results = await Promise.all([store.put(next('a'), 1), store.put(next('b'), 1)]);

    // Assess
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await store.get({
      customerId: started.run.customerId,
      journeyId: 'cart-recovery',
      key: 'k-2',
    });
    expect(stored?.run.version).toBe(2);
  });

  it('keeps the top-level fields the dispatch fence conditions on', async () => {
    // Prepare
    const store = new DynamoDbJourneyRunStore({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    const started = aStartedRun('k-3');

    // Act
    await store.put(started, undefined);

    // Assess
    const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const { Item } = await clients.dynamodb.send(
      new GetItemCommand({
        TableName: resources.tables.messages,
        Key: { pk: { S: `customer#${started.run.customerId}` }, sk: { S: 'journey#cart-recovery#k-3' } },
      }),
    );
    expect(Item).toMatchObject({
      kind: { S: 'journey-run' },
      runId: { S: started.run.runId },
      status: { S: 'active' },
      version: { N: '1' },
      sendIds: { L: [] },
      dispatched: { M: {} },
    });
    expect(Number(Item?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('Class: StoredJourneyCatalog', () => {
  it('keeps a deployed version so that runs pinned to it find it after a newer one deploys', async () => {
    // Prepare
    const v1 = aJourney({ id: 'catalogued', version: 1 });
    const v2 = aJourney({ id: 'catalogued', version: 2, holdout: 10 });
    const options = { client: clients.dynamodb, tableName: resources.tables.messages };
    await new StoredJourneyCatalog({ ...options, journeys: [v1] }).storeDeployed();

    // Act
    const later = new StoredJourneyCatalog({ ...options, journeys: [v2] });
    await later.storeDeployed();

    // Assess
    expect(await later.version('catalogued', 1)).toEqual(v1);
    expect(await later.version('catalogued', 2)).toBe(v2);
    expect(await later.version('catalogued', 3)).toBeUndefined();
  });

  it('refuses a version deployed again with other content', async () => {
    // Prepare
    const options = { client: clients.dynamodb, tableName: resources.tables.messages };
    await new StoredJourneyCatalog({
      ...options,
      journeys: [aJourney({ id: 'edited', version: 1 })],
    }).storeDeployed();
    const edited = new StoredJourneyCatalog({
      ...options,
      journeys: [aJourney({ id: 'edited', version: 1, holdout: 50 })],
    });

    // Act
    const storing = edited.storeDeployed();

    // Assess
    await expect(storing).rejects.toBeInstanceOf(JourneyDefinitionError);
  });
});

describe('Class: JourneyTimerQueue', () => {
  const timer = {
    customerId: 'c-1',
    journeyId: 'cart-recovery',
    key: 'k',
    runId: 'jr_1',
    token: 'jr_1.wait-for-order',
    at: '2026-12-01T11:00:00.000Z',
  };

  it('compresses journey time by the scale: an hour at 3600× fires after a second', async () => {
    // Prepare
    const now = new Date('2026-12-01T10:00:00Z');
    const queue = new JourneyTimerQueue({
      client: clients.sqs,
      queueUrl: resources.queues.journeyTimers,
      timeScale: 3600,
      now: () => now,
    });

    // Act
    await queue.schedule(timer);

    // Assess
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.journeyTimers, WaitTimeSeconds: 5 }),
    );
    const message = JourneyTimerMessageSchema.parse(JSON.parse(received.Messages?.[0]?.Body ?? '{}'));
    expect(message).toEqual({ kind: 'journey-timer', ...timer, fireAt: '2026-12-01T10:00:01.000Z' });
    expect(queue.isDue(message)).toBe(false);
  });

  it('hands timers beyond 15 minutes to the long-timer scheduler, and nearer ones to the queue', async () => {
    // Prepare
    const now = new Date('2026-12-01T10:00:00Z');
    const long: string[] = [];
    const queue = new JourneyTimerQueue({
      client: clients.sqs,
      queueUrl: resources.queues.journeyTimers,
      longTimers: { schedule: async (message) => void long.push(message.token), cancel: async () => {} },
      now: () => now,
    });

    // Act
    await queue.schedule(timer);
    await queue.schedule({ ...timer, token: 'soon', at: '2026-12-01T10:10:00.000Z' });

    // Assess
    expect(long).toEqual(['jr_1.wait-for-order']);
  });

  it('refuses a time scale below one', () => {
    // Act
    const building = () => new JourneyTimerQueue({ client: clients.sqs, queueUrl: 'q', timeScale: 0.5 });

    // Assess
    expect(building).toThrow(RangeError);
  });
});

describe('Class: EventBridgeJourneyTimers', () => {
  // No local EventBridge Scheduler exists; this checks the requests we build, not the service.
  const scheduler = mockClient(SchedulerClient);
  afterEach(() => scheduler.reset());
  const adapter = () =>
    new EventBridgeJourneyTimers({
      client: new SchedulerClient({ region: 'us-east-1' }),
      queueArn: 'arn:aws:sqs:us-east-1:1:journey-timers',
      roleArn: 'arn:aws:iam::1:role/journey-scheduler',
      groupName: 'switchboard-journeys',
    });

  it('creates a one-time schedule named from the token that sends the timer and deletes itself', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const message = JourneyTimerMessageSchema.parse({
      kind: 'journey-timer',
      customerId: 'c-1',
      journeyId: 'cart-recovery',
      key: 'k',
      runId: 'jr_1',
      token: 'jr_1.wait-again',
      at: '2026-12-02T11:00:00.000Z',
      fireAt: '2026-12-02T11:00:00.000Z',
    });

    // Act
    await adapter().schedule(message);

    // Assess
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: journeyScheduleName('jr_1.wait-again'),
      GroupName: 'switchboard-journeys',
      ScheduleExpression: 'at(2026-12-02T11:00:00)',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:sqs:us-east-1:1:journey-timers',
        RoleArn: 'arn:aws:iam::1:role/journey-scheduler',
      },
    });
    expect(JSON.parse(input?.Target?.Input ?? '{}')).toEqual(message);
    expect(input?.Name?.length).toBeLessThanOrEqual(64);
  });

  it('treats a schedule already gone as cancelled', async () => {
    // Prepare
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));

    // Act
    const cancelling = adapter().cancel('jr_1.wait-again');

    // Assess: it asked to delete the token's schedule in its group, and took "not found" as done.
    await expect(cancelling).resolves.toBeUndefined();
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: journeyScheduleName('jr_1.wait-again'), GroupName: 'switchboard-journeys' },
    ]);
  });
});

describe('Class: JourneySendQueue', () => {
  const reminder = (requestId: string) =>
    aRequest('camille', { requestId, metadata: { journeyId: 'cart-recovery' } });
  /** A request whose content breaks the contract, as a broken journey document would make it. */
  const broken = (requestId: string) =>
    ({ ...reminder(requestId), content: { text: '' } }) as unknown as MessageRequest;

  it('says what became of each request: published, or refused by the contract', async () => {
    // Prepare
    await drainQueue(clients.sqs, resources.queues.outbound);
    const queue = new JourneySendQueue({ client: clients.sqs, outboundQueueUrl: resources.queues.outbound });

    // Act
    const results = await queue.sendEach([reminder('jr_a.push'), broken('jr_b.push'), reminder('jr_c.push')]);

    // Assess
    expect(results.map((result) => [result.requestId, result.error?.name])).toEqual([
      ['jr_a.push', undefined],
      ['jr_b.push', 'JourneyDefinitionError'],
      ['jr_c.push', undefined],
    ]);
    const on = await drainQueue(clients.sqs, resources.queues.outbound);
    expect(on.map((message) => JSON.parse(message.Body ?? '{}').requestId).sort()).toEqual([
      'jr_a.push',
      'jr_c.push',
    ]);
  });

  it('names an entry the queue did not take as one to retry', async () => {
    // Prepare
    const queue = new JourneySendQueue({
      client: clients.sqs,
      outboundQueueUrl: `${resources.queues.outbound}-missing`,
    });

    // Act
    const results = await queue.sendEach([reminder('jr_d.push')]);

    // Assess
    expect(results).toEqual([{ requestId: 'jr_d.push', error: expect.any(RetryLaterError) }]);
  });

  it('throws from send what sendEach reports, after publishing the rest', async () => {
    // Prepare
    await drainQueue(clients.sqs, resources.queues.outbound);
    const queue = new JourneySendQueue({ client: clients.sqs, outboundQueueUrl: resources.queues.outbound });

    // Act
    const sending = queue.send([broken('jr_e.push'), reminder('jr_f.push')]);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(JourneyDefinitionError);
    const on = await drainQueue(clients.sqs, resources.queues.outbound);
    expect(on.map((message) => JSON.parse(message.Body ?? '{}').requestId)).toEqual(['jr_f.push']);
  });
});
