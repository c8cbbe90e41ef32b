/**
 * The webhook handlers end to end over the use-case logic: real signatures, real parsers, the real
 * use cases, with the stateful ports in memory (their DynamoDB adapters are tested on the
 * emulators where they live).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { createSendGridSignatureVerifier } from '../../../functions/adapters/sendgrid/signature';
import { createWebhookUseCases } from '../../../functions/domain/webhook-use-cases';
import { createSendGridWebhookHandler } from '../../../functions/handlers/sendgrid-webhook';
import { createTwilioWebhookHandler, EMPTY_TWIML } from '../../../functions/handlers/twilio-webhook';
import {
  aCustomer,
  anAttempt,
  InMemoryConsentStore,
  InMemoryWebhookLedger,
} from '../../helpers/in-memory-webhook-ports';
import {
  apiGatewayEvent,
  inboundParseRequest,
  sendGridEvent,
  sendGridEventsRequest,
  sendGridKeyPair,
  TEST_INBOUND_SECRET,
  TEST_TWILIO_AUTH_TOKEN,
  twilioFixtures,
  twilioRequest,
  twilioStatusRequest,
} from '../../helpers/webhook-requests';

const NOW = new Date('2026-11-23T14:00:00Z');
const keys = sendGridKeyPair();
const silent = new Logger({ logLevel: 'SILENT' });

function setUp(clock: () => Date = () => NOW) {
  const ledger = new InMemoryWebhookLedger();
  const consent = new InMemoryConsentStore([aCustomer()]);
  const useCases = createWebhookUseCases({
    ledger,
    consent,
    plainLanguage: 'flag',
    now: () => NOW,
  });
  const twilio = createTwilioWebhookHandler({
    authToken: async () => TEST_TWILIO_AUTH_TOKEN,
    useCases,
    now: clock,
    logger: silent,
  });
  const sendgrid = createSendGridWebhookHandler({
    verifyEvents: createSendGridSignatureVerifier({ publicKey: keys.publicKey, now: () => NOW }),
    inboundParseSecret: async () => TEST_INBOUND_SECRET,
    useCases,
    now: () => NOW,
    logger: silent,
  });
  const state = () =>
    JSON.stringify([ledger, [...consent.customers.values()], consent.windows, [...ledger.fallbacks]]);
  // The status changes written, each one event on the ledger's stream; the fallbacks claimed.
  const recorded = () => ledger.history.map((entry) => entry.change.status);
  const fallbacks = () => [...ledger.fallbacks.values()];
  return { ledger, consent, recorded, fallbacks, twilio, sendgrid, state };
}

describe('Function: twilio webhook handler', () => {
  it('applies a signed status callback to the right message', async () => {
    // Prepare
    const { ledger, recorded, twilio } = setUp();
    ledger.attempts.push(anAttempt({ status: 'sent' }));

    // Act
    const response = await twilio(twilioStatusRequest(twilioFixtures.smsStatus('delivered')));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(ledger.attempts[0]?.status).toBe('delivered');
    expect(recorded()).toEqual(['delivered']);
  });

  it('applies a status callback that arrives through a Lambda function URL', async () => {
    // Prepare
    const { ledger, recorded, twilio } = setUp();
    ledger.attempts.push(anAttempt({ status: 'sent' }));

    // Act
    const response = await twilio(
      twilioStatusRequest(twilioFixtures.smsStatus('delivered'), undefined, { functionUrl: true }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(ledger.attempts[0]?.status).toBe('delivered');
    expect(recorded()).toEqual(['delivered']);
  });

  it('answers a signed status callback without an attempt key 200 unknown-message, changing nothing', async () => {
    // Prepare
    const { ledger, recorded, twilio } = setUp();
    ledger.attempts.push(anAttempt({ status: 'sent' }));

    // Act
    const response = await twilio(
      twilioRequest('/webhooks/twilio/status', twilioFixtures.smsStatus('delivered')),
    );

    // Assess
    expect(response).toMatchObject({ statusCode: 200, body: JSON.stringify({ outcome: 'unknown-message' }) });
    expect(ledger.attempts[0]?.status).toBe('sent');
    expect(recorded()).toHaveLength(0);
  });

  it('falls back to the next channel on an undelivered SMS', async () => {
    // Prepare
    const { ledger, fallbacks, twilio } = setUp();
    ledger.attempts.push(anAttempt({ status: 'sent' }));

    // Act
    await twilio(twilioStatusRequest(twilioFixtures.smsStatus('undelivered', { ErrorCode: '30003' })));

    // Assess
    expect(fallbacks()).toHaveLength(1);
    expect(fallbacks()[0]).toMatchObject({ kind: 'failure_receipt', code: '30003' });
  });

  it('answers a retried callback 200 with no second side effect', async () => {
    // Prepare
    const { ledger, recorded, fallbacks, twilio } = setUp();
    ledger.attempts.push(anAttempt({ status: 'sent' }));
    const request = twilioStatusRequest(twilioFixtures.smsStatus('failed', { ErrorCode: '30005' }));
    await twilio(request);

    // Act
    const response = await twilio(request);

    // Assess
    expect(response).toMatchObject({ statusCode: 200, body: JSON.stringify({ outcome: 'unchanged' }) });
    expect(recorded()).toHaveLength(1);
    expect(fallbacks()).toHaveLength(1);
  });

  it('records an inbound WhatsApp message, opens the window and answers empty TwiML', async () => {
    // Prepare
    const { consent, ledger, twilio } = setUp();

    // Act
    const response = await twilio(
      twilioRequest('/webhooks/twilio/inbound', twilioFixtures.inboundWhatsApp('Hi there')),
    );

    // Assess
    expect(response).toMatchObject({
      statusCode: 200,
      headers: { 'content-type': 'text/xml' },
      body: EMPTY_TWIML,
    });
    expect(ledger.inbound[0]?.message).toMatchObject({
      channel: 'whatsapp',
      customerId: 'c-1',
      text: 'Hi there',
    });
    expect(consent.windows.get('c-1')).toBe('2026-11-24T14:00:00.000Z');
  });

  it('opts out on an inbound STOP and back in on a later START', async () => {
    // Prepare
    let now = NOW;
    const { consent, twilio } = setUp(() => now);

    // Act
    await twilio(twilioRequest('/webhooks/twilio/inbound', twilioFixtures.inboundSms('STOP')));
    const afterStop = (await consent.get('c-1'))?.consent.marketing?.sms?.status;
    now = new Date(NOW.getTime() + 1_000);
    await twilio(
      twilioRequest(
        '/webhooks/twilio/inbound',
        twilioFixtures.inboundSms('START', { MessageSid: `SM${'b'.repeat(32)}` }),
      ),
    );

    // Assess
    expect(afterStop).toBe('opted_out');
    expect((await consent.get('c-1'))?.consent.marketing?.sms?.status).toBe('opted_in');
  });

  it.each([
    [
      'a forged signature',
      401,
      () =>
        twilioStatusRequest(twilioFixtures.smsStatus('delivered'), undefined, {
          authToken: 'x'.repeat(32),
        }),
    ],
    [
      'a tampered body',
      401,
      () => {
        const event = twilioStatusRequest(twilioFixtures.smsStatus('sent'));
        return { ...event, body: event.body?.replace('sent', 'delivered') };
      },
    ],
    [
      'no signature',
      401,
      () => apiGatewayEvent({ rawPath: '/webhooks/twilio/status', body: 'MessageStatus=delivered' }),
    ],
    ['a signed but malformed callback', 400, () => twilioStatusRequest({ MessageStatus: 'delivered' })],
    [
      'a signed callback that is not a form',
      400,
      () =>
        twilioStatusRequest(twilioFixtures.smsStatus('delivered'), undefined, {
          headers: { 'content-type': 'application/json' },
        }),
    ],
    [
      'an unknown route',
      404,
      () => twilioRequest('/webhooks/twilio/other', twilioFixtures.smsStatus('delivered')),
    ],
    ['a GET', 405, () => apiGatewayEvent({ method: 'GET', rawPath: '/webhooks/twilio/status' })],
  ])('rejects %s with %s and changes nothing', async (_name, statusCode, build) => {
    // Prepare
    const { ledger, twilio, state } = setUp();
    ledger.attempts.push(anAttempt({ status: 'sent' }));
    const before = state();

    // Act
    const response = await twilio(build());

    // Assess
    expect(response.statusCode).toBe(statusCode);
    expect(state()).toBe(before);
  });

  it('answers 500 (so Twilio retries) when Switchboard itself fails', async () => {
    // Prepare
    const { ledger, twilio } = setUp();
    jest.spyOn(ledger, 'findAttempt').mockRejectedValueOnce(new Error('DynamoDB unavailable'));

    // Act
    const response = await twilio(twilioStatusRequest(twilioFixtures.smsStatus('delivered')));

    // Assess
    expect(response.statusCode).toBe(500);
  });
});

describe('Function: sendgrid webhook handler', () => {
  const emailAttempt = () =>
    anAttempt({
      channel: 'email',
      provider: 'sendgrid',
      providerMessageId: '14c5d75ce93.dfd.64b469',
      status: 'queued',
    });

  it('applies a signed batch of events in order, never regressing', async () => {
    // Prepare
    const { ledger, recorded, sendgrid } = setUp();
    ledger.attempts.push(emailAttempt());
    const batch = [
      sendGridEvent('processed'),
      sendGridEvent('delivered'),
      sendGridEvent('open'),
      sendGridEvent('processed'),
    ];

    // Act
    const response = await sendgrid(sendGridEventsRequest(keys.privateKey, batch, { now: NOW }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(ledger.attempts[0]?.status).toBe('opened');
    expect(recorded()).toEqual(['sent', 'delivered', 'opened']);
  });

  it('falls back on a bounce and marks a hard-bounced address invalid', async () => {
    // Prepare
    const { ledger, consent, fallbacks, sendgrid } = setUp();
    ledger.attempts.push(emailAttempt());

    // Act
    await sendgrid(
      sendGridEventsRequest(
        keys.privateKey,
        [sendGridEvent('bounce', { type: 'bounce', reason: '550 5.1.1 unknown user' })],
        {
          now: NOW,
        },
      ),
    );

    // Assess
    expect(fallbacks()).toHaveLength(1);
    expect(consent.invalidAddresses).toEqual([
      expect.objectContaining({ channel: 'email', address: 'example@test.com' }),
    ]);
  });

  it('applies a re-sent event once: no second write, no second event', async () => {
    // Prepare
    const { ledger, recorded, sendgrid } = setUp();
    ledger.attempts.push(emailAttempt());
    const delivered = sendGridEvent('delivered');
    await sendgrid(sendGridEventsRequest(keys.privateKey, [delivered], { now: NOW }));
    const advance = jest.spyOn(ledger, 'advanceStatus');

    // Act
    const response = await sendgrid(sendGridEventsRequest(keys.privateKey, [delivered], { now: NOW }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(advance).not.toHaveBeenCalled();
    expect(recorded()).toHaveLength(1);
  });

  it('records an inbound email reply with the right secret', async () => {
    // Prepare
    const { ledger, sendgrid } = setUp();

    // Act
    const response = await sendgrid(
      inboundParseRequest({
        from: 'Ada <example@test.com>',
        to: 'reply@parse.example.com',
        subject: 'Re: hi',
        text: 'Thanks!',
      }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(ledger.inbound[0]?.message).toMatchObject({
      channel: 'email',
      customerId: 'c-1',
      text: 'Thanks!',
    });
    expect(ledger.inbound[0]?.annotations.subject).toBe('Re: hi');
  });

  it.each([
    [
      'a forged signature',
      401,
      () => sendGridEventsRequest(sendGridKeyPair().privateKey, [sendGridEvent('delivered')], { now: NOW }),
    ],
    [
      'a tampered body',
      401,
      () => {
        const event = sendGridEventsRequest(keys.privateKey, [sendGridEvent('processed')], { now: NOW });
        return { ...event, body: event.body?.replace('processed', 'delivered') };
      },
    ],
    [
      'a stale timestamp',
      401,
      () =>
        sendGridEventsRequest(keys.privateKey, [sendGridEvent('delivered')], {
          timestamp: NOW.getTime() / 1000 - 600,
        }),
    ],
    [
      'a signed but malformed body',
      400,
      () => sendGridEventsRequest(keys.privateKey, '{"not":"an array"}', { now: NOW }),
    ],
    [
      'an inbound email without the secret',
      401,
      () => inboundParseRequest({ from: 'example@test.com', text: 'STOP' }, { secret: null }),
    ],
    [
      'an inbound email with a wrong secret',
      401,
      () => inboundParseRequest({ from: 'example@test.com', text: 'STOP' }, { secret: 'x'.repeat(30) }),
    ],
    [
      'an inbound email that is not multipart',
      400,
      () => ({
        ...inboundParseRequest({ from: 'example@test.com' }),
        headers: { 'content-type': 'text/plain' },
      }),
    ],
  ])('rejects %s with %s and changes nothing', async (_name, statusCode, build) => {
    // Prepare
    const { ledger, sendgrid, state } = setUp();
    ledger.attempts.push(emailAttempt());
    const before = state();

    // Act
    const response = await sendgrid(build());

    // Assess
    expect(response.statusCode).toBe(statusCode);
    expect(state()).toBe(before);
  });
});

describe('Fuzz: webhook handlers', () => {
  const headerValues = fc.dictionary(
    fc.constantFrom(
      'content-type',
      'x-twilio-signature',
      'x-twilio-email-event-webhook-signature',
      'x-twilio-email-event-webhook-timestamp',
      'authorization',
      'host',
      'i-twilio-idempotency-token',
    ),
    fc.string(),
  );
  const requests = fc.record({
    rawPath: fc.constantFrom(
      '/webhooks/twilio/status',
      '/webhooks/twilio/inbound',
      '/webhooks/sendgrid/events',
      '/webhooks/sendgrid/inbound',
      '/webhooks/x',
    ),
    rawQueryString: fc.oneof(fc.string(), fc.constant(`key=${TEST_INBOUND_SECRET}`)),
    headers: headerValues,
    body: fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
    ),
    base64: fc.boolean(),
  });

  it('never answers 5xx nor throws on random bodies and headers', async () => {
    const { twilio, sendgrid } = setUp();
    await fc.assert(
      fc.asyncProperty(requests, async (parts) => {
        const event = apiGatewayEvent(parts);
        const handle = parts.rawPath.includes('twilio') ? twilio : sendgrid;
        const response = await handle(event);
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 1500 },
    );
  });

  it('never answers 5xx on random correctly signed Twilio form bodies', async () => {
    const { twilio } = setUp();
    const params = fc.dictionary(
      fc.constantFrom(
        'MessageSid',
        'MessageStatus',
        'From',
        'To',
        'Body',
        'NumMedia',
        'MediaUrl0',
        'ErrorCode',
      ),
      fc.oneof(
        fc.string(),
        fc.constantFrom('SM1342fe1b2c904d1ab04f0fc7a58abca9', 'delivered', 'whatsapp:+15558675310', '1'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/webhooks/twilio/status', '/webhooks/twilio/inbound'),
        params,
        async (path, form) => {
          const response = await twilio(twilioRequest(path, form));
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never answers 5xx on random correctly signed SendGrid event bodies', async () => {
    const { sendgrid } = setUp();
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .array(
          fc.record(
            {
              event: fc.constantFrom(
                'processed',
                'delivered',
                'bounce',
                'dropped',
                'open',
                'click',
                'unsubscribe',
                'spamreport',
              ),
              timestamp: fc.oneof(fc.integer(), fc.string()),
              sg_message_id: fc.string(),
              sg_event_id: fc.string(),
              email: fc.string(),
              messageId: fc.string(),
              customerId: fc.string(),
            },
            { requiredKeys: [] },
          ),
        )
        .map((events) => JSON.stringify(events)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const response = await sendgrid(sendGridEventsRequest(keys.privateKey, payload, { now: NOW }));
        expect(response.statusCode).toBeLessThan(500);
      }),
      // @sendgrid/eventwebhook verifies in pure JavaScript (~150 ms a request), so fewer runs here;
      // the parser itself is fuzzed with thousands of bodies in webhook-parsers.test.ts.
      { numRuns: 60 },
    );
  });

  /** Hostile values: injection payloads, Unicode controls, lone surrogates, huge strings. */
  const hostile = fc.oneof(
    fc.constantFrom(
      "' OR 1=1 --",
      '<script>alert(1)</script>',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a JNDI injection payload, on purpose
      '${jndi:ldap://127.0.0.1/a}',
      '{{ 7 | times: 7 }}{% raw %}',
      '../../../../etc/passwd',
      '\u0000\u202e\ufeff',
      '\ud800',
      '__proto__',
      'constructor',
      'whatsapp:+15005550006\r\nX-Injected: 1',
    ),
    fc.string({ unit: 'binary', maxLength: 64 }),
    fc.nat({ max: 200_000 }).map((size) => 'x'.repeat(size)),
  );

  it('never answers 5xx on signed Twilio callbacks full of injection-style and oversized values', async () => {
    const { twilio } = setUp();
    const form = fc.dictionary(
      fc.oneof(
        fc.constantFrom('MessageSid', 'MessageStatus', 'From', 'To', 'Body', 'ErrorCode', 'NumMedia'),
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
      ),
      hostile,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/webhooks/twilio/status', '/webhooks/twilio/inbound'),
        form,
        async (path, values) => {
          const response = await twilio(twilioRequest(path, values));
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['JSON nested 5,000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['an object nested 2,000 deep', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`],
    [
      '5,000 events in one batch',
      JSON.stringify(
        Array.from({ length: 5000 }, (_, index) => ({
          event: 'delivered',
          sg_event_id: `e${index}`,
          timestamp: 1,
        })),
      ),
    ],
    [
      'injection-style fields',
      JSON.stringify([
        {
          event: 'delivered',
          email: "a'; DROP TABLE customers; --@example.com",
          messageId: '../../etc/passwd',
          customerId: '__proto__',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a JNDI injection payload, on purpose
          attempt: '${jndi:ldap://127.0.0.1/a}',
          sg_event_id: '<script>',
          timestamp: 1,
        },
      ]),
    ],
    ['a 1 MB string', JSON.stringify('x'.repeat(1024 * 1024))],
  ])('answers a signed SendGrid body with %s without a 5xx', async (_what, payload) => {
    const { sendgrid } = setUp();

    const response = await sendgrid(sendGridEventsRequest(keys.privateKey, payload, { now: NOW }));

    expect(response.statusCode).toBeLessThan(500);
  });
});
