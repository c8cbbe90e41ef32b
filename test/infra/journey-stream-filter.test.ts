/**
 * The journey-events stream filter (infra/journey-stream-filter.ts), applied as the local runtime
 * applies it (matchesFilterPattern) to records built from the tables' own item shapes, and checked
 * against what the engine derives from the same records (domain/journeys/journey-inputs.ts): every
 * record the engine acts on passes, and what passes is what it acts on, with one documented exception.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { toInboundItem, toTouchpointItem } from '../../functions/adapters/dynamodb/messages-table';
import { toLedgerChange } from '../../functions/adapters/dynamodb/stream-records';
import { ConsentSource, type Journey, type StepOutcome } from '../../functions/contract';
import { hasOutcome, readsOutcomes } from '../../functions/domain/journeys/journey-conditions';
import { journeyInputsOf } from '../../functions/domain/journeys/journey-inputs';
import {
  journeyEventNames,
  journeyStreamPatterns,
  MAX_FILTER_PATTERN_LENGTH,
} from '../../infra/journey-stream-filter';
import { matchesFilterPattern } from '../../infra/ledger-stream-filter';
import { aFollowUpJourney, aJourney, aSeedJourney } from '../helpers/journeys';

const TABLES = { messages: 'switchboard-messages', customers: 'switchboard-customers' } as const;
type Table = keyof typeof TABLES;
type Item = Record<string, unknown>;

/** A Lambda stream record of one table, its images marshalled as DynamoDB Streams delivers them. */
function aRecord(
  table: Table,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { old?: Item; new?: Item },
) {
  const image = (item: Item) =>
    marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true });
  return {
    eventName,
    eventSourceARN: `arn:aws:dynamodb:eu-west-1:000000000000:table/${TABLES[table]}/stream/2026-12-05T00:00:00.000`,
    dynamodb: {
      SequenceNumber: '1',
      ...(images.old ? { OldImage: image(images.old) } : {}),
      ...(images.new ? { NewImage: image(images.new) } : {}),
    },
  } as unknown as DynamoDBRecord;
}

const AT = '2026-12-05T10:00:00.000Z';

/** A customer's (or an anonymous visitor's) new touchpoint item. */
const aTouchpoint = (name: string, owner: { customerId: string } | { anonymousId: string }) =>
  aRecord('messages', 'INSERT', {
    new: toTouchpointItem(
      'customerId' in owner
        ? { kind: 'customer', customerId: owner.customerId }
        : { kind: 'anonymous', anonymousId: owner.anonymousId },
      {
        messageId: `tp-${name}`,
        type: 'track',
        name,
        ...owner,
        occurredAt: AT,
        receivedAt: AT,
        properties: { cartId: 'cart-1' },
      },
    ),
  });

/** The journey metadata a journey's message carries (SPEC-18). */
const JOURNEY_METADATA = {
  journeyId: 'cart-recovery',
  journeyVersion: '1',
  journeyRunId: 'jr_1',
  journeyKey: 'cart-1',
  journeyStepId: 'push-reminder',
};

/** An attempt item gaining a provider's receipt, `delivered` unless said (as attempt-ledger.ts writes it). */
const anAttemptReceipt = (metadata: Record<string, string>, status = 'delivered') => {
  const before = {
    pk: 'customer#camille',
    sk: 'message#msg_1#attempt#1#push',
    kind: 'attempt',
    customerId: 'camille',
    messageId: 'msg_1',
    channel: 'push',
    attempt: 1,
    status: 'sent',
    requestId: 'jr_1.push-reminder',
    category: 'marketing',
    metadata,
    history: [
      { status: 'queued', at: AT },
      { status: 'sent', at: AT, channel: 'push' },
    ],
  };
  const after = {
    ...before,
    status,
    history: [...before.history, { status, at: AT, channel: 'push', providerEvent: status }],
  };
  return aRecord('messages', 'MODIFY', { old: before, new: after });
};

/** A new message item routed by a learned choice (its `message.queued` event). */
const aLearnedMessage = (metadata: Record<string, string>) =>
  aRecord('messages', 'INSERT', {
    new: {
      pk: 'customer#camille',
      sk: 'message#msg_2',
      kind: 'message',
      messageId: 'msg_2',
      customerId: 'camille',
      requestId: 'jr_1.push-reminder',
      createdAt: AT,
      status: 'queued',
      metadata,
      choice: { strategy: 'learned', channel: 'push', propensity: 1, explored: false, explanation: 'push' },
    },
  });

/** A new inbound message item, of a known customer or of an unknown sender. */
const anInbound = (customerId?: string) =>
  aRecord('messages', 'INSERT', {
    new: toInboundItem(
      {
        type: 'message.inbound',
        ...(customerId ? { customerId } : {}),
        channel: 'sms',
        from: '+14155550123',
        text: 'STOP',
        media: [],
        receivedAt: AT,
        provider: 'twilio',
        providerMessageId: 'SM1',
      },
      {},
      0,
      'contact-1',
    ),
  });

