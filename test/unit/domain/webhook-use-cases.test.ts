import type { MessageStatus } from '../../../functions/contract';
import { checkReceipt } from '../../../functions/domain/receipt-timeout';
import type { InboundReceipt, StatusUpdate } from '../../../functions/domain/webhook-inputs';
import { createWebhookUseCases } from '../../../functions/domain/webhook-use-cases';
import {
  aCustomer,
  anAttempt,
  InMemoryConsentStore,
  InMemoryWebhookLedger,
  RecordingReceiptCheckScheduler,
} from '../../helpers/in-memory-webhook-ports';

const NOW = new Date('2026-11-23T14:00:00Z');

function setUp(options: { plainLanguage?: 'opt-out' | 'flag' } = {}) {
  const ledger = new InMemoryWebhookLedger();
  const consent = new InMemoryConsentStore([aCustomer()]);
  const useCases = createWebhookUseCases({
    ledger,
    consent,
    plainLanguage: options.plainLanguage ?? 'flag',
    now: () => NOW,
  });
  // What the ledger's stream will publish and send comes from these writes (ledger-change-events).
  const fallbacks = () => [...ledger.fallbacks.values()];
  return { ledger, consent, fallbacks, useCases };
}

let sequence = 0;
function anUpdate(status: MessageStatus | undefined, overrides: Partial<StatusUpdate> = {}): StatusUpdate {
  sequence++;
  return {
    provider: 'twilio',
    channel: 'sms',
    providerMessageId: 'SM1342fe1b2c904d1ab04f0fc7a58abca9',
    eventId: `twilio:token-${sequence}`,
    providerEvent: status ?? 'none',
    ...(status ? { status } : {}),
    at: NOW.toISOString(),
    recipient: '+15558675310',
    // The attempt's key, as the provider echoes it (signed callback URL, custom_args).
    customerId: 'c-1',
    messageId: 'msg-1',
    attempt: 1,
    ...overrides,
  };
}

function anInbound(text: string, overrides: Partial<InboundReceipt> = {}): InboundReceipt {
  sequence++;
  return {
    provider: 'twilio',
    channel: 'sms',
    from: '+15558675310',
    to: '+15017250604',
    text,
    replyText: text,
    media: [],
    receivedAt: NOW.toISOString(),
    providerMessageId: `SM${String(sequence).padStart(32, '0')}`,
    eventId: `twilio:in-${sequence}`,
    ...overrides,
  };
}

