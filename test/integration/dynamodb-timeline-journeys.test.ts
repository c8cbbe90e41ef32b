/**
 * Journey runs on the timeline, on DynamoDB Local: run items in SPEC-18's layout, written by the
 * engine's run store (runs made by the real interpreter), their entries merged by time with the items of `gsi1` and the consent
 * history, filtered by `types=`, `channels=` and `since=`, and paged by cursors that neither skip
 * nor repeat an entry.
 */
import type { DynamoDbTimelineReader } from '../../functions/adapters/dynamodb/timeline-reader';
import type { TimelineEntry } from '../../functions/contract';
import type { JourneyRun } from '../../functions/domain/journeys';
import type { TimelineRead } from '../../functions/domain/timeline/timeline-ports';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, aNewMessage } from '../helpers/factories';
import { aFakeClock, aJourney, aJourneyEvent, aSeedJourney, effectsOf, RunDriver } from '../helpers/journeys';
import { everyPage, type TimelineWriters, timelineReader, timelineWriters } from '../helpers/timeline';

/** A minute after 10:00 on 2026-11-23 as the ISO time the writers use (60 is 11:00). */
const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute)).toISOString();
/** When the router recorded the push reminder, a moment after the step that asked for it. */
const PUSH_AT = at(61).replace('.000Z', '.250Z');

/** An entry as [type, at], and a journey entry's moment with it. */
const shape = (entry: TimelineEntry) =>
  entry.type === 'journey' ? [entry.type, entry.at, entry.event, entry.stepId] : [entry.type, entry.at];

