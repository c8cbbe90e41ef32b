/**
 * The journey run store on DynamoDB Local: a run stored at each step of cart-recovery (entry, the
 * push reminder, the WhatsApp reminder) reads back exactly as the engine wrote it, with its last
 * effects; the item keeps what the fence and the timeline read at its top level, and stays under
 * 1 KB (one write unit) at every step, for a cart of one line and of several.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoItemBytes } from '../../bench/lib/item-size';
import { DynamoDbJourneyRunStore } from '../../functions/adapters/dynamodb/journey-run-store';
import { journeyRunKey, messagesDocuments } from '../../functions/adapters/dynamodb/messages-table';
import { advance, inputIdOf, type JourneyRun, type StoredRun } from '../../functions/domain/journeys';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aJourneyEvent, aSeedJourney } from '../helpers/journeys';

const ENTERED_AT = new Date('2026-12-05T09:00:00.000Z');

/** The stored runs of one cart through cart-recovery's timed-out path, as the engine writes them. */
function timedOutWrites(customerId: string, cartId: string, lines = 1): StoredRun[] {
  const journey = aSeedJourney('cart-recovery');
  let now = ENTERED_AT;
  const clock = { now: () => now };
  // A cart as Segment's e-commerce spec describes it, which the seed journey's reminder reads.
  const products = [
    { name: 'Linen shirt', quantity: 1, price: 59 },
    { name: 'Chino trousers, stone', quantity: 1, price: 79 },
    { name: 'Canvas belt', quantity: 2, price: 25 },
  ].slice(0, lines);
  const added = aJourneyEvent(
    'Product Added',
    now.toISOString(),
    {
      cartId,
      products,
      image_url: 'https://shop.example.com/images/linen-shirt.jpg',
      total: products.reduce((sum, line) => sum + line.price * line.quantity, 0),
      currency: 'EUR',
      cartUrl: 'https://shop.example.com/cart',
    },
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
    const lastEffects = result.effects.filter(
      (effect) => effect.type === 'send' || effect.type === 'scheduleTimer',
    );
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
      ['send'],
    ]);
    expect(readBack).toEqual(writes);
  });

  it('keeps what the fence and the timeline read at the top level, and the run in its state', async () => {
    // Prepare
    const [entry] = timedOutWrites('c-top', 'cart-top');

    // Act
    await store.put(entry as StoredRun, undefined);

    // Assess
    const { Item } = await messagesDocuments(clients.dynamodb).send(
      new GetCommand({ TableName: tableName, Key: journeyRunKey('c-top', 'cart-recovery', 'cart-top') }),
    );
    expect(Item).toMatchObject({
      kind: 'journey-run',
      runId: entry?.run.runId,
      journeyId: 'cart-recovery',
      customerId: 'c-top',
      runKey: 'cart-top',
      status: 'active',
      version: 1,
      sendIds: [],
      dispatched: {},
      state: expect.any(Uint8Array),
    });
    expect(Item).not.toHaveProperty('run');
  });

  it.each([1, 3])('writes a run of a cart of %i line(s) in one write unit at every step', async (lines) => {
    // Prepare
    const customerId = `c-size-${lines}`;
    const writes = timedOutWrites(customerId, `cart-size-${lines}`, lines);
    const key = journeyRunKey(customerId, 'cart-recovery', `cart-size-${lines}`);

    // Act
    const sizes: number[] = [];
    let expected: number | undefined;
    for (const write of writes) {
      await store.put(write, expected);
      expected = write.run.version;
      const { Item } = await clients.dynamodb.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }),
      );
      sizes.push(dynamoItemBytes(Item ?? {}));
    }

    // Assess
    expect(sizes).toHaveLength(3);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(1024);
  });

  it('refuses to read a run item without a state', async () => {
    // Prepare
    const [entry] = timedOutWrites('c-no-state', 'cart-no-state');
    const run = entry?.run as JourneyRun;
    await store.put(entry as StoredRun, undefined);
    const documents = messagesDocuments(clients.dynamodb);
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: journeyRunKey(run.customerId, run.journeyId, run.key) }),
    );
    const { state: _state, ...withoutState } = Item ?? {};
    await documents.send(new PutCommand({ TableName: tableName, Item: withoutState }));

    // Act
    const read = store.get({ customerId: run.customerId, journeyId: run.journeyId, key: run.key });

    // Assess
    await expect(read).rejects.toThrow(/has no state/);
  });
});