describe('Function: applyStatusUpdates', () => {
  it('moves the attempt forward, recording the provider and its word for the delivery event', async () => {
    // Prepare
    const { ledger, useCases } = setUp();
    ledger.attempts.push(anAttempt({ status: 'sent' }));

    // Act
    const outcomes = await useCases.applyStatusUpdates([anUpdate('delivered')]);

    // Assess
    expect(outcomes).toEqual(['advanced']);
    expect(ledger.attempts[0]?.status).toBe('delivered');
    expect(ledger.history).toEqual([
      {
        messageId: 'msg-1',
        change: {
          status: 'delivered',
          at: NOW.toISOString(),
          providerEvent: 'delivered',
          provider: 'twilio',
          providerMessageId: 'SM1342fe1b2c904d1ab04f0fc7a58abca9',
        },
      },
    ]);
  });

  it('never regresses a status when callbacks arrive out of order', async () => {
    // Prepare
    const { ledger, useCases } = setUp();
    ledger.attempts.push(anAttempt({ status: 'queued' }));

    // Act
    const outcomes = await useCases.applyStatusUpdates([
      anUpdate('delivered'),
      anUpdate('sent'),
      anUpdate('queued'),
    ]);

    // Assess
    expect(outcomes).toEqual(['advanced', 'unchanged', 'unchanged']);
    expect(ledger.attempts[0]?.status).toBe('delivered');
    expect(ledger.history.map((entry) => entry.change.status)).toEqual(['delivered']);
  });

  it('answers a repeated callback with no write and no second side effect', async () => {
    // Prepare
    const { ledger, fallbacks, useCases } = setUp();
    ledger.attempts.push(anAttempt());
    const update = anUpdate('undelivered', {
      error: { code: '30003', message: 'Unreachable', permanent: false },
    });
    await useCases.applyStatusUpdates([update]);
    const advance = jest.spyOn(ledger, 'advanceStatus');

    // Act
    const outcomes = await useCases.applyStatusUpdates([update]);

    // Assess
    expect(outcomes).toEqual(['unchanged']);
    expect(advance).not.toHaveBeenCalled();
    expect(ledger.history).toHaveLength(1);
    expect(fallbacks()).toHaveLength(1);
  });

  it.each([
    ['sent', 'sent'],
    ['delivered', 'sent'],
    ['read', 'delivered'],
  ] as const)(
    'writes nothing when the attempt is already %s and the callback says %s',
    async (stored, status) => {
      // Prepare
      const { ledger, useCases } = setUp();
      ledger.attempts.push(anAttempt({ status: stored }));
      const advance = jest.spyOn(ledger, 'advanceStatus');

      // Act
      const outcomes = await useCases.applyStatusUpdates([anUpdate(status)]);

      // Assess
      expect(outcomes).toEqual(['unchanged']);
      expect(advance).not.toHaveBeenCalled();
      expect(ledger.history).toHaveLength(0);
    },
  );

  it('does not look an attempt up when the callback carries no attempt key', async () => {
    // Prepare
    const { ledger, useCases } = setUp();
    ledger.attempts.push(anAttempt());
    const find = jest.spyOn(ledger, 'findAttempt');

    // Act
    const outcomes = await useCases.applyStatusUpdates([
      anUpdate('delivered', { messageId: undefined, customerId: undefined, attempt: undefined }),
    ]);

    // Assess
    expect(outcomes).toEqual(['unknown-message']);
    expect(find).not.toHaveBeenCalled();
    expect(ledger.history).toHaveLength(0);
  });

  it('records one change when two copies of a callback with different ids race past the check', async () => {
    // Prepare
    const { ledger, useCases } = setUp();
    ledger.attempts.push(anAttempt());

    // Act
    await Promise.all([
      useCases.applyStatusUpdates([anUpdate('delivered')]),
      useCases.applyStatusUpdates([anUpdate('delivered')]),
    ]);

    // Assess
    expect(ledger.history).toHaveLength(1);
  });

  it.each(['undelivered', 'failed', 'bounced', 'dropped'] as const)(
    'claims the one fallback with the %s receipt when the request allows it',
    async (status) => {
      // Prepare
      const { ledger, fallbacks, useCases } = setUp();
      ledger.attempts.push(anAttempt());

      // Act
      const outcomes = await useCases.applyStatusUpdates([anUpdate(status)]);

      // Assess
      expect(outcomes).toEqual(['advanced-and-fell-back']);
      expect(fallbacks()).toEqual([expect.objectContaining({ kind: 'failure_receipt', code: status })]);
      expect(ledger.history[0]?.change.fallback).toEqual(
        expect.objectContaining({ kind: 'failure_receipt' }),
      );
    },
  );

  it('does not fall back when the request forbids it', async () => {
    // Prepare
    const { ledger, fallbacks, useCases } = setUp();
    ledger.attempts.push(anAttempt({ fallbackAllowed: false }));

    // Act
    await useCases.applyStatusUpdates([anUpdate('failed')]);

    // Assess
    expect(fallbacks()).toHaveLength(0);
  });

  it('does not fall back a second time when the receipt timeout already did', async () => {
    // Prepare
    const { ledger, fallbacks, useCases } = setUp();
    ledger.attempts.push(anAttempt());
    await ledger.claimFallback(anAttempt(), {
      kind: 'receipt_timeout',
      code: 'receipt_timeout',
      at: NOW.toISOString(),
    });

    // Act
    const outcomes = await useCases.applyStatusUpdates([anUpdate('undelivered')]);

    // Assess
    expect(outcomes).toEqual(['advanced']);
    expect(ledger.attempts[0]?.status).toBe('undelivered');
    expect(fallbacks()).toEqual([expect.objectContaining({ kind: 'receipt_timeout' })]);
  });

  it('opts the customer out of the channel for every category on Twilio error 21610', async () => {
    // Prepare
    const { ledger, consent, useCases } = setUp();
    ledger.attempts.push(anAttempt({ category: 'transactional' }));

    // Act
    await useCases.applyStatusUpdates([
      anUpdate('failed', {
        error: { code: '21610', message: 'STOP', permanent: true },
        consent: {
          status: 'opted_out',
          source: 'carrier-opt-out',
          reason: 'twilio error 21610',
          scope: 'channel',
        },
      }),
    ]);

    // Assess
    const customer = await consent.get('c-1');
    expect(customer?.consent.marketing?.sms).toMatchObject({
      status: 'opted_out',
      source: 'carrier-opt-out',
    });
    expect(customer?.consent.transactional?.sms).toMatchObject({ status: 'opted_out' });
    expect(consent.changes).toEqual([
      expect.objectContaining({
        channel: 'sms',
        record: expect.objectContaining({ status: 'opted_out' }),
        categories: ['transactional', 'marketing'],
        reason: 'twilio error 21610',
      }),
    ]);
  });

  it('opts out of email for the message category on a SendGrid unsubscribe', async () => {
    // Prepare
    const { ledger, consent, useCases } = setUp();
    ledger.attempts.push(
      anAttempt({
        channel: 'email',
        provider: 'sendgrid',
        providerMessageId: 'x.y.z',
        category: 'newsletter',
      }),
    );

    // Act
    const outcomes = await useCases.applyStatusUpdates([
      anUpdate(undefined, {
        provider: 'sendgrid',
        channel: 'email',
        providerMessageId: 'x.y.z',
        recipient: 'example@test.com',
        consent: {
          status: 'opted_out',
          source: 'email-unsubscribe',
          reason: 'sendgrid unsubscribe',
          scope: 'message-category',
        },
      }),
    ]);

    // Assess
    expect(outcomes).toEqual(['consent-only']);
    expect((await consent.get('c-1'))?.consent.newsletter?.email?.status).toBe('opted_out');
    expect((await consent.get('c-1'))?.consent.marketing?.email).toBeUndefined();
    // The message and its metadata ride in the history entry, for the consent event.
    expect(consent.changes).toEqual([
      expect.objectContaining({
        categories: ['newsletter'],
        context: { messageId: 'msg-1', providerMessageId: 'x.y.z', metadata: { campaign: 'spring' } },
      }),
    ]);
  });

  it('marks a hard-bounced address invalid', async () => {
    // Prepare
    const { ledger, consent, useCases } = setUp();
    ledger.attempts.push(anAttempt({ channel: 'email', provider: 'sendgrid', providerMessageId: 'x.y.z' }));

    // Act
    await useCases.applyStatusUpdates([
      anUpdate('bounced', {
        provider: 'sendgrid',
        channel: 'email',
        providerMessageId: 'x.y.z',
        recipient: 'example@test.com',
        error: { code: 'bounce', message: '550', permanent: true },
        addressInvalid: true,
      }),
    ]);

    // Assess
    expect(consent.invalidAddresses).toEqual([
      { customerId: 'c-1', channel: 'email', address: 'example@test.com', reason: 'bounce' },
    ]);
  });

  it('finds the attempt by the messageId the provider echoed when the provider id is unknown', async () => {
    // Prepare
    const { ledger, useCases } = setUp();
    ledger.attempts.push(anAttempt({ channel: 'email', provider: 'sendgrid', providerMessageId: 'other' }));

    // Act
    const outcomes = await useCases.applyStatusUpdates([
      anUpdate('delivered', {
        provider: 'sendgrid',
        channel: 'email',
        providerMessageId: 'x.y.z',
        messageId: 'msg-1',
      }),
    ]);

    // Assess
    expect(outcomes).toEqual(['advanced']);
  });

  it('answers an update for an attempt the ledger does not have as unknown, remembering nothing', async () => {
    // Prepare
    const { ledger, useCases } = setUp();
    const update = anUpdate('delivered', { messageId: 'msg-unknown' });

    // Act
    const outcomes = await useCases.applyStatusUpdates([update]);

    // Assess
    expect(outcomes).toEqual(['unknown-message']);
    expect(ledger.seen.has(update.eventId)).toBe(false);
    expect(ledger.history).toHaveLength(0);
  });

  it('applies a batch of updates in order', async () => {
    // Prepare
    const { ledger, useCases } = setUp();
    ledger.attempts.push(anAttempt({ status: 'queued' }));

    // Act
    await useCases.applyStatusUpdates([anUpdate('sent'), anUpdate('delivered'), anUpdate('read')]);

    // Assess
    expect(ledger.history.map((entry) => entry.change.status)).toEqual(['sent', 'delivered', 'read']);
  });
});

