/**
 * The timeline reader on DynamoDB Local: every kind of entry from the items the real writers put on
 * `gsi1` (click and conversion items PutItem'd in the shapes their writers share, SPEC of issue 17),
 * consent merged from the profile, statuses rolled up from attempts, filters, `since`, and cursors
 * that neither skip nor repeat an entry, filtered or not.
 */
import { messagesDocuments, toInboundItem } from '../../functions/adapters/dynamodb/messages-table';
import {
  type DynamoDbTimelineReader,
  MAX_QUERIES_PER_PAGE,
} from '../../functions/adapters/dynamodb/timeline-reader';
import type { Channel, TimelineEntry } from '../../functions/contract';
import { InvalidCursorError } from '../../functions/domain/errors';
import type { AttemptKey } from '../../functions/domain/ledger-model';
import type { TimelineRead } from '../../functions/domain/timeline/timeline-ports';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, aNewMessage } from '../helpers/factories';
import {
  aClickItem,
  aConversionItem,
  everyPage,
  putTimelineItem,
  type TimelineWriters,
  timelineReader,
  timelineWriters,
} from '../helpers/timeline';

/** A minute of 2026-11-23 as the ISO time the writers use. */
const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute)).toISOString();

describe('Class: DynamoDbTimelineReader', () => {
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

  const put = (item: Record<string, unknown>) =>
    putTimelineItem(messagesDocuments(clients.dynamodb), resources.tables.messages, item);

  const message = async (customerId: string, messageId: string, minute: number, channel: Channel = 'sms') => {
    await writers.ledger.createMessage(
      aNewMessage(customerId, messageId, { at: at(minute), attempts: [{ channel, attempt: 1 }] }),
    );
  };

  /** An attempt leased, sent and then given each receipt status, as a sender and webhooks would. */
  const attemptThrough = async (key: AttemptKey, minute: number, ...statuses: ('delivered' | 'opened')[]) => {
    const now = new Date(at(minute));
    await writers.attempts.leaseAttempt(key, { owner: 'test', leaseSeconds: 30, now, queuedAt: at(minute) });
    await writers.attempts.recordSent(
      key,
      { provider: 'sandbox', providerMessageId: `p-${key.messageId}` },
      now,
    );
    for (const status of statuses) await writers.attempts.recordReceiptStatus(key, { status, at: now });
  };

  const touchpoint = (
    customerId: string,
    messageId: string,
    minute: number,
    channel: 'web' | 'store' | 'mobile',
  ) =>
    writers.touchpoints.put(
      { kind: 'customer', customerId },
      {
        messageId,
        type: 'track',
        name: `seen ${messageId}`,
        customerId,
        channel,
        occurredAt: at(minute),
        receivedAt: at(minute),
      },
    );

  const consentAt = async (
    customerId: string,
    minute: number,
    channel: Channel,
    status: 'opted_in' | 'opted_out',
  ) =>
    writers.customers.setConsent(customerId, 'marketing', channel, { status, at: at(minute), source: 'api' });

  /** Every page of a read, followed by its cursors, as [type, at] pairs. */
  const allPages = async (customerId: string, read: Omit<TimelineRead, 'cursor'>, on = reader) => {
    const { seen, sizes } = await everyPage(on, customerId, read, 50);
    return { seen: seen.map((entry): [string, string] => [entry.type, entry.at]), sizes };
  };

  describe('one customer with every kind of entry', () => {
    const customer = aCustomer();
    const id = customer.customerId;
    let entries: TimelineEntry[];
    beforeAll(async () => {
      await writers.customers.put(customer);
      await touchpoint(id, 'tp-cart', 1, 'web');
      await message(id, 'msg-offer', 2, 'email');
      await attemptThrough(
        { customerId: id, messageId: 'msg-offer', channel: 'email', attempt: 1 },
        3,
        'delivered',
        'opened',
      );
      await put(
        toInboundItem(
          {
            type: 'message.inbound',
            customerId: id,
            channel: 'sms',
            from: customer.addresses.sms ?? '',
            text: 'STOP',
            media: [],
            receivedAt: at(4),
            provider: 'twilio',
            providerMessageId: 'SM-stop',
          },
          { consentIntent: 'opt_out' },
          0,
          '',
        ),
      );
      await consentAt(id, 5, 'sms', 'opted_out');
      await put(aClickItem(id, { messageId: 'msg-offer', channel: 'email', clickedAt: at(6) }));
      await touchpoint(id, 'tp-buy', 7, 'store');
      await put(aConversionItem(id, { conversionId: 'tp-buy', occurredAt: at(7), channel: 'store' }));
      entries = (await reader.timeline(id, { limit: 25 })).entries;
    });

    it('reads them newest first as typed entries, consent merged by time', () => {
      // Assess
      expect(entries.map((entry) => [entry.type, entry.at])).toEqual([
        ['touchpoint', at(7)],
        ['conversion', at(7)],
        ['click', at(6)],
        ['consent', at(5)],
        ['inbound', at(4)],
        ['message', at(2)],
        ['touchpoint', at(1)],
      ]);
    });

    it('rolls the message status up from its attempts: an email opened is opened, not queued', () => {
      // Assess
      expect(entries.find((entry) => entry.type === 'message')).toMatchObject({
        messageId: 'msg-offer',
        status: 'opened',
        routerStatus: 'queued',
        attempts: [{ channel: 'email', attempt: 1, status: 'opened', provider: 'sandbox' }],
      });
    });

    it('maps each kind with the fields its entry documents', () => {
      // Assess
      expect(entries).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            type: 'touchpoint',
            call: 'track',
            name: 'seen tp-cart',
            channel: 'web',
          }),
          expect.objectContaining({
            type: 'inbound',
            channel: 'sms',
            text: 'STOP',
            consentIntent: 'opt_out',
          }),
          {
            type: 'consent',
            at: at(5),
            category: 'marketing',
            channel: 'sms',
            status: 'opted_out',
            source: 'api',
          },
          {
            type: 'click',
            at: at(6),
            token: 'tok-msg-offer',
            messageId: 'msg-offer',
            attempt: 1,
            channel: 'email',
            url: 'https://shop.example.com/cart',
            clickedAt: at(6),
          },
          {
            type: 'conversion',
            at: at(7),
            conversionId: 'tp-buy',
            event: 'Order Completed',
            occurredAt: at(7),
            channel: 'store',
            revenue: 59.9,
            currency: 'EUR',
            sourceKind: 'server',
            credits: [
              {
                messageId: 'msg-offer',
                channel: 'email',
                template: 'weekly-offer',
                weight: { last: 1, first: 1, linear: 1 },
              },
            ],
          },
        ]),
      );
    });

    it.each<[string, Omit<TimelineRead, 'limit'>, [string, string][]]>([
      [
        'kinds',
        { types: ['touchpoint', 'conversion'] },
        [
          ['touchpoint', at(7)],
          ['conversion', at(7)],
          ['touchpoint', at(1)],
        ],
      ],
      [
        'message channels',
        { channels: ['sms', 'email'] },
        [
          ['click', at(6)],
          ['consent', at(5)],
          ['inbound', at(4)],
          ['message', at(2)],
        ],
      ],
      ['places', { channels: ['web'] }, [['touchpoint', at(1)]]],
      [
        'kinds and channels together',
        { types: ['consent', 'click'], channels: ['sms'] },
        [['consent', at(5)]],
      ],
      [
        'time (a key condition)',
        { since: at(5) },
        [
          ['touchpoint', at(7)],
          ['conversion', at(7)],
          ['click', at(6)],
          ['consent', at(5)],
        ],
      ],
    ])('filters by %s', async (_what, filter, expected) => {
      // Act
      const page = await reader.timeline(id, { limit: 25, ...filter });

      // Assess
      expect(page.entries.map((entry) => [entry.type, entry.at])).toEqual(expected);
      expect(page.nextCursor).toBeUndefined();
    });

    it.each([1, 2, 3])('pages by %i with neither a gap nor a repeat, consent included', async (limit) => {
      // Act
      const { seen, sizes } = await allPages(id, { limit });

      // Assess
      expect(seen).toEqual(entries.map((entry) => [entry.type, entry.at]));
      expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true);
    });

    it('pages by cursor within since', async () => {
      // Act
      const { seen } = await allPages(id, { limit: 2, since: at(4) });

      // Assess
      expect(seen.map(([type]) => type)).toEqual(['touchpoint', 'conversion', 'click', 'consent', 'inbound']);
    });
  });

  it('fills filtered pages and carries a correct cursor past the items it dropped', async () => {
    // Prepare: 30 messages with a web touchpoint after every fifth one.
    const customerId = aCustomer().customerId;
    for (let minute = 0; minute < 30; minute += 1) {
      await message(customerId, `msg-${minute}`, minute);
      if (minute % 5 === 4) await touchpoint(customerId, `tp-${minute}`, minute, 'web');
    }

    // Act
    const { seen, sizes } = await allPages(customerId, { limit: 2, types: ['touchpoint'] });
    const first = await reader.timeline(customerId, { limit: 2, channels: ['web'] });

    // Assess
    expect(seen.map(([, when]) => when)).toEqual([29, 24, 19, 14, 9, 4].map(at));
    expect(sizes).toEqual([2, 2, 2]);
    expect(first.entries.map((entry) => entry.type === 'touchpoint' && entry.messageId)).toEqual([
      'tp-29',
      'tp-24',
    ]);
    expect(first.nextCursor).toBeDefined();
  });

  describe('a filtered page over several queries', () => {
    const customerId = aCustomer().customerId;
    beforeAll(async () => {
      // 36 items: a web touchpoint after every fifth of 30 messages.
      for (let minute = 0; minute < 30; minute += 1) {
        await message(customerId, `msg-q${minute}`, minute);
        if (minute % 5 === 4) await touchpoint(customerId, `tp-q${minute}`, minute, 'web');
      }
    });

    it('keeps querying until the page is full, and pages on without a gap', async () => {
      // Prepare: three items a query, so each page of two touchpoints takes several queries.
      const small = timelineReader(resources, clients.dynamodb, { itemsPerFilteredQuery: 3 });

      // Act
      const { seen, sizes } = await allPages(customerId, { limit: 2, types: ['touchpoint'] }, small);

      // Assess
      expect(seen.map(([, when]) => when)).toEqual([29, 24, 19, 14, 9, 4].map(at));
      expect(sizes.slice(0, 3)).toEqual([2, 2, 2]);
    });

    it(`returns what it found after ${MAX_QUERIES_PER_PAGE} queries, with a cursor past everything read`, async () => {
      // Prepare: one item a query, so the budget runs out with two touchpoints of the three asked for.
      const tiny = timelineReader(resources, clients.dynamodb, { itemsPerFilteredQuery: 1 });

      // Act
      const first = await tiny.timeline(customerId, { limit: 3, types: ['touchpoint'] });
      const { seen } = await allPages(customerId, { limit: 3, types: ['touchpoint'] }, tiny);

      // Assess
      expect(first.entries.map((entry) => entry.at)).toEqual([at(29), at(24)]);
      expect(first.nextCursor).toBeDefined();
      expect(seen.map(([, when]) => when)).toEqual([29, 24, 19, 14, 9, 4].map(at));
    });
  });

  it('gives only consent changes when asked for consent, only messages when asked for messages', async () => {
    // Prepare
    const customer = aCustomer();
    await writers.customers.put(customer);
    await consentAt(customer.customerId, 1, 'email', 'opted_in');
    await message(customer.customerId, 'msg-1', 2);

    // Act
    const consentOnly = await reader.timeline(customer.customerId, { limit: 25, types: ['consent'] });
    const messagesOnly = await reader.timeline(customer.customerId, { limit: 25, types: ['message'] });

    // Assess
    expect(consentOnly.entries.map((entry) => entry.type)).toEqual(['consent']);
    expect(messagesOnly.entries.map((entry) => entry.type)).toEqual(['message']);
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['JSON without a position', Buffer.from('{"c":"someone"}').toString('base64url')],
  ])('refuses %s as a cursor', async (_what, cursor) => {
    // Act
    const reading = reader.timeline('someone', { limit: 5, cursor });

    // Assess
    await expect(reading).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
