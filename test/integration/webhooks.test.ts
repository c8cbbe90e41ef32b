/**
 * The webhooks end to end on DynamoDB Local and fauxqs: provider callbacks in the providers'
 * documented formats, signed with the real algorithms, posted to the real handlers; fallback
 * requests run through the real router.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest, consent } from '../helpers/factories';
import { entriesOf } from '../helpers/timeline';
import {
  apiGatewayEvent,
  inboundEmailFields,
  inboundParseRequest,
  sendGridEvent,
  sendGridEventsRequest,
  signSendGrid,
  twilioFixtures,
  twilioRequest,
  twilioStatusRequest,
} from '../helpers/webhook-requests';
import { aMessageSid, aSendGridMessageId, TestClock, webhookSystem } from '../helpers/webhook-system';

// 14:00 in Paris: outside quiet hours, so marketing goes out at once.
const START = new Date('2026-11-23T13:00:00Z');
const STATUS = '/webhooks/twilio/status';
const INBOUND = '/webhooks/twilio/inbound';

describe('Integration: provider webhooks on the emulators', () => {
  const clients = testClients();
  const documents = DynamoDBDocumentClient.from(clients.dynamodb);
  let resources: LocalResources;
  let clock: TestClock;
  let system: ReturnType<typeof webhookSystem>;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
    clock = new TestClock(START);
    system = webhookSystem(resources, clients, clock);
  });
  afterEach(() => system.stop());

  const smsStatus = (sid: string, to: string, status: string, extra: Record<string, string> = {}) =>
    twilioStatusRequest(
      twilioFixtures.smsStatus(status, { MessageSid: sid, SmsSid: sid, To: to, ...extra }),
      system.keyOf(sid),
    );
  const profileItem = async (customerId: string) =>
    (
      await documents.send(
        new GetCommand({ TableName: resources.tables.customers, Key: { pk: `customer#${customerId}` } }),
      )
    ).Item ?? {};

  it('lands each status on the message it belongs to, whatever the channel', async () => {
    // Prepare
    const ada = aCustomer();
    const bob = aCustomer();
    await system.router.store.put(ada);
    await system.router.store.put(bob);
    const smsSid = aMessageSid();
    const whatsappSid = aMessageSid();
    const emailId = aSendGridMessageId();
    const toAdaBySms = await system.sendThrough(
      ada,
      aRequest(ada.customerId, { routing: { channels: ['sms'] } }),
      {
        channel: 'sms',
        provider: 'twilio',
        providerMessageId: smsSid,
      },
    );
    const toBobByWhatsapp = await system.sendThrough(
      bob,
      aRequest(bob.customerId, { routing: { channels: ['whatsapp'] } }),
      { channel: 'whatsapp', provider: 'twilio', providerMessageId: whatsappSid },
    );
    const toBobByEmail = await system.sendThrough(
      bob,
      aRequest(bob.customerId, { routing: { channels: ['email'] } }),
      { channel: 'email', provider: 'sendgrid', providerMessageId: emailId },
    );

    // Act
    const answers = [
      await system.twilio(smsStatus(smsSid, ada.addresses.sms!, 'delivered')),
      await system.twilio(
        twilioStatusRequest(
          twilioFixtures.whatsappStatus('read', {
            MessageSid: whatsappSid,
            SmsSid: whatsappSid,
            To: `whatsapp:${bob.addresses.whatsapp}`,
          }),
          system.keyOf(whatsappSid),
        ),
      ),
      await system.sendgrid(
        sendGridEventsRequest(
          system.sendGridPrivateKey,
          [
            sendGridEvent('processed', {
              sg_message_id: `${emailId}.filter0001.16648.5515E0B88.0`,
              ...system.customArgs(emailId),
            }),
            sendGridEvent('delivered', {
              sg_message_id: `${emailId}.filter0001.16648.5515E0B88.0`,
              ...system.customArgs(emailId),
            }),
            sendGridEvent('open', {
              sg_message_id: `${emailId}.filter0001.16648.5515E0B88.0`,
              ...system.customArgs(emailId),
            }),
          ],
          { now: clock.now() },
        ),
      ),
    ];

    // Assess
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect((await system.attempts(ada.customerId, toAdaBySms)).sms?.status).toBe('delivered');
    expect((await system.attempts(bob.customerId, toBobByWhatsapp)).whatsapp?.status).toBe('read');
    const email = (await system.attempts(bob.customerId, toBobByEmail)).email;
    expect(email?.status).toBe('opened');
    expect(email?.history.map((change) => change.status)).toEqual(['queued', 'sent', 'delivered', 'opened']);
  });

  it('never moves a status back for late or repeated callbacks, and publishes each change once', async () => {
    // Prepare
    const customer = aCustomer();
    await system.router.store.put(customer);
    const sid = aMessageSid();
    const messageId = await system.sendThrough(
      customer,
      aRequest(customer.customerId, { routing: { channels: ['sms'] } }),
      { channel: 'sms', provider: 'twilio', providerMessageId: sid },
    );
    const received = await system.subscribe();
    const to = customer.addresses.sms!;

    // Act
    const delivered = smsStatus(sid, to, 'delivered');
    await system.twilio(delivered);
    await system.twilio(smsStatus(sid, to, 'sent'));
    await system.twilio(smsStatus(sid, to, 'queued'));
    const repeated = await system.twilio(delivered);

    // Assess
    expect(JSON.parse(repeated.body ?? '{}')).toEqual({ outcome: 'unchanged' });
    const sms = (await system.attempts(customer.customerId, messageId)).sms;
    expect(sms?.status).toBe('delivered');
    expect(sms?.history.map((change) => change.status)).toEqual(['queued', 'sent', 'delivered']);
    expect(await received(1)).toEqual(['message.delivered']);
  });

  it.each([
    [
      'a forged Twilio signature',
      () => smsStatusFor('delivered', { authToken: 'not-the-auth-token-0123456789abcd' }),
      'twilio',
      401,
    ],
    [
      'a tampered Twilio body',
      () => {
        const event = smsStatusFor('delivered');
        return { ...event, body: event.body!.replace('delivered', 'undelivered') };
      },
      'twilio',
      401,
    ],
    [
      'a malformed Twilio body (no MessageSid)',
      () => twilioRequest(STATUS, { MessageStatus: 'undelivered', To: '+33612000000' }),
      'twilio',
      400,
    ],
    [
      'a stale SendGrid timestamp',
      () =>
        sendGridEventsRequest(system.sendGridPrivateKey, [bounceFor()], {
          timestamp: Math.floor(clock.now().getTime() / 1000) - 3600,
        }),
      'sendgrid',
      401,
    ],
    [
      'a tampered SendGrid body',
      () => {
        const event = sendGridEventsRequest(system.sendGridPrivateKey, [sendGridEvent('delivered')], {
          now: clock.now(),
        });
        return { ...event, body: JSON.stringify([bounceFor()]) };
      },
      'sendgrid',
      401,
    ],
    [
      'a malformed SendGrid body (not JSON)',
      () => {
        const timestamp = String(Math.floor(clock.now().getTime() / 1000));
        const body = '[{"event": "bounce", ';
        return apiGatewayEvent({
          rawPath: '/webhooks/sendgrid/events',
          headers: {
            'content-type': 'application/json',
            'x-twilio-email-event-webhook-signature': signSendGrid(
              system.sendGridPrivateKey,
              timestamp,
              body,
            ),
            'x-twilio-email-event-webhook-timestamp': timestamp,
          },
          body,
        });
      },
      'sendgrid',
      400,
    ],
    [
      'an Inbound Parse post with the wrong secret',
      () =>
        inboundParseRequest({ from: 'x@example.com', text: 'STOP' }, { secret: 'wrong-secret-0123456789' }),
      'sendgrid',
      401,
    ],
  ] as const)('rejects %s and changes nothing', async (_name, request, provider, expected) => {
    // Prepare
    const customer = aCustomer();
    await system.router.store.put(customer);
    current = {
      sid: aMessageSid(),
      to: customer.addresses.sms!,
      emailId: aSendGridMessageId(),
      email: customer.addresses.email!,
    };
    await system.sendThrough(
      customer,
      aRequest(customer.customerId, { routing: { channels: ['sms', 'email'] } }),
      {
        channel: 'sms',
        provider: 'twilio',
        providerMessageId: current.sid,
      },
    );
    const before = await system.tables();

    // Act
    const event = request();
    const answer = provider === 'twilio' ? await system.twilio(event) : await system.sendgrid(event);

    // Assess
    expect(answer.statusCode).toBe(expected);
    expect(await system.tables()).toBe(before);
    expect(await system.router.receive('outbound')).toEqual([]);
  });

  let current = { sid: '', to: '', emailId: '', email: '' };
  const smsStatusFor = (status: string, options: { authToken?: string } = {}) =>
    twilioStatusRequest(
      twilioFixtures.smsStatus(status, { MessageSid: current.sid, SmsSid: current.sid, To: current.to }),
      system.keyOf(current.sid),
      options,
    );
  const bounceFor = () =>
    sendGridEvent('bounce', {
      type: 'bounce',
      email: current.email,
      sg_message_id: `${current.emailId}.filter0001.16648.5515E0B88.0`,
    });

  it('falls back to the next channel once when an SMS is undelivered', async () => {
    // Prepare
    const customer = aCustomer();
    await system.router.store.put(customer);
    const sid = aMessageSid();
    const messageId = await system.sendThrough(
      customer,
      aRequest(customer.customerId, { routing: { channels: ['sms', 'email'] } }),
      { channel: 'sms', provider: 'twilio', providerMessageId: sid },
    );
    const undelivered = smsStatus(sid, customer.addresses.sms!, 'undelivered', {
      ErrorCode: '30003',
      ErrorMessage: 'Unreachable destination handset',
    });

    // Act
    await system.twilio(undelivered);
    await system.twilio(undelivered);
    const fallbacks = await system.routeOutbound();

    // Assess
    expect(fallbacks).toEqual([
      expect.objectContaining({ kind: 'fallback', messageId, triedChannels: ['sms'] }),
    ]);
    const email = await system.router.channelMessages('email');
    expect(email).toEqual([
      expect.objectContaining({ channel: 'email', attempt: 2, to: customer.addresses.email, messageId }),
    ]);
    expect(await system.router.channelMessages('sms')).toEqual([]);
    const attempts = await system.attempts(customer.customerId, messageId);
    expect(attempts.sms?.status).toBe('undelivered');
    expect(attempts.sms?.error).toMatchObject({ code: '30003' });
    expect(attempts.email?.status).toBe('queued');
  });

  it('falls back once when no receipt arrives in time, and records a late receipt without sending again', async () => {
    // Prepare
    const customer = aCustomer();
    await system.router.store.put(customer);
    const sid = aMessageSid();
    const messageId = await system.sendThrough(
      customer,
      aRequest(customer.customerId, { routing: { channels: ['sms', 'email'], receiptTimeoutSeconds: 60 } }),
      { channel: 'sms', provider: 'twilio', providerMessageId: sid },
    );
    const check = {
      schemaVersion: 1 as const,
      messageId,
      customerId: customer.customerId,
      channel: 'sms' as const,
      attempt: 1,
      dueAt: new Date(START.getTime() + 60_000).toISOString(),
    };
    clock.advance(120);

    // Act
    const first = await system.receiptTimeout(system.receiptCheckEvent(check));
    const again = await system.receiptTimeout(system.receiptCheckEvent(check));
    const fallbacks = await system.routeOutbound();
    const late = await system.twilio(smsStatus(sid, customer.addresses.sms!, 'delivered'));

    // Assess
    expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
    expect(fallbacks).toHaveLength(1);
    expect(await system.router.channelMessages('email')).toEqual([
      expect.objectContaining({ channel: 'email', attempt: 2, messageId }),
    ]);
    expect(late.statusCode).toBe(200);
    expect((await system.attempts(customer.customerId, messageId)).sms?.status).toBe('delivered');
    expect(await system.router.receive('outbound')).toEqual([]);
    expect(await system.router.channelMessages('email')).toEqual([]);
    expect(await system.router.channelMessages('sms')).toEqual([]);
  });

  it('stops marketing on a channel after STOP and restores it after START, keeping the history', async () => {
    // Prepare
    const customer = aCustomer({
      preferences: { channels: ['sms', 'email'] },
      consent: { marketing: { sms: consent('opted_in'), email: consent('opted_in') } },
    });
    await system.router.store.put(customer);
    const from = customer.addresses.sms!;
    const marketing = () => aRequest(customer.customerId, { category: 'marketing' });

    // Act
    clock.advance(60);
    const stop = await system.twilio(
      twilioRequest(INBOUND, twilioFixtures.inboundSms('STOP', { From: from, MessageSid: aMessageSid() })),
    );
    await system.router.handler(anSqsEvent([marketing()]));
    const afterStop = {
      sms: await system.router.channelMessages('sms'),
      email: await system.router.channelMessages('email'),
    };
    clock.advance(60);
    await system.twilio(
      twilioRequest(INBOUND, twilioFixtures.inboundSms('START', { From: from, MessageSid: aMessageSid() })),
    );
    await system.router.handler(anSqsEvent([marketing()]));
    const afterStart = {
      sms: await system.router.channelMessages('sms'),
      email: await system.router.channelMessages('email'),
    };

    // Assess
    expect(stop.statusCode).toBe(200);
    expect(afterStop.sms).toEqual([]);
    expect(afterStop.email).toHaveLength(1);
    expect(afterStart.sms).toHaveLength(1);
    expect(afterStart.email).toEqual([]);
    const history = (await profileItem(customer.customerId)).consentHistory as Record<string, string>[];
    expect(
      history
        .filter((entry) => entry.category === 'marketing' && entry.channel === 'sms')
        .map(({ status, source, reason }) => ({ status, source, reason })),
    ).toEqual([
      { status: 'opted_in', source: 'api', reason: undefined },
      { status: 'opted_out', source: 'sms-keyword', reason: 'keyword STOP' },
      { status: 'opted_in', source: 'sms-keyword', reason: 'keyword START' },
    ]);
  });

  it('opens the WhatsApp window on an inbound message, links it, and then plans a freeform reply', async () => {
    // Prepare
    const customer = aCustomer();
    await system.router.store.put(customer);
    const whatsappOnly = () => aRequest(customer.customerId, { routing: { channels: ['whatsapp'] } });
    await system.router.handler(anSqsEvent([whatsappOnly()]));
    const [beforeInbound] = await system.router.channelMessages('whatsapp');

    // Act
    clock.advance(60);
    const received = clock.now();
    const answer = await system.twilio(
      twilioRequest(
        INBOUND,
        twilioFixtures.inboundWhatsApp('Can I change the delivery day?', {
          From: `whatsapp:${customer.addresses.whatsapp}`,
          MessageSid: aMessageSid(),
        }),
      ),
    );
    await system.router.handler(anSqsEvent([whatsappOnly()]));
    const [afterInbound] = await system.router.channelMessages('whatsapp');

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(beforeInbound).not.toHaveProperty('windowOpenUntil');
    expect(afterInbound).toMatchObject({
      channel: 'whatsapp',
      windowOpenUntil: new Date(received.getTime() + 24 * 3_600_000).toISOString(),
      content: { text: 'Your code is 123456' },
    });
    expect(afterInbound?.content).not.toHaveProperty('whatsappTemplate');
    const inbound = await entriesOf(system.router.timeline, customer.customerId, 'inbound');
    expect(inbound).toEqual([
      expect.objectContaining({
        channel: 'whatsapp',
        text: 'Can I change the delivery day?',
        inReplyTo: beforeInbound?.messageId,
      }),
    ]);
  });

  it('marks a hard-bounced email address invalid so that routing skips it', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['email', 'sms'] } });
    await system.router.store.put(customer);
    const emailId = aSendGridMessageId();
    const bounced = await system.sendThrough(
      customer,
      aRequest(customer.customerId, { routing: { channels: ['email', 'sms'], fallback: false } }),
      { channel: 'email', provider: 'sendgrid', providerMessageId: emailId },
    );

    // Act
    await system.sendgrid(
      sendGridEventsRequest(
        system.sendGridPrivateKey,
        [
          sendGridEvent('bounce', {
            type: 'bounce',
            email: customer.addresses.email,
            reason: '550 5.1.1 The email account that you tried to reach does not exist',
            sg_message_id: `${emailId}.filter0001.16648.5515E0B88.0`,
            messageId: bounced,
            customerId: customer.customerId,
          }),
        ],
        { now: clock.now() },
      ),
    );
    const next = aRequest(customer.customerId, { routing: { channels: ['email', 'sms'] } });
    await system.router.handler(anSqsEvent([next]));

    // Assess
    expect((await system.attempts(customer.customerId, bounced)).email?.status).toBe('bounced');
    expect(await system.router.receive('outbound')).toEqual([]);
    expect(await system.router.channelMessages('email')).toEqual([]);
    expect(await system.router.channelMessages('sms')).toHaveLength(1);
    const messages = await entriesOf(system.router.timeline, customer.customerId, 'message');
    const routed = messages.find((entry) => entry.requestId === next.requestId);
    expect(routed?.skipped.email).toMatch(/^address invalid since .* \(bounce\)$/);
  });

  describe('Inbound email consent needs a DMARC-aligned SPF or DKIM pass', () => {
    const emailConsent = async (customerId: string) =>
      (await system.router.store.get(customerId))?.customer.consent.marketing?.email?.status;
    const inboundTimeline = (customerId: string) => entriesOf(system.router.timeline, customerId, 'inbound');

    it('leaves consent unchanged and flags the message when a forged email says YES', async () => {
      // Prepare
      const customer = aCustomer({ consent: { marketing: { email: consent('opted_out') } } });
      await system.router.store.put(customer);
      const address = customer.addresses.email!;

      // Act
      const answer = await system.sendgrid(
        inboundParseRequest(
          inboundEmailFields(address, 'YES', { spf: 'fail', dkim: '{@attacker.example : pass}' }),
        ),
      );

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(await emailConsent(customer.customerId)).toBe('opted_out');
      const inbound = await inboundTimeline(customer.customerId);
      expect(inbound).toHaveLength(1);
      expect(inbound[0]).toMatchObject({ consentIntent: 'opt_in', senderVerified: false });
      expect(inbound[0]?.senderUnverifiedReason).toContain('no aligned pass');
    });

    it('opts the customer in when the YES carries a DKIM pass aligned with the From domain', async () => {
      // Prepare
      const customer = aCustomer({ consent: { marketing: { email: consent('opted_out') } } });
      await system.router.store.put(customer);
      const address = customer.addresses.email!;

      // Act
      const answer = await system.sendgrid(
        inboundParseRequest(
          inboundEmailFields(address, 'YES', { spf: 'softfail', dkim: '{@mail.example.com : pass}' }),
        ),
      );

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(await emailConsent(customer.customerId)).toBe('opted_in');
      const inbound = await inboundTimeline(customer.customerId);
      expect(inbound[0]).not.toHaveProperty('senderVerified');
    });

    it('still opts the customer out when a STOP fails SPF and DKIM', async () => {
      // Prepare
      const customer = aCustomer({ consent: { marketing: { email: consent('opted_in') } } });
      await system.router.store.put(customer);
      const address = customer.addresses.email!;

      // Act
      const answer = await system.sendgrid(
        inboundParseRequest(inboundEmailFields(address, 'STOP', { spf: 'fail', dkim: 'none' })),
      );

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(await emailConsent(customer.customerId)).toBe('opted_out');
      const inbound = await inboundTimeline(customer.customerId);
      expect(inbound[0]).toMatchObject({ consentIntent: 'opt_out', senderVerified: false });
    });
  });

  it('records a message from an unknown sender as an anonymous contact', async () => {
    // Act
    const answer = await system.twilio(
      twilioRequest(
        INBOUND,
        twilioFixtures.inboundSms('Hello?', { From: '+33612999999', MessageSid: aMessageSid() }),
      ),
    );

    // Assess
    expect(answer.statusCode).toBe(200);
    const items = JSON.parse(await system.tables())[resources.tables.messages] as string[];
    const inbound = items.map((item) => JSON.parse(item)).filter((item) => item.kind?.S === 'inbound');
    expect(inbound).toHaveLength(1);
    expect(inbound[0].pk.S).toMatch(/^contact#anon_[0-9a-f]{32}$/);
    expect(inbound[0]).not.toHaveProperty('customerId');
  });

  it('delivers to a filtered subscriber only the event types it asked for', async () => {
    // Prepare
    const customer = aCustomer();
    await system.router.store.put(customer);
    const sid = aMessageSid();
    await system.sendThrough(customer, aRequest(customer.customerId, { routing: { channels: ['sms'] } }), {
      channel: 'sms',
      provider: 'twilio',
      providerMessageId: sid,
    });
    const inboundOnly = await system.subscribe({ type: ['message.inbound'] });
    const everything = await system.subscribe();

    // Act
    await system.twilio(smsStatus(sid, customer.addresses.sms!, 'delivered'));
    await system.twilio(
      twilioRequest(
        INBOUND,
        twilioFixtures.inboundSms('STOP', { From: customer.addresses.sms!, MessageSid: aMessageSid() }),
      ),
    );

    // Assess
    expect(await inboundOnly(1)).toEqual(['message.inbound']);
    expect(await everything(3)).toEqual(['customer.consent_changed', 'message.delivered', 'message.inbound']);
  });
  it("stores a STOP on the provider's retry when the consent write failed after the inbound record", async () => {
    // Prepare: the first consent write fails, after the inbound message was recorded.
    await system.stop();
    let failures = 1;
    system = webhookSystem(resources, clients, clock, {
      wrapConsent: (store) => ({
        findByAddress: (...args) => store.findByAddress(...args),
        get: (...args) => store.get(...args),
        markAddressInvalid: (...args) => store.markAddressInvalid(...args),
        openWhatsAppWindow: (...args) => store.openWhatsAppWindow(...args),
        setConsent: (...args) =>
          failures-- > 0
            ? Promise.reject(new Error('planted: DynamoDB unavailable'))
            : store.setConsent(...args),
      }),
    });
    const customer = aCustomer();
    await system.router.store.put(customer);
    const received = await system.subscribe();
    const stop = twilioRequest(
      INBOUND,
      twilioFixtures.inboundSms('STOP', { From: customer.addresses.sms!, MessageSid: aMessageSid() }),
    );

    // Act: the first try fails (5xx), Twilio retries the same request.
    const first = await system.twilio(stop);
    const retry = await system.twilio(stop);

    // Assess
    expect([first.statusCode, retry.statusCode]).toEqual([500, 200]);
    const profile = await profileItem(customer.customerId);
    expect(profile.consent['marketing#sms']).toMatchObject({ status: 'opted_out', source: 'sms-keyword' });
    expect(await received(2)).toEqual(['customer.consent_changed', 'message.inbound']);
  });
});