describe('Function: receiveInbound', () => {
  it('records an inbound message from a known customer, linked to the latest outbound one', async () => {
    // Prepare
    const { ledger, useCases } = setUp();
    ledger.latestOutbound.set('c-1#sms', 'msg-9');

    // Act
    const outcome = await useCases.receiveInbound(anInbound('See you Tuesday'));

    // Assess
    expect(outcome).toBe('recorded');
    expect(ledger.inbound[0]?.message).toMatchObject({
      type: 'message.inbound',
      customerId: 'c-1',
      inReplyTo: 'msg-9',
      text: 'See you Tuesday',
    });
    expect(ledger.inbound).toHaveLength(1);
  });

  it('records an unknown sender as an anonymous contact instead of dropping it', async () => {
    // Prepare
    const { ledger, useCases } = setUp();

    // Act
    await useCases.receiveInbound(anInbound('Who is this?', { from: '+15550001111' }));

    // Assess
    expect(ledger.inbound[0]?.message.customerId).toBeUndefined();
    expect(ledger.inbound[0]?.message).toMatchObject({ type: 'message.inbound', from: '+15550001111' });
  });

  it('keeps the opt-out when a START carries the same time as the STOP', async () => {
    // Prepare
    const { consent, useCases } = setUp();

    // Act
    await useCases.receiveInbound(anInbound('STOP'));
    await useCases.receiveInbound(anInbound('START'));

    // Assess
    expect((await consent.get('c-1'))?.consent.marketing?.sms).toMatchObject({ status: 'opted_out' });
  });

  it('opens the WhatsApp window for 24 hours on an inbound WhatsApp message', async () => {
    // Prepare
    const { consent, useCases } = setUp();

    // Act
    await useCases.receiveInbound(anInbound('Hi', { channel: 'whatsapp' }));

    // Assess
    expect(consent.windows.get('c-1')).toBe('2026-11-24T14:00:00.000Z');
  });

  it('opts the customer out of the channel on STOP and back in on a later START', async () => {
    // Prepare
    const { consent, useCases } = setUp();
    const later = new Date(NOW.getTime() + 1_000).toISOString();

    // Act
    await useCases.receiveInbound(anInbound('STOP'));
    const afterStop = structuredClone((await consent.get('c-1'))?.consent);
    await useCases.receiveInbound(anInbound('START', { receivedAt: later }));

    // Assess
    expect(afterStop?.marketing?.sms).toMatchObject({ status: 'opted_out', source: 'sms-keyword' });
    expect((await consent.get('c-1'))?.consent.marketing?.sms).toMatchObject({
      status: 'opted_in',
      source: 'sms-keyword',
    });
    expect(consent.changes).toEqual([
      expect.objectContaining({
        record: expect.objectContaining({ status: 'opted_out' }),
        reason: 'keyword STOP',
      }),
      expect.objectContaining({
        record: expect.objectContaining({ status: 'opted_in' }),
        reason: 'keyword START',
      }),
    ]);
  });

  it('records no consent change for a repeated STOP', async () => {
    // Prepare
    const { consent, useCases } = setUp();
    await useCases.receiveInbound(anInbound('STOP'));

    // Act
    await useCases.receiveInbound(anInbound('stop'));

    // Assess
    expect(consent.changes).toHaveLength(1);
  });

  it('records HELP without changing consent', async () => {
    // Prepare
    const { ledger, consent, useCases } = setUp();

    // Act
    await useCases.receiveInbound(anInbound('HELP'));

    // Assess
    expect(ledger.inbound[0]?.annotations).toEqual({ consentIntent: 'help', consentMatched: 'HELP' });
    expect((await consent.get('c-1'))?.consent.marketing?.sms?.status).toBe('opted_in');
  });

  it.each([
    ['flag', 'review', 'opted_in'],
    ['opt-out', 'opt_out', 'opted_out'],
  ] as const)(
    'with plain language set to %s, flags or opts out "please stop texting me"',
    async (policy, intent, status) => {
      // Prepare
      const { ledger, consent, useCases } = setUp({ plainLanguage: policy });

      // Act
      await useCases.receiveInbound(anInbound('please stop texting me'));

      // Assess
      expect(ledger.inbound[0]?.annotations.consentIntent).toBe(intent);
      expect((await consent.get('c-1'))?.consent.marketing?.sms?.status).toBe(status);
    },
  );

  it('answers a redelivered inbound message as a duplicate with no second side effect', async () => {
    // Prepare
    const { ledger, consent, useCases } = setUp();
    const inbound = anInbound('STOP');
    await useCases.receiveInbound(inbound);

    // Act
    const again = await useCases.receiveInbound(inbound);
    const racedCopy = await useCases.receiveInbound({ ...inbound, eventId: 'twilio:other-token' });

    // Assess
    expect([again, racedCopy]).toEqual(['duplicate', 'completed']);
    expect(ledger.inbound).toHaveLength(1);
    expect(consent.changes).toHaveLength(1);
  });
});

