/**
 * The journey counts on DynamoDB Local: runs played through the real interpreter, their changes
 * recorded by the real store on random shards, and read back summed over every shard and version.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbJourneyStats,
  JOURNEY_STATS_KIND,
  JOURNEY_STATS_SHARDS,
} from '../../functions/adapters/dynamodb/journey-stats-store';
import { journeyStatsPartition, messagesDocuments } from '../../functions/adapters/dynamodb/messages-table';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aFakeClock, aJourney, aJourneyEvent, aSeedJourney, RunDriver } from '../helpers/journeys';

const T0 = '2026-11-23T09:00:00.000Z';

describe('Adapter: DynamoDbJourneyStats', () => {
  const clients = testClients();
  let resources: LocalResources;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
  });

  const store = (pickShard?: (shards: number) => number) =>
    new DynamoDbJourneyStats({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
      ...(pickShard ? { pickShard } : {}),
    });

  /** Plays inputs through the interpreter and records each change, as the engine does. */
  async function playAndRecord(driver: RunDriver, recorder: DynamoDbJourneyStats, inputs: (() => unknown)[]) {
    for (const input of inputs) {
      const before = driver.run;
      input();
      const result = driver.results.at(-1);
      if (result?.changed && driver.run !== undefined) await recorder.record(before, driver.run);
    }
  }

  it('sums the counts of runs recorded on different shards', async () => {
    // Prepare
    let next = 0;
    const recorder = store(() => next++ % JOURNEY_STATS_SHARDS);
    const journey = aSeedJourney('cart-recovery');
    const converted = new RunDriver(journey, aFakeClock(T0));
    const timedOut = new RunDriver(journey, aFakeClock(T0));

    // Act
    await playAndRecord(converted, recorder, [
      () => converted.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-1' })),
      () => converted.event(aJourneyEvent('Order Completed', '2026-11-23T09:30:00.000Z', { cartId: 'c-1' })),
    ]);
    await playAndRecord(timedOut, recorder, [
      () => timedOut.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-2' }, { customerId: 'ada' })),
      () => timedOut.fireTimer(),
    ]);
    const counts = await recorder.read('cart-recovery');

    // Assess
    expect([...counts.keys()]).toEqual([1]);
    expect(counts.get(1)).toEqual({
      entered: 2,
      'waiting#wait-for-order': 0,
      'exited#goal': 1,
      converted: 1,
      'taken#wait-for-order': 1,
      'outcome#wait-for-order#timeout': 1,
      'taken#push-reminder': 1,
      'outcome#push-reminder#sent cart-reminder': 1,
      'waiting#wait-again': 1,
    });
  });

  it('writes one item per shard used, of kind journey-stats and without a customer id', async () => {
    // Prepare
    const recorder = store(() => 5);
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));

    // Act
    await playAndRecord(driver, recorder, [
      () => driver.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-1' })),
    ]);

    // Assess
    const { Items } = await messagesDocuments(clients.dynamodb).send(
      new QueryCommand({
        TableName: resources.tables.messages,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': journeyStatsPartition('cart-recovery', 5) },
      }),
    );
    expect(Items).toEqual([
      {
        pk: 'journeystats#cart-recovery#5',
        sk: 'v1',
        kind: JOURNEY_STATS_KIND,
        journeyId: 'cart-recovery',
        journeyVersion: 1,
        entered: 1,
        'waiting#wait-for-order': 1,
      },
    ]);
  });

  it('keeps each version apart', async () => {
    // Prepare
    const recorder = store();
    const v1 = new RunDriver(aJourney({ version: 1 }), aFakeClock(T0));
    const v2 = new RunDriver(aJourney({ version: 2 }), aFakeClock(T0));
    await playAndRecord(v1, recorder, [() => v1.enter(aJourneyEvent('Product Added', T0, { cartId: 'a' }))]);
    await playAndRecord(v2, recorder, [() => v2.enter(aJourneyEvent('Product Added', T0, { cartId: 'b' }))]);

    // Act
    const counts = await recorder.read('test-journey');

    // Assess
    expect(new Map([...counts].map(([version, counters]) => [version, counters.entered]))).toEqual(
      new Map([
        [1, 1],
        [2, 1],
      ]),
    );
  });

  it('writes nothing for a change that counts nothing (an unchanged run)', async () => {
    // Prepare
    const recorder = store();
    const driver = new RunDriver(aJourney({ id: 'quiet-journey' }), aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, { cartId: 'a' }));

    // Act
    await recorder.record(driver.run, driver.run!);

    // Assess
    expect((await recorder.read('quiet-journey')).size).toBe(0);
  });

  it('reads nothing for a journey never counted', async () => {
    // Act
    const counts = await store().read('never-ran');

    // Assess
    expect(counts.size).toBe(0);
  });
});
