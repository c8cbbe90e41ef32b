/**
 * The journey run store on DynamoDB Local: a run stored at each step of cart-recovery (entry, the
 * push reminder, the WhatsApp reminder) reads back exactly as the engine wrote it, with its last
 * effects, although the item holds what it repeats only once; an item in the first layout (the
 * whole run in the `run` map) still reads back.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbJourneyRunStore } from '../../functions/adapters/dynamodb/journey-run-store';
import { journeyRunKey, messagesDocuments } from '../../functions/adapters/dynamodb/messages-table';
import { advance, inputIdOf, type JourneyRun, type StoredRun } from '../../functions/domain/journeys';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aJourneyEvent, aSeedJourney } from '../helpers/journeys';

const ENTERED_AT = new Date('2026-12-05T09:00:00.000Z');

/** The stored runs of one cart through cart-recovery's timed-out path, as the engine writes them. */
function timedOutWrites(customerId: string, cartId: string): StoredRun[] {
  const journey = aSeedJourney('cart-recovery');
  let now = ENTERED_AT;
  const clock = { now: () => now };
  const added = aJourneyEvent(
    'Product Added',
    now.toISOString(),
    { cartId, items: [{ name: 'Linen shirt', quantity: 1, price: 59 }], total: 59, currency: 'EUR' },
    { customerId },
  );
  // As touchpoints arrive from the stream: the body carries the event's id as its messageId.
  const event = { ...added, body: { ...added.body, messageId: added.id } };
  const writes: StoredRun[] = [];
  let run: JourneyRun | undefined;
  const apply = (input: Parameters<typeof advance>[1], inputId: string) => {
    const result = advance(run, input, journey, clock);
    if (result.run === undefined) throw new Error('no run');
    run = result.run;
    const lastEffects = result.effects.filter((effect) => effect.type !== 'timeline');
    writes.push({ run, dispatched: {}, lastInputId: inputId, lastEffects });
  };
  apply({ kind: 'entry', event, customer: {} }, inputIdOf({ kind: 'entry', event }));
  for (const hours of [1, 25]) {
    now = new Date(ENTERED_AT.getTime() + hours * 3_600_000);
    const token = run?.position?.timerToken ?? '';
    apply({ kind: 'timer', token, customer: {} }, inputIdOf({ kind: 'timer', token }));
  }
  return writes;
}

describe('Class: DynamoDbJourneyRunStore', () => {
  const clients = testClients();
  let tableName: string;
  let store: DynamoDbJourneyRunStore;
  afterAll(() => clients.destroy());
  beforeAll(async () => {
    tableName = (await isolatedResources()).tables.messages;
    store = new DynamoDbJourneyRunStore({ client: clients.dynamodb, tableName });
  });

  it('reads back every write of a run exactly as the engine wrote it, last effects included', async () => {
    // Prepare
    const writes = timedOutWrites('c-layout', 'cart-layout');
    const address = { customerId: 'c-layout', journeyId: 'cart-recovery', key: 'cart-layout' };

    // Act
    const readBack: (StoredRun | undefined)[] = [];
    let expected: number | undefined;
    for (const write of writes) {
      expect(await store.put(write, expected)).toBe(true);
      expected = write.run.version;
      readBack.push(await store.get(address));
    }

    // Assess
    expect(writes.map((write) => write.lastEffects.map((effect) => effect.type))).toEqual([
      ['scheduleTimer'],
      ['send', 'scheduleTimer'],
      ['send', 'exit'],
    ]);
    expect(readBack).toEqual(writes);
  });

  it('keeps what the item holds at its top level once, outside the run map', async () => {
    // Prepare
    const [entry] = timedOutWrites('c-once', 'cart-once');

    // Act
    await store.put(entry as StoredRun, undefined);

    // Assess
    const { Item } = await messagesDocuments(clients.dynamodb).send(
      new GetCommand({ TableName: tableName, Key: journeyRunKey('c-once', 'cart-recovery', 'cart-once') }),
    );
    expect(Item).toMatchObject({
      runId: entry?.run.runId,
      customerId: 'c-once',
      runKey: 'cart-once',
      version: 1,
    });
    expect(Object.keys(Item?.run ?? {})).not.toEqual(expect.arrayContaining(['runId']));
    expect(Item?.run).not.toHaveProperty('customerId');
    expect(Item?.run.position.timerToken).toBe('.wait-for-order');
    expect(Item?.run.entry.body).not.toHaveProperty('userId');
    expect(Item?.lastEffects).toEqual([
      { type: 'scheduleTimer', at: expect.any(String), token: '.wait-for-order' },
    ]);
  });

  it('reads an item written with the whole run in its run map', async () => {
    // Prepare
    const [, push] = timedOutWrites('c-first-layout', 'cart-first');
    const run = push?.run as JourneyRun;
    await messagesDocuments(clients.dynamodb).send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...journeyRunKey(run.customerId, run.journeyId, run.key),
          kind: 'journey-run',
          runId: run.runId,
          journeyId: run.journeyId,
          journeyVersion: run.journeyVersion,
          customerId: run.customerId,
          runKey: run.key,
          status: run.status,
          version: run.version,
          run,
          sendIds: Object.values(run.sends).map((send) => send.requestId),
          dispatched: {},
          lastInputId: push?.lastInputId,
          lastEffects: push?.lastEffects,
        },
      }),
    );

    // Act
    const stored = await store.get({ customerId: run.customerId, journeyId: run.journeyId, key: run.key });

    // Assess
    expect(stored).toEqual(push);
  });
});