/** A profile gaining a consent change from a provider signal (a texted STOP). */
const aConsentChange = () => {
  const before = { pk: 'customer#camille', customerId: 'camille', version: 1, consentHistory: [] };
  const entry = {
    category: 'marketing',
    channel: 'sms',
    status: 'opted_out',
    at: AT,
    source: ConsentSource.SMS_KEYWORD,
  };
  return aRecord('customers', 'MODIFY', {
    old: before,
    new: { ...before, version: 2, consentHistory: [entry] },
  });
};

/** The engine's own items: a run, a stored document, a stats shard. */
const engineItems = () => [
  aRecord('messages', 'INSERT', {
    new: {
      pk: 'customer#camille',
      sk: 'journey#cart-recovery#cart-1',
      kind: 'journey-run',
      status: 'active',
    },
  }),
  aRecord('messages', 'INSERT', {
    new: { pk: 'journeydoc#cart-recovery', sk: 'v1', kind: 'journey-document', journeyId: 'cart-recovery' },
  }),
  aRecord('messages', 'MODIFY', {
    old: { pk: 'journeystats#cart-recovery#0', sk: 'v1', kind: 'journey-stats', entered: 1 },
    new: { pk: 'journeystats#cart-recovery#0', sk: 'v1', kind: 'journey-stats', entered: 2 },
  }),
];

/** Whether the journeys' filter lets a record of a table through. */
const passes = (journeys: readonly Journey[], table: Table, record: DynamoDBRecord) =>
  journeyStreamPatterns(table, journeys).some((pattern) => matchesFilterPattern(pattern, record));

/** Whether the engine derives an input from a record: an event a journey names, or a run's message status. */
const engineActsOn = (journeys: readonly Journey[], record: DynamoDBRecord) => {
  const names = new Set(journeyEventNames(journeys));
  const inputs = journeyInputsOf(toLedgerChange(record, TABLES));
  const readers = new Set(journeys.filter(readsOutcomes).map((journey) => journey.id));
  return (
    inputs.events.some((event) => names.has(event.name)) ||
    inputs.statuses.some((status) => readers.has(status.journeyId))
  );
};

const tableOf = (record: DynamoDBRecord): Table =>
  record.eventSourceARN?.includes(TABLES.customers) ? 'customers' : 'messages';

describe('Function: journeyStreamPatterns for a journey that branches on an outcome', () => {
  const reader = aFollowUpJourney();
  const journeys = [reader, aSeedJourney('cart-recovery')];

  it("lets through its messages' receipts, and still drops the others journeys' ones", () => {
    // Prepare
    const mine = anAttemptReceipt({ ...JOURNEY_METADATA, journeyId: 'follow-up', journeyStepId: 'remind' });
    const theirs = anAttemptReceipt(JOURNEY_METADATA);

    // Act
    const passed = [mine, theirs].map((record) => passes(journeys, 'messages', record));

    // Assess
    expect(passed).toEqual([true, false]);
    expect([mine, theirs].map((record) => engineActsOn(journeys, record))).toEqual([true, false]);
  });
});