describe('Function: checkReceipt', () => {
  function setUpCheck(attemptOverrides: Parameters<typeof anAttempt>[0] = {}) {
    const ledger = new InMemoryWebhookLedger();
    ledger.attempts.push(anAttempt(attemptOverrides));
    const scheduler = new RecordingReceiptCheckScheduler();
    const fallbacks = () => [...ledger.fallbacks.values()];
    return { ledger, fallbacks, scheduler, deps: { ledger, scheduler, now: () => NOW } };
  }
  const check = (dueAt: string, attempt = 1) => ({
    schemaVersion: 1 as const,
    messageId: 'msg-1',
    customerId: 'c-1',
    channel: 'sms' as const,
    attempt,
    dueAt,
  });

  it('delays a check that came back before it was due', async () => {
    // Prepare
    const { scheduler, fallbacks, deps } = setUpCheck();

    // Act
    const outcome = await checkReceipt(check('2026-11-23T15:00:00Z'), deps);

    // Assess
    expect(outcome).toBe('not-due');
    expect(scheduler.scheduled).toHaveLength(1);
    expect(fallbacks()).toHaveLength(0);
  });

  it('falls back once when no receipt arrived in time', async () => {
    // Prepare
    const { fallbacks, deps } = setUpCheck({ status: 'sent' });

    // Act
    const first = await checkReceipt(check('2026-11-23T13:59:00Z'), deps);
    const second = await checkReceipt(check('2026-11-23T13:59:00Z'), deps);

    // Assess
    expect([first, second]).toEqual(['fell-back', 'already-fallen-back']);
    expect(fallbacks()).toEqual([expect.objectContaining({ kind: 'receipt_timeout' })]);
  });

  it.each([
    ['delivered', 'receipt-arrived'],
    ['read', 'receipt-arrived'],
    ['undelivered', 'receipt-arrived'],
  ] as const)('does nothing when the attempt is %s', async (status, expected) => {
    // Prepare
    const { fallbacks, deps } = setUpCheck({ status });

    // Act
    const outcome = await checkReceipt(check('2026-11-23T13:59:00Z'), deps);

    // Assess
    expect(outcome).toBe(expected);
    expect(fallbacks()).toHaveLength(0);
  });

  it('ignores a check for an attempt the ledger does not have', async () => {
    // Prepare
    const { fallbacks, deps } = setUpCheck({ attempt: 2 });

    // Act
    const outcome = await checkReceipt(check('2026-11-23T13:59:00Z', 1), deps);

    // Assess
    expect(outcome).toBe('unknown-message');
    expect(fallbacks()).toHaveLength(0);
  });

  it('records a receipt that arrives after the timeout fell back, without sending again', async () => {
    // Prepare
    const { ledger, fallbacks, deps } = setUpCheck({ status: 'sent' });
    await checkReceipt(check('2026-11-23T13:59:00Z'), deps);
    const useCases = createWebhookUseCases({
      ledger,
      consent: new InMemoryConsentStore([aCustomer()]),
      plainLanguage: 'flag',
      now: () => NOW,
    });

    // Act
    await useCases.applyStatusUpdates([anUpdate('undelivered')]);

    // Assess
    expect(ledger.attempts[0]?.status).toBe('undelivered');
    expect(fallbacks()).toHaveLength(1);
  });
});
