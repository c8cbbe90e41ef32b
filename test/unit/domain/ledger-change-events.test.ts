import { LINK_CLICK_EVENT } from '../../../functions/adapters/dynamodb/link-store';
import {
  ConsentChangedEventSchema,
  DeliveryEventSchema,
  FallbackRequestSchema,
  InboundMessageSchema,
} from '../../../functions/contract';
import { deriveOwedWork, type LedgerChange } from '../../../functions/domain/ledger-change-events';

const AT = '2026-11-23T14:00:00.000Z';

/** An attempt item as the ledger stores it, after the sender recorded `sent`. */
function anAttemptItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pk: 'customer#c-1',
    sk: 'message#msg-1#attempt#1#sms',
    kind: 'attempt',
    customerId: 'c-1',
    messageId: 'msg-1',
    channel: 'sms',
    attempt: 1,
    requestId: 'req-1',
    metadata: { campaign: 'spring' },
    provider: 'twilio',
    providerMessageId: 'SM1',
    status: 'sent',
    statusRank: 20,
    history: [
      { status: 'queued', at: AT, channel: 'sms' },
      { status: 'sent', at: AT, channel: 'sms' },
    ],
    ...overrides,
  };
}

/** A receipt's history entry, as the webhook ledger appends it. */
function aReceipt(status: string, extra: Record<string, unknown> = {}) {
  return {
    status,
    at: AT,
    channel: 'sms',
    reason: status,
    providerEvent: status,
    provider: 'twilio',
    providerMessageId: 'SM1',
    ...extra,
  };
}

/** The attempt after receipts were appended to its history. */
function withReceipts(before: Record<string, unknown>, ...entries: Record<string, unknown>[]) {
  const last = entries.at(-1) as { status: string };
  return { ...before, status: last.status, history: [...(before.history as unknown[]), ...entries] };
}

function aProfile(history: Record<string, unknown>[], overrides: Record<string, unknown> = {}) {
  return {
    pk: 'customer#c-1',
    customerId: 'c-1',
    version: history.length + 1,
    consentHistory: history,
    ...overrides,
  };
}

function aConsentEntry(category: string, overrides: Record<string, unknown> = {}) {
  return {
    category,
    channel: 'sms',
    status: 'opted_out',
    at: AT,
    source: 'sms-keyword',
    reason: 'keyword STOP',
    ...overrides,
  };
}

const messages = (
  oldImage: Record<string, unknown> | undefined,
  newImage: Record<string, unknown> | undefined,
): LedgerChange => ({
  table: 'messages',
  oldImage,
  newImage,
});
const customers = (
  oldImage: Record<string, unknown> | undefined,
  newImage: Record<string, unknown> | undefined,
): LedgerChange => ({
  table: 'customers',
  oldImage,
  newImage,
});