describe('Function: journeyStreamPatterns', () => {
  describe('for the seed journeys (cart-recovery, post-purchase)', () => {
    const seeds = [aSeedJourney('cart-recovery'), aSeedJourney('post-purchase')];

    it('names the events the seeds enter on, exit on and wait for', () => {
      // Act
      const names = journeyEventNames(seeds);

      // Assess
      expect(names).toEqual(['Order Completed', 'Product Added']);
    });

    it.each([
      ["a customer's new Product Added", aTouchpoint('Product Added', { customerId: 'camille' })],
      ["a customer's new Order Completed", aTouchpoint('Order Completed', { customerId: 'camille' })],
    ])('lets through %s, which the engine acts on', (_, record) => {
      // Act
      const passed = passes(seeds, 'messages', record);

      // Assess
      expect(passed).toBe(true);
      expect(engineActsOn(seeds, record)).toBe(true);
    });

    it.each<[string, DynamoDBRecord]>([
      ['another touchpoint', aTouchpoint('Product Viewed', { customerId: 'camille' })],
      ["an anonymous visitor's Product Added", aTouchpoint('Product Added', { anonymousId: 'anon-1' })],
      ["another message's delivery receipt", anAttemptReceipt({ orderId: 'o-1' })],
      [
        "a seed journey message's delivery receipt (no seed branches on an outcome)",
        anAttemptReceipt(JOURNEY_METADATA),
      ],
      [
        'a receipt of a message missing the run key',
        anAttemptReceipt({ journeyId: 'cart-recovery', journeyRunId: 'jr_1' }),
      ],
      ['a new inbound message', anInbound('camille')],
      ...engineItems().map((record): [string, DynamoDBRecord] => ['one of the engine’s own items', record]),
      [
        'a changed touchpoint',
        aRecord('messages', 'MODIFY', {
          old: { pk: 'customer#camille', sk: 'touchpoint#t', kind: 'touchpoint', name: 'Product Added' },
          new: {
            pk: 'customer#camille',
            sk: 'touchpoint#t',
            kind: 'touchpoint',
            name: 'Product Added',
            x: 1,
          },
        }),
      ],
      [
        'a removal',
        aRecord('messages', 'REMOVE', {
          old: { pk: 'customer#camille', sk: 'touchpoint#t', kind: 'touchpoint', name: 'Product Added' },
        }),
      ],
    ])('drops %s, which the engine ignores', (_, record) => {
      // Act
      const passed = passes(seeds, 'messages', record);

      // Assess
      expect(passed).toBe(false);
      expect(engineActsOn(seeds, record)).toBe(false);
    });

    it("drops a journey message's learned-choice queued status, which satisfies no outcome a branch tests", () => {
      // Prepare
      const record = aLearnedMessage(JOURNEY_METADATA);
      const outcomes: StepOutcome[] = ['sent', 'delivered', 'read', 'clicked', 'failed'];

      // Act
      const passed = passes(seeds, 'messages', record);
      const { statuses } = journeyInputsOf(toLedgerChange(record, TABLES));

      // Assess
      expect(passed).toBe(false);
      expect(statuses.map((status) => status.status)).toEqual(['queued']);
      expect(outcomes.filter((outcome) => hasOutcome('queued', outcome))).toEqual([]);
    });

    it('reads no change of the customers table', () => {
      // Act
      const patterns = journeyStreamPatterns('customers', seeds);

      // Assess
      expect(patterns).toEqual([]);
      expect(passes(seeds, 'customers', aConsentChange())).toBe(false);
    });
  });

  describe("for journeys that name Switchboard's own events", () => {
    const journeys = [
      aJourney({
        id: 'click-follow-up',
        entry: { event: 'message.clicked' },
        exitOn: [{ event: 'customer.consent_changed', key: false }],
        steps: [
          {
            id: 'reply',
            type: 'waitFor',
            event: 'message.inbound',
            key: false,
            timeout: 'P1D',
            onEvent: 'done',
            onTimeout: 'done',
          },
          { id: 'done', type: 'exit' },
        ],
      }),
      aJourney({ id: 'learned', entry: { event: 'message.queued' } }),
    ];

    it.each([
      ["any message's click (message.clicked)", anAttemptReceipt({ orderId: 'o-1' }, 'clicked')],
      ["a customer's new inbound message", anInbound('camille')],
      ['a learned choice (message.queued)', aLearnedMessage({})],
      ["a profile's provider consent change", aConsentChange()],
    ])('lets through %s', (_, record) => {
      // Act
      const passed = passes(journeys, tableOf(record), record);

      // Assess
      expect(passed).toBe(true);
      expect(engineActsOn(journeys, record)).toBe(true);
    });

    it.each<[string, DynamoDBRecord]>([
      ["an unknown sender's inbound message", anInbound()],
      [
        "an address item's change on the customers table",
        aRecord('customers', 'INSERT', { new: { pk: 'address#sms#abc', customerId: 'camille' } }),
      ],
      ['a touchpoint no journey names', aTouchpoint('Product Added', { customerId: 'camille' })],
      ...engineItems().map((record): [string, DynamoDBRecord] => ['one of the engine’s own items', record]),
    ])('drops %s', (_, record) => {
      // Act
      const passed = passes(journeys, tableOf(record), record);

      // Assess
      expect(passed).toBe(false);
      expect(engineActsOn(journeys, record)).toBe(false);
    });
  });

  it('has no pattern on either table when no journey is deployed', () => {
    // Act
    const patterns = [journeyStreamPatterns('messages', []), journeyStreamPatterns('customers', [])];

    // Assess
    expect(patterns).toEqual([[], []]);
  });

  it("refuses a pattern longer than Lambda's limit, naming the table", () => {
    // Prepare: forty journeys entering on long, distinct touchpoint names.
    const journeys = Array.from({ length: 40 }, (_, index) =>
      aJourney({
        id: `j-${index}`,
        entry: { event: `${'A very long touchpoint event name '.repeat(3)}${index}` },
      }),
    );

    // Act
    const build = () => journeyStreamPatterns('messages', journeys);

    // Assess
    expect(build).toThrow(`messages table is`);
    expect(build).toThrow(`over Lambda's ${MAX_FILTER_PATTERN_LENGTH}`);
  });
});
