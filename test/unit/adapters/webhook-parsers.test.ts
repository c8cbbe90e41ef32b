import fc from 'fast-check';
import { formParameters } from '../../../functions/adapters/http/api-gateway-request';
import { parseSendGridEvents, sendGridMessageId } from '../../../functions/adapters/sendgrid/events';
import { latestReply, parseSendGridInbound } from '../../../functions/adapters/sendgrid/inbound-parse';
import { parseTwilioInbound } from '../../../functions/adapters/twilio/inbound';
import { parseTwilioStatusCallback } from '../../../functions/adapters/twilio/status';
import { MACHINE_OPEN_EVENT } from '../../../functions/domain/engagement-from-ledger';
import { WebhookPayloadError } from '../../../functions/domain/webhook-errors';
import { formBody, multipartBody, sendGridEvent, twilioFixtures } from '../../helpers/webhook-requests';

const receivedAt = new Date('2026-11-23T14:00:00Z');
const form = (params: Record<string, string>) => formParameters(Buffer.from(formBody(params)));

describe('Function: parseTwilioStatusCallback', () => {
  it.each([
    ['queued', 'queued'],
    ['accepted', 'queued'],
    ['sending', 'sent'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['read', 'read'],
  ])('maps Twilio %s to %s', (twilioStatus, status) => {
    // Act
    const update = parseTwilioStatusCallback(form(twilioFixtures.smsStatus(twilioStatus)), { receivedAt });

    // Assess
    expect(update).toMatchObject({
      provider: 'twilio',
      channel: 'sms',
      providerMessageId: 'SM1342fe1b2c904d1ab04f0fc7a58abca9',
      status,
      providerEvent: twilioStatus,
      at: receivedAt.toISOString(),
      recipient: '+15558675310',
    });
  });

  it('recognises a WhatsApp callback and strips the address prefix', () => {
    // Act
    const update = parseTwilioStatusCallback(form(twilioFixtures.whatsappStatus('read')), {
      receivedAt,
      idempotencyToken: 'tok-1',
    });

    // Assess
    expect(update).toMatchObject({
      channel: 'whatsapp',
      status: 'read',
      recipient: '+15558675310',
      eventId: 'twilio:tok-1',
    });
  });

  it.each([
    ['30003', false, undefined],
    ['30005', true, undefined],
    ['30007', true, undefined],
    ['63016', true, undefined],
    ['21610', true, 'opted_out'],
  ])('turns ErrorCode %s into an error (permanent %s) and consent %s', (code, permanent, consent) => {
    // Act
    const update = parseTwilioStatusCallback(
      form(twilioFixtures.smsStatus('undelivered', { ErrorCode: code })),
      {
        receivedAt,
      },
    );

    // Assess
    expect(update?.error).toMatchObject({ code, permanent });
    expect(update?.consent?.status).toBe(consent);
    if (consent) expect(update?.consent).toMatchObject({ source: 'carrier-opt-out', scope: 'channel' });
  });

  it('ignores statuses that are not about an outbound delivery', () => {
    // Act
    const update = parseTwilioStatusCallback(form(twilioFixtures.smsStatus('received')), { receivedAt });

    // Assess
    expect(update).toBeUndefined();
  });

  it.each([
    ['no MessageSid', { MessageStatus: 'sent' }],
    ['a malformed MessageSid', { MessageSid: 'SMnothex', MessageStatus: 'sent' }],
    ['no MessageStatus', { MessageSid: 'SM1342fe1b2c904d1ab04f0fc7a58abca9' }],
  ])('rejects a callback with %s', (_name, params) => {
    // Act + Assess
    expect(() => parseTwilioStatusCallback(form(params), { receivedAt })).toThrow(WebhookPayloadError);
  });
});

describe('Function: parseTwilioInbound', () => {
  it('reads an inbound SMS', () => {
    // Act
    const receipt = parseTwilioInbound(form(twilioFixtures.inboundSms('Hello there')), { receivedAt });

    // Assess
    expect(receipt).toEqual({
      provider: 'twilio',
      channel: 'sms',
      from: '+15558675310',
      to: '+15017250604',
      text: 'Hello there',
      replyText: 'Hello there',
      media: [],
      receivedAt: receivedAt.toISOString(),
      providerMessageId: 'SM9a1b2c3d4e5f60718293a4b5c6d7e8f9',
      eventId: 'twilio:SM9a1b2c3d4e5f60718293a4b5c6d7e8f9',
    });
  });

  it('reads a WhatsApp message with media', () => {
    // Prepare
    const params = twilioFixtures.inboundWhatsApp('', {
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
      MediaContentType1: 'application/pdf',
    });

    // Act
    const receipt = parseTwilioInbound(form(params), { receivedAt });

    // Assess
    expect(receipt.channel).toBe('whatsapp');
    expect(receipt.from).toBe('+15558675310');
    expect(receipt.media).toEqual([
      { url: params.MediaUrl0, contentType: 'image/jpeg' },
      { url: params.MediaUrl1, contentType: 'application/pdf' },
    ]);
  });

  it.each([
    ['a NumMedia with no MediaUrl', { NumMedia: '1' }],
    ['a NumMedia beyond ten', { NumMedia: '11' }],
    ['a non-numeric NumMedia', { NumMedia: 'two' }],
    ['a media URL that is not http', { NumMedia: '1', MediaUrl0: 'javascript:alert(1)' }],
    ['no From', { From: '' }],
    ['a repeated From', {}],
  ])('rejects an inbound message with %s', (name, extra) => {
    // Prepare
    let params = form(twilioFixtures.inboundSms('hi', extra as Record<string, string>));
    if (name === 'a repeated From') params = { ...params, From: ['+1555', '+1666'] };

    // Act + Assess
    expect(() => parseTwilioInbound(params, { receivedAt })).toThrow(WebhookPayloadError);
  });
});

describe('Function: parseSendGridEvents', () => {
  it.each([
    ['processed', {}, { status: 'sent' }],
    [
      'deferred',
      { response: '400 try again later', attempt: '5' },
      { status: 'sent', error: { code: 'deferred', permanent: false } },
    ],
    ['delivered', { response: '250 OK' }, { status: 'delivered' }],
    [
      'bounce',
      {
        type: 'bounce',
        bounce_classification: 'Invalid Address',
        reason: '550 5.1.1 no such user',
        status: '5.1.1',
      },
      { status: 'bounced', error: { code: 'bounce', permanent: true }, addressInvalid: true },
    ],
    [
      'bounce',
      { type: 'blocked', bounce_classification: 'Reputation', reason: '550 blocked' },
      { status: 'bounced', error: { code: 'blocked', permanent: false } },
    ],
    [
      'bounce',
      { type: 'bounce', bounce_classification: 'Technical', reason: '554 policy' },
      { status: 'bounced', error: { code: 'blocked', permanent: false } },
    ],
    ['dropped', { reason: 'Bounced Address', status: '5.0.0' }, { status: 'dropped', addressInvalid: true }],
    ['dropped', { reason: 'Unsubscribed Address' }, { status: 'dropped', error: { permanent: true } }],
    ['open', { useragent: 'Mozilla/5.0', ip: '255.255.255.255' }, { status: 'opened' }],
    [
      'click',
      { url: 'https://example.com/x', url_offset: { index: 0, type: 'html' } },
      { status: 'clicked' },
    ],
    [
      'spamreport',
      {},
      { consent: { status: 'opted_out', source: 'email-spamreport', scope: 'message-category' } },
    ],
    ['unsubscribe', {}, { consent: { status: 'opted_out', source: 'email-unsubscribe' } }],
    [
      'group_unsubscribe',
      { asm_group_id: 10 },
      { consent: { status: 'opted_out', source: 'email-group-unsubscribe' } },
    ],
    ['group_resubscribe', { asm_group_id: 10 }, { consent: { status: 'opted_in' } }],
  ])('maps %s %j', (event, extra, expected) => {
    // Prepare
    const body = Buffer.from(JSON.stringify([sendGridEvent(event, extra)]));

    // Act
    const { updates, skipped } = parseSendGridEvents(body);

    // Assess
    expect(skipped).toBe(0);
    expect(updates[0]).toMatchObject({
      provider: 'sendgrid',
      channel: 'email',
      providerMessageId: '14c5d75ce93.dfd.64b469',
      providerEvent: event,
      messageId: 'msg-1',
      customerId: 'c-1',
      recipient: 'example@test.com',
      at: '2017-12-15T00:59:29.000Z',
      ...expected,
    });
    expect(updates[0]?.eventId).toMatch(/^sendgrid:sg-/);
  });

  it('keeps an open SendGrid flags as a machine open apart, so that it counts as no reader', () => {
    // Prepare
    const body = Buffer.from(JSON.stringify([sendGridEvent('open', { sg_machine_open: true })]));

    // Act
    const { updates } = parseSendGridEvents(body);

    // Assess
    expect(updates[0]).toMatchObject({ status: 'opened', providerEvent: MACHINE_OPEN_EVENT });
  });

  it.each([
    ['14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0', '14c5d75ce93.dfd.64b469'],
    ['LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0', 'LRzXl_NHStOGhQ4kofSm_A'],
    ['LRzXl_NHStOGhQ4kofSm_A.recvd-5f5fc76c-9.0', 'LRzXl_NHStOGhQ4kofSm_A'],
    ['plainid', 'plainid'],
  ])('strips %s to the X-Message-Id %s', (sgMessageId, expected) => {
    // Act + Assess
    expect(sendGridMessageId(sgMessageId)).toBe(expected);
  });

  it('skips and counts events it does not follow, keeping the others', () => {
    // Prepare
    const body = Buffer.from(
      JSON.stringify([
        sendGridEvent('delivered'),
        sendGridEvent('account_status_change'),
        { event: 'delivered', timestamp: 'yesterday' },
        sendGridEvent('open', { sg_message_id: undefined }),
      ]),
    );

    // Act
    const { updates, skipped } = parseSendGridEvents(body);

    // Assess
    expect(updates.map((update) => update.providerEvent)).toEqual(['delivered']);
    expect(skipped).toBe(3);
  });

  it.each([
    ['not JSON', '{"event":'],
    ['a JSON object', '{"event":"delivered"}'],
    ['an array of strings', '["delivered"]'],
    ['an array with null', '[null]'],
  ])('rejects a body that is %s', (_name, body) => {
    // Act + Assess
    expect(() => parseSendGridEvents(Buffer.from(body))).toThrow(WebhookPayloadError);
  });
});

describe('Function: parseSendGridInbound', () => {
  it('reads the parsed email fields', async () => {
    // Prepare
    const { body, contentType } = multipartBody({
      headers: 'Message-ID: <CAB123@mail.example.com>\nSubject: Re: Your order',
      from: 'Ada Lovelace <Ada@Example.com>',
      to: 'replies@parse.example.com',
      subject: 'Re: Your order',
      text: 'Yes please, Tuesday.\n\nOn Mon, 23 Nov 2026 at 10:00, Shop <shop@example.com> wrote:\n> Which day?',
      html: '<p>Yes please, Tuesday.</p>',
      envelope: '{"to":["replies@parse.example.com"],"from":"ada@example.com"}',
      charsets: '{"to":"UTF-8","html":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"UTF-8"}',
      SPF: 'pass',
    });

    // Act
    const receipt = await parseSendGridInbound(body, contentType, receivedAt);

    // Assess
    expect(receipt).toMatchObject({
      provider: 'sendgrid',
      channel: 'email',
      from: 'ada@example.com',
      to: 'replies@parse.example.com',
      subject: 'Re: Your order',
      replyText: 'Yes please, Tuesday.',
      providerMessageId: '<CAB123@mail.example.com>',
      media: [],
    });
    expect(receipt.text).toContain('> Which day?');
  });

  it('falls back on the From field and the HTML when envelope and text are absent', async () => {
    // Prepare
    const { body, contentType } = multipartBody({ from: '"Ada" <ada@example.com>', html: '<p>STOP</p>' });

    // Act
    const receipt = await parseSendGridInbound(body, contentType, receivedAt);

    // Assess
    expect(receipt.from).toBe('ada@example.com');
    expect(receipt.replyText).toBe('STOP');
    expect(receipt.providerMessageId).toMatch(/^sha256:/);
  });

  it.each([
    ['not multipart', 'application/json', Buffer.from('{}')],
    [
      'multipart without a sender',
      multipartBody({ text: 'hi' }).contentType,
      multipartBody({ text: 'hi' }).body,
    ],
    [
      'a truncated multipart body',
      'multipart/form-data; boundary=xYzZY',
      Buffer.from('--xYzZY\r\nContent-Disp'),
    ],
  ])('rejects a body that is %s', async (_name, contentType, body) => {
    // Act + Assess
    await expect(parseSendGridInbound(body, contentType, receivedAt)).rejects.toBeInstanceOf(
      WebhookPayloadError,
    );
  });

  it.each([
    ['STOP\n\nOn Mon, 23 Nov 2026, Shop wrote:\n> Hi', 'STOP'],
    ['stop\r\n-----Original Message-----\r\nFrom: shop', 'stop'],
    ['> quoted only', ''],
    ['Arrêt\n\nLe lun. 23 nov. 2026, Boutique a écrit :\n> Bonjour', 'Arrêt'],
  ])('keeps only the newest part of %j', (text, expected) => {
    // Act + Assess
    expect(latestReply(text)).toBe(expected);
  });
});

describe('Fuzz: webhook parsers', () => {
  const onlyPayloadErrors = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof WebhookPayloadError)) throw error;
    }
  };
  const formLike = fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        'MessageSid',
        'MessageStatus',
        'From',
        'To',
        'Body',
        'NumMedia',
        'MediaUrl0',
        'ErrorCode',
        'SmsSid',
      ),
      fc.string(),
    ),
    fc.oneof(
      fc.string(),
      fc.constantFrom('SM1342fe1b2c904d1ab04f0fc7a58abca9', 'delivered', '3', 'whatsapp:+1', '21610'),
    ),
  );

  it('never throws anything but a payload error on random Twilio status bodies', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          formLike.map((params) => formBody(params)),
        ),
        (body) => {
          onlyPayloadErrors(() =>
            parseTwilioStatusCallback(formParameters(Buffer.from(body)), {
              receivedAt,
              idempotencyToken: body.slice(0, 8),
            }),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but a payload error on random Twilio inbound bodies', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array().map((bytes) => Buffer.from(bytes).toString('latin1')),
          formLike.map(formBody),
        ),
        (body) => {
          onlyPayloadErrors(() => parseTwilioInbound(formParameters(Buffer.from(body)), { receivedAt }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but a payload error on random SendGrid event bodies', () => {
    const eventLike = fc.record(
      {
        event: fc.oneof(
          fc.constantFrom('delivered', 'bounce', 'dropped', 'open', 'group_unsubscribe'),
          fc.string(),
        ),
        timestamp: fc.oneof(fc.integer(), fc.double(), fc.string()),
        sg_message_id: fc.oneof(fc.string(), fc.constant('x.filter1')),
        sg_event_id: fc.string(),
        type: fc.string(),
        bounce_classification: fc.string(),
        reason: fc.oneof(fc.string(), fc.integer()),
        asm_group_id: fc.oneof(fc.integer(), fc.string(), fc.object()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.array(fc.oneof(eventLike, fc.anything())).map((events) => JSON.stringify(events) ?? ''),
        ),
        (body) => {
          onlyPayloadErrors(() => parseSendGridEvents(Buffer.from(body)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never rejects with anything but a payload error on random Inbound Parse bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
          fc
            .dictionary(
              fc.constantFrom('from', 'to', 'text', 'html', 'envelope', 'headers', 'subject'),
              fc.string(),
            )
            .map((fields) => multipartBody(fields).body),
        ),
        fc.oneof(fc.constant('multipart/form-data; boundary=xYzZY'), fc.string()),
        async (body, contentType) => {
          try {
            await parseSendGridInbound(body, contentType, receivedAt);
          } catch (error) {
            if (!(error instanceof WebhookPayloadError)) throw error;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