describe('Function: deriveOwedWork', () => {
  describe('attempt items', () => {
    it('owes one delivery event per receipt appended, valid against the contract, with rank, time and a stable id', () => {
      // Prepare
      const before = anAttemptItem();
      const after = withReceipts(before, aReceipt('delivered'));

      // Act
      const { events, fallbacks } = deriveOwedWork(messages(before, after));

      // Assess
      expect(fallbacks).toEqual([]);
      expect(events).toHaveLength(1);
      expect(DeliveryEventSchema.parse(events[0])).toEqual({
        type: 'message.delivered',
        eventId: 'msg-1#1#sms#delivered',
        requestId: 'req-1',
        messageId: 'msg-1',
        customerId: 'c-1',
        channel: 'sms',
        provider: 'twilio',
        providerMessageId: 'SM1',
        status: 'delivered',
        statusRank: 30,
        at: AT,
        metadata: { campaign: 'spring' },
      });
    });

    it('owes message.clicked for a click on a short link, with the provider of the attempt', () => {
      // Prepare: the entry as adapters/dynamodb/link-store.ts appends it.
      const before = withReceipts(anAttemptItem({ provider: 'twilio' }), aReceipt('delivered'));
      const click = { status: 'clicked', at: AT, channel: 'sms', providerEvent: LINK_CLICK_EVENT };
      const after = withReceipts(before, click);

      // Act
      const { events } = deriveOwedWork(messages(before, after));

      // Assess
      expect(events).toEqual([
        expect.objectContaining({
          type: 'message.clicked',
          eventId: 'msg-1#1#sms#clicked',
          provider: 'twilio',
        }),
      ]);
    });

    it('owes nothing for a link item or a click item', () => {
      // Act
      const link = deriveOwedWork(
        messages(undefined, { pk: 'link#t', sk: 'link', kind: 'link', url: 'https://a.example' }),
      );
      const click = deriveOwedWork(
        messages(undefined, { pk: 'customer#c-1', sk: 'click#t#x', kind: 'click' }),
      );

      // Assess
      expect([link, click]).toEqual([
        { events: [], fallbacks: [] },
        { events: [], fallbacks: [] },
      ]);
    });

    it('owes the events of several receipts in one change in history order', () => {
      // Prepare
      const before = anAttemptItem({ channel: 'email', provider: 'sendgrid' });
      const after = withReceipts(before, aReceipt('delivered'), aReceipt('opened'));

      // Act
      const { events } = deriveOwedWork(messages(before, after));

      // Assess
      expect(events.map((event) => [event.type, (event as { statusRank: number }).statusRank])).toEqual([
        ['message.delivered', 30],
        ['message.opened', 40],
      ]);
    });

    it('carries the error of a failure receipt', () => {
      // Prepare
      const error = { code: '30003', message: 'Unreachable destination handset', permanent: false };
      const before = anAttemptItem();
      const after = withReceipts(before, aReceipt('undelivered', { error }));

      // Act
      const { events } = deriveOwedWork(messages(before, after));

      // Assess
      expect(DeliveryEventSchema.parse(events[0])).toMatchObject({ type: 'message.undelivered', error });
    });

    it.each([
      [
        'the lease that created the attempt',
        undefined,
        anAttemptItem({ status: 'queued', history: [{ status: 'queued', at: AT }] }),
      ],
      [
        'the sender recording sent',
        anAttemptItem({ status: 'queued', history: [{ status: 'queued', at: AT }] }),
        anAttemptItem(),
      ],
      ['a write that appends nothing (lease renewal)', anAttemptItem(), anAttemptItem({ leaseOwner: 'x' })],
    ])('owes no event for %s', (_what, before, after) => {
      // Act
      const { events, fallbacks } = deriveOwedWork(messages(before, after));

      // Assess
      expect(events).toEqual([]);
      expect(fallbacks).toEqual([]);
    });

    it('derives the same events, with the same ids, from the same change every time', () => {
      // Prepare
      const before = anAttemptItem();
      const after = withReceipts(before, aReceipt('delivered'));

      // Act
      const first = deriveOwedWork(messages(before, after));
      const again = deriveOwedWork(structuredClone(messages(before, after)));

      // Assess
      expect(again).toEqual(first);
    });

    it('owes the fallback request the attempt just claimed, with the channels tried and the claim time', () => {
      // Prepare
      const before = anAttemptItem();
      const claim = { kind: 'failure_receipt', code: '30003', at: AT, triedChannels: ['whatsapp', 'sms'] };
      const after = { ...withReceipts(before, aReceipt('undelivered')), fallbackClaim: claim };

      // Act
      const { fallbacks } = deriveOwedWork(messages(before, after));

      // Assess
      expect(fallbacks.map((request) => FallbackRequestSchema.parse(request))).toEqual([
        {
          kind: 'fallback',
          schemaVersion: 1,
          messageId: 'msg-1',
          customerId: 'c-1',
          triedChannels: ['whatsapp', 'sms'],
          reason: 'sms: failure receipt 30003',
          requestedAt: AT,
        },
      ]);
    });

    it('owes a receipt timeout fallback without any event', () => {
      // Prepare
      const before = anAttemptItem();
      const after = {
        ...before,
        fallbackClaim: { kind: 'receipt_timeout', code: 'receipt_timeout', at: AT },
      };

      // Act
      const { events, fallbacks } = deriveOwedWork(messages(before, after));

      // Assess
      expect(events).toEqual([]);
      expect(fallbacks).toEqual([
        expect.objectContaining({ triedChannels: ['sms'], reason: 'sms: no delivery receipt in time' }),
      ]);
    });

    it('owes no second fallback for a later change of an attempt that had claimed one', () => {
      // Prepare
      const claim = { kind: 'receipt_timeout', code: 'receipt_timeout', at: AT };
      const before = anAttemptItem({ fallbackClaim: claim });
      const after = withReceipts(before, aReceipt('delivered'));

      // Act
      const { events, fallbacks } = deriveOwedWork(messages(before, after));

      // Assess
      expect(fallbacks).toEqual([]);
      expect(events).toHaveLength(1);
    });
  });

  describe('inbound items', () => {
    const inbound = {
      pk: 'customer#c-1',
      sk: 'inbound#twilio#SM9',
      kind: 'inbound',
      type: 'message.inbound',
      customerId: 'c-1',
      channel: 'sms',
      from: '+15558675310',
      text: 'STOP',
      media: [],
      receivedAt: AT,
      inReplyTo: 'msg-1',
      provider: 'twilio',
      providerMessageId: 'SM9',
      consentIntent: 'opt_out',
      gsi1pk: 'timeline#c-1',
      expiresAt: 1,
    };

    it('owes the inbound message, without the ledger fields, when it is recorded', () => {
      // Act
      const { events } = deriveOwedWork(messages(undefined, inbound));

      // Assess
      expect(events.map((event) => InboundMessageSchema.parse(event))).toEqual([
        {
          type: 'message.inbound',
          eventId: 'inbound#twilio#SM9',
          customerId: 'c-1',
          channel: 'sms',
          from: '+15558675310',
          text: 'STOP',
          media: [],
          receivedAt: AT,
          inReplyTo: 'msg-1',
          provider: 'twilio',
          providerMessageId: 'SM9',
        },
      ]);
    });

    it.each([
      ['modified', inbound, { ...inbound, text: 'x' }],
      ['removed (erasure, TTL)', inbound, undefined],
    ])('owes nothing when an inbound item is %s', (_what, before, after) => {
      expect(deriveOwedWork(messages(before, after))).toEqual({ events: [], fallbacks: [] });
    });

    it('owes nothing for a message item or a remembered callback id', () => {
      expect(
        deriveOwedWork(messages(undefined, { pk: 'customer#c-1', sk: 'message#m', kind: 'message' })),
      ).toEqual({
        events: [],
        fallbacks: [],
      });
      expect(
        deriveOwedWork(messages(undefined, { pk: 'webhook#x', sk: 'webhook-event', kind: 'webhook-event' })),
      ).toEqual({
        events: [],
        fallbacks: [],
      });
    });
  });

  describe('customer profiles', () => {
    it('owes one consent event per decision, its categories grouped, valid against the contract', () => {
      // Prepare
      const before = aProfile([]);
      const after = aProfile([
        aConsentEntry('transactional', { providerMessageId: 'SM9' }),
        aConsentEntry('marketing', { providerMessageId: 'SM9' }),
      ]);

      // Act
      const { events } = deriveOwedWork(customers(before, after));

      // Assess
      expect(events.map((event) => ConsentChangedEventSchema.parse(event))).toEqual([
        {
          type: 'customer.consent_changed',
          eventId: `consent#c-1#sms#opted_out#${AT}#sms-keyword`,
          customerId: 'c-1',
          channel: 'sms',
          categories: ['transactional', 'marketing'],
          status: 'opted_out',
          source: 'sms-keyword',
          reason: 'keyword STOP',
          at: AT,
          providerMessageId: 'SM9',
          metadata: {},
        },
      ]);
    });

    it('carries the outbound message and its metadata of an unsubscribe', () => {
      // Prepare
      const entry = aConsentEntry('newsletter', {
        channel: 'email',
        source: 'email-unsubscribe',
        reason: 'unsubscribe',
        messageId: 'msg-1',
        metadata: { campaign: 'spring' },
      });

      // Act
      const { events } = deriveOwedWork(customers(aProfile([]), aProfile([entry])));

      // Assess
      expect(events[0]).toMatchObject({
        messageId: 'msg-1',
        metadata: { campaign: 'spring' },
        categories: ['newsletter'],
      });
    });

    it('owes only the entries that are new, even when the capped history dropped its oldest', () => {
      // Prepare
      const old = aConsentEntry('marketing', { at: '2026-11-01T00:00:00.000Z' });
      const kept = aConsentEntry('marketing', {
        status: 'opted_in',
        source: 'sms-keyword',
        reason: 'keyword START',
        at: '2026-11-02T00:00:00.000Z',
      });
      const added = aConsentEntry('marketing');

      // Act
      const { events } = deriveOwedWork(customers(aProfile([old, kept]), aProfile([kept, added])));

      // Assess
      expect(events.map((event) => (event as { at: string }).at)).toEqual([AT]);
    });

    it.each([
      [
        'a change made through the API (source not a provider signal)',
        aProfile([]),
        aProfile([aConsentEntry('marketing', { source: 'api' })]),
      ],
      [
        'a profile written without consent news',
        aProfile([aConsentEntry('marketing')]),
        aProfile([aConsentEntry('marketing')], { locale: 'fr' }),
      ],
      ['a new profile without history', undefined, aProfile([])],
      ['an erased profile', aProfile([aConsentEntry('marketing')]), undefined],
    ])('owes nothing for %s', (_what, before, after) => {
      expect(deriveOwedWork(customers(before, after))).toEqual({ events: [], fallbacks: [] });
    });
  });
  it('publishes the choice and its propensity on the message.queued event of a learned message', () => {
    // Prepare
    const choice = {
      strategy: 'learned',
      channel: 'whatsapp',
      propensity: 0.93,
      explored: false,
      explanation: 'whatsapp: 0.62 engaged over 14 sends vs email 0.18 over 22; cost 0.025 vs 0.0004',
    };
    const message = {
      pk: 'customer#c-1',
      sk: 'message#msg-1',
      kind: 'message',
      customerId: 'c-1',
      messageId: 'msg-1',
      requestId: 'req-1',
      createdAt: AT,
      metadata: { campaign: 'spring' },
      choice,
    };

    // Act
    const learned = deriveOwedWork({ table: 'messages', newImage: message });
    const preferred = deriveOwedWork({ table: 'messages', newImage: { ...message, choice: undefined } });
    const updated = deriveOwedWork({ table: 'messages', oldImage: message, newImage: message });

    // Assess
    expect(learned.events).toEqual([
      {
        type: 'message.queued',
        eventId: 'msg-1#routed',
        requestId: 'req-1',
        messageId: 'msg-1',
        customerId: 'c-1',
        channel: 'whatsapp',
        status: 'queued',
        statusRank: expect.any(Number),
        at: AT,
        choice: { strategy: 'learned', propensity: 0.93, explored: false, explanation: choice.explanation },
        metadata: { campaign: 'spring' },
      },
    ]);
    expect(DeliveryEventSchema.safeParse(learned.events[0]).success).toBe(true);
    expect(preferred.events).toEqual([]);
    expect(updated.events).toEqual([]);
  });
});