describe('Class: DynamoDbTimelineReader, with journey runs', () => {
  const clients = testClients();
  let resources: LocalResources;
  let reader: DynamoDbTimelineReader;
  let writers: TimelineWriters;
  afterAll(() => clients.destroy());
  beforeAll(async () => {
    resources = await isolatedResources();
    reader = timelineReader(resources, clients.dynamodb);
    writers = timelineWriters(resources, clients.dynamodb);
  });

  const productAdded = (customerId: string, messageId: string, minute: number) =>
    writers.touchpoints.put(
      { kind: 'customer', customerId },
      {
        messageId,
        type: 'track',
        name: 'Product Added',
        customerId,
        channel: 'web',
        occurredAt: at(minute),
        receivedAt: at(minute),
      },
    );

  /** A run of `journey` (cart-recovery unless said) the interpreter entered on a Product Added at `minute`. */
  const cartEntered = (
    customerId: string,
    minute: number,
    cartId: string,
    journey = aSeedJourney('cart-recovery'),
  ) => {
    const driver = new RunDriver(journey, aFakeClock(at(minute)));
    driver.enter(aJourneyEvent('Product Added', at(minute), { cartId }, { customerId }));
    return driver;
  };

  /** Stores a run as the engine does when it creates one. */
  const store = async (run: JourneyRun) =>
    expect(await writers.runs.put({ run, dispatched: {}, lastEffects: [] }, undefined)).toBe(true);

  describe("Camille's cart, reminded by push after an hour, and a second cart she bought", () => {
    const customer = aCustomer();
    const id = customer.customerId;
    let reminded: JourneyRun;
    let bought: JourneyRun;
    let entries: TimelineEntry[];
    beforeAll(async () => {
      await writers.customers.put(customer);
      // The first cart: entered at 10:01, the push reminder at 11:01, waiting for the purchase since.
      const first = cartEntered(id, 1, 'cart-1');
      const timedOut = first.fireTimer();
      reminded = first.run!;
      const push = effectsOf(timedOut, 'send')[0]!.request;
      await productAdded(id, 'tp-cart-1', 1);
      await writers.ledger.createMessage(
        aNewMessage(id, 'msg-push', {
          at: PUSH_AT,
          requestId: push.requestId,
          category: 'marketing',
          attempts: [{ channel: 'push', attempt: 1 }],
          metadata: { ...push.metadata },
        }),
      );
      // The second cart: entered at 10:20, bought at 10:30 (the goal ends the run).
      const second = cartEntered(id, 20, 'cart-2');
      second.event(aJourneyEvent('Order Completed', at(30), { cartId: 'cart-2' }, { customerId: id }));
      bought = second.run!;
      await writers.customers.setConsent(id, 'marketing', 'push', {
        status: 'opted_in',
        at: at(40),
        source: 'api',
      });
      await store(reminded);
      await store(bought);
      // Another customer's run stays on their timeline.
      await store(cartEntered('someone-else', 5, 'cart-9', aJourney()).run!);
      entries = (await reader.timeline(id, { limit: 100 })).entries;
    });

    it('merges the entries of both runs by time with her touchpoint, the journey message and her consent', () => {
      // Assess
      expect(entries.map(shape)).toEqual([
        ['message', PUSH_AT],
        ['journey', at(61), 'waiting', 'wait-again'],
        ['journey', at(61), 'step', 'push-reminder'],
        ['journey', at(61), 'step', 'wait-for-order'],
        ['consent', at(40)],
        ['journey', at(30), 'exited', undefined],
        ['journey', at(20), 'waiting', 'wait-for-order'],
        ['journey', at(20), 'entered', undefined],
        ['touchpoint', at(1)],
        ['journey', at(1), 'waiting', 'wait-for-order'],
        ['journey', at(1), 'entered', undefined],
      ]);
    });

    it('says why the message was sent: the step that sent it, and the message names its journey and step', () => {
      // Assess
      const message = entries.find((entry) => entry.type === 'message');
      const step = entries.find((entry) => entry.type === 'journey' && entry.stepId === 'push-reminder');
      expect(step).toEqual({
        type: 'journey',
        at: at(61),
        event: 'step',
        journeyId: 'cart-recovery',
        journeyVersion: 1,
        runId: reminded.runId,
        key: 'cart-1',
        stepId: 'push-reminder',
        outcome: 'sent cart-reminder',
        requestId: `${reminded.runId}.push-reminder`,
      });
      expect(message).toMatchObject({
        requestId: `${reminded.runId}.push-reminder`,
        metadata: {
          journeyId: 'cart-recovery',
          journeyStepId: 'push-reminder',
          journeyRunId: reminded.runId,
        },
      });
    });

    it('says until when the run waits, and why the other ended', () => {
      // Assess
      const journeyEntries = entries.filter((entry) => entry.type === 'journey');
      expect(journeyEntries[0]).toMatchObject({ event: 'waiting', until: reminded.position?.until });
      expect(reminded.position?.until).toBe(new Date(Date.UTC(2026, 10, 24, 11, 1)).toISOString());
      expect(journeyEntries.find((entry) => entry.event === 'exited')).toMatchObject({
        runId: bought.runId,
        key: 'cart-2',
        reason: 'goal',
        detail: 'Order Completed',
      });
      expect(journeyEntries.filter((entry) => entry.event === 'entered')).toEqual([
        expect.objectContaining({ key: 'cart-2', entryEvent: 'Product Added' }),
        expect.objectContaining({ key: 'cart-1', entryEvent: 'Product Added' }),
      ]);
    });

    it.each<[string, Omit<TimelineRead, 'limit'>, unknown[][]]>([
      [
        'kind (journey only)',
        { types: ['journey'] },
        [
          ['journey', at(61), 'waiting', 'wait-again'],
          ['journey', at(61), 'step', 'push-reminder'],
          ['journey', at(61), 'step', 'wait-for-order'],
          ['journey', at(30), 'exited', undefined],
          ['journey', at(20), 'waiting', 'wait-for-order'],
          ['journey', at(20), 'entered', undefined],
          ['journey', at(1), 'waiting', 'wait-for-order'],
          ['journey', at(1), 'entered', undefined],
        ],
      ],
      [
        'kinds (journey and consent)',
        { types: ['consent', 'journey'], since: at(30) },
        [
          ['journey', at(61), 'waiting', 'wait-again'],
          ['journey', at(61), 'step', 'push-reminder'],
          ['journey', at(61), 'step', 'wait-for-order'],
          ['consent', at(40)],
          ['journey', at(30), 'exited', undefined],
        ],
      ],
      [
        'channel (a journey entry has none)',
        { channels: ['push'] },
        [
          ['message', PUSH_AT],
          ['consent', at(40)],
        ],
      ],
      [
        'time',
        { since: at(20) },
        [
          ['message', PUSH_AT],
          ['journey', at(61), 'waiting', 'wait-again'],
          ['journey', at(61), 'step', 'push-reminder'],
          ['journey', at(61), 'step', 'wait-for-order'],
          ['consent', at(40)],
          ['journey', at(30), 'exited', undefined],
          ['journey', at(20), 'waiting', 'wait-for-order'],
          ['journey', at(20), 'entered', undefined],
        ],
      ],
    ])('filters by %s', async (_what, filter, expected) => {
      // Act
      const page = await reader.timeline(id, { limit: 25, ...filter });

      // Assess
      expect(page.entries.map(shape)).toEqual(expected);
      expect(page.nextCursor).toBeUndefined();
    });

    it('leaves journey entries out when asked for other kinds', async () => {
      // Act
      const page = await reader.timeline(id, { limit: 25, types: ['message', 'touchpoint'] });

      // Assess
      expect(page.entries.map(shape)).toEqual([
        ['message', PUSH_AT],
        ['touchpoint', at(1)],
      ]);
    });

    it.each([1, 2, 3, 4])(
      'pages by %i with neither a gap nor a repeat, journey entries included',
      async (limit) => {
        // Act
        const { seen, sizes } = await everyPage(reader, id, { limit });

        // Assess
        expect(seen.map(shape)).toEqual(entries.map(shape));
        expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true);
      },
    );

    it.each([1, 2])('pages a filtered read by %i within since', async (limit) => {
      // Act
      const { seen } = await everyPage(reader, id, {
        limit,
        since: at(20),
        types: ['journey', 'touchpoint', 'message'],
      });

      // Assess
      expect(seen.map(shape)).toEqual(
        entries.filter((entry) => entry.at >= at(20) && entry.type !== 'consent').map(shape),
      );
    });
  });

  it("keeps journey entries below a filtered page's last item read for the next page", async () => {
    // Prepare: 40 messages a minute apart, a run entered at minute 25 and another at minute 5; a
    // filtered page reads 2 items a query, so its 10 queries reach minute 20 only.
    const customerId = aCustomer().customerId;
    for (let minute = 0; minute < 40; minute += 1) {
      await writers.ledger.createMessage(aNewMessage(customerId, `msg-f${minute}`, { at: at(minute) }));
    }
    for (const [minute, cartId] of [
      [25, 'cart-a'],
      [5, 'cart-b'],
    ] as const) {
      await store(cartEntered(customerId, minute, cartId).run!);
    }
    const small = timelineReader(resources, clients.dynamodb, { itemsPerFilteredQuery: 2 });

    // Act
    const first = await small.timeline(customerId, { limit: 3, types: ['journey', 'touchpoint'] });
    const { seen } = await everyPage(small, customerId, { limit: 3, types: ['journey', 'touchpoint'] });

    // Assess
    expect(first.entries.map(shape)).toEqual([
      ['journey', at(25), 'waiting', 'wait-for-order'],
      ['journey', at(25), 'entered', undefined],
    ]);
    expect(first.nextCursor).toBeDefined();
    expect(seen.map(shape)).toEqual([
      ['journey', at(25), 'waiting', 'wait-for-order'],
      ['journey', at(25), 'entered', undefined],
      ['journey', at(5), 'waiting', 'wait-for-order'],
      ['journey', at(5), 'entered', undefined],
    ]);
  });
});
