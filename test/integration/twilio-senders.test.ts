/**
 * The Twilio senders' choices, seen on the wire at a local capture server: sender or Messaging
 * Service, status callback per message, freeform or template by the WhatsApp window.
 */
import { createTwilioSmsSender } from '../../functions/adapters/twilio/sms-sender';
import { createTwilioWhatsAppSender } from '../../functions/adapters/twilio/whatsapp-sender';
import { ChannelUnusableError } from '../../functions/domain/errors';
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server';
import {
  smsMessage,
  TEST_CONTENT_SID,
  TEST_MESSAGING_SERVICE_SID,
  TEST_TWILIO_CREDENTIALS,
  whatsappMessage,
} from '../helpers/channel-messages';

const NOW = new Date('2026-11-23T14:00:00Z');
const credentials = async () => TEST_TWILIO_CREDENTIALS;
const minutesFromNow = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

describe('Function: createTwilioWhatsAppSender', () => {
  let server: CaptureServer;
  let sender: ReturnType<typeof createTwilioWhatsAppSender>;

  beforeAll(async () => {
    server = await startCaptureServer();
    server.respondWith({ status: 201, body: { sid: `SM${'2'.repeat(32)}`, status: 'queued' } });
    sender = createTwilioWhatsAppSender({
      credentials,
      settings: {
        from: '+14155552345',
        statusCallbackUrl: 'https://hooks.example.com/webhooks/twilio/status',
        apiBaseUrl: server.url,
      },
      now: () => NOW,
    });
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  const template = { contentSid: TEST_CONTENT_SID, variables: { '1': 'Ada' } };
  const sentForm = () => new URLSearchParams(server.requests[0]?.body);

  it('sends freeform text while the window is open', async () => {
    // Act
    const receipt = await sender.send(
      whatsappMessage({
        windowOpenUntil: minutesFromNow(120),
        content: { text: 'Hi', whatsappTemplate: template },
      }),
    );

    // Assess
    expect(receipt.details).toMatchObject({ mode: 'freeform' });
    expect(Object.fromEntries(sentForm())).toEqual({
      To: 'whatsapp:+33612345678',
      From: 'whatsapp:+14155552345',
      Body: 'Hi',
      StatusCallback:
        'https://hooks.example.com/webhooks/twilio/status?customerId=cust-0001&messageId=msg-0001&attempt=1',
    });
  });

  it.each([
    ['the window is closed', undefined],
    ['the window closed an hour ago', minutesFromNow(-60)],
    ['the window closes within the safety margin', minutesFromNow(0.5)],
  ])('sends the approved template when %s', async (_name, windowOpenUntil) => {
    // Act
    const receipt = await sender.send(
      whatsappMessage({ windowOpenUntil, content: { text: 'Hi', whatsappTemplate: template } }),
    );

    // Assess
    expect(receipt.details).toMatchObject({ mode: 'template', contentSid: TEST_CONTENT_SID });
    expect(sentForm().get('ContentSid')).toBe(TEST_CONTENT_SID);
    expect(JSON.parse(sentForm().get('ContentVariables') ?? '')).toEqual({ '1': 'Ada' });
    expect(sentForm().has('Body')).toBe(false);
  });

  it('gives up on the channel without calling Twilio when the window is closed and there is no template', async () => {
    // Act
    const sending = sender.send(whatsappMessage({ content: { text: 'Hi' } }));

    // Assess
    await expect(sending).rejects.toBeInstanceOf(ChannelUnusableError);
    await expect(sending).rejects.toMatchObject({
      code: 'whatsapp_window_closed',
      message: expect.stringContaining('24-hour window is closed'),
    });
    expect(server.requests).toHaveLength(0);
  });

  it('classifies the answer when Twilio says the customer is not on WhatsApp', async () => {
    // Prepare
    server.respondWith({
      status: 400,
      body: { code: 63003, message: 'Channel could not find To address', status: 400 },
    });

    // Act
    const sending = sender.send(whatsappMessage({ content: { whatsappTemplate: template } }));

    // Assess
    await expect(sending).rejects.toMatchObject({ name: 'ChannelUnusableError', code: '63003' });
    server.respondWith({ status: 201, body: { sid: `SM${'2'.repeat(32)}`, status: 'queued' } });
  });
});

describe('Function: createTwilioSmsSender', () => {
  let server: CaptureServer;

  beforeAll(async () => {
    server = await startCaptureServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    server.requests.length = 0;
    server.respondWith({ status: 201, body: { sid: `SM${'3'.repeat(32)}`, status: 'accepted' } });
  });

  it('sends through the Messaging Service with a validity period up to the expiry', async () => {
    // Prepare
    const sender = createTwilioSmsSender({
      credentials,
      settings: {
        messagingServiceSid: TEST_MESSAGING_SERVICE_SID,
        from: '+14155550000',
        apiBaseUrl: server.url,
      },
      now: () => NOW,
    });

    // Act
    const receipt = await sender.send(smsMessage({ expiresAt: minutesFromNow(30), attempt: 2 }));

    // Assess
    expect(receipt).toEqual({
      provider: 'twilio',
      providerMessageId: `SM${'3'.repeat(32)}`,
      details: { encoding: 'GSM-7', segments: 1, units: 19, twilioStatus: 'accepted' },
    });
    const form = new URLSearchParams(server.requests[0]?.body);
    expect(form.get('MessagingServiceSid')).toBe(TEST_MESSAGING_SERVICE_SID);
    expect(form.has('From')).toBe(false);
    expect(form.get('ValidityPeriod')).toBe('1800');
    expect(server.requests[0]?.path).toBe(
      `/2010-04-01/Accounts/${TEST_TWILIO_CREDENTIALS.accountSid}/Messages.json`,
    );
  });

  it('classifies an opt-out as unusable and opted out', async () => {
    // Prepare
    server.respondWith({
      status: 400,
      body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 },
    });
    const sender = createTwilioSmsSender({
      credentials,
      settings: { from: '+14155552345', apiBaseUrl: server.url },
    });

    // Act
    const sending = sender.send(smsMessage());

    // Assess
    await expect(sending).rejects.toMatchObject({
      name: 'ChannelUnusableError',
      code: '21610',
      optedOut: true,
    });
  });

  it('retries later when Twilio throttles', async () => {
    // Prepare
    server.respondWith({ status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
    const sender = createTwilioSmsSender({
      credentials,
      settings: { from: '+14155552345', apiBaseUrl: server.url },
    });

    // Act
    const sending = sender.send(smsMessage());

    // Assess
    await expect(sending).rejects.toMatchObject({ name: 'RetryLaterError', code: '20429' });
  });

  it('retries later when the connection is refused', async () => {
    // Prepare: a port nothing listens on any more.
    const gone = await startCaptureServer();
    await gone.stop();
    const sender = createTwilioSmsSender({
      credentials,
      settings: { from: '+14155552345', apiBaseUrl: gone.url },
    });

    // Act
    const sending = sender.send(smsMessage());

    // Assess
    await expect(sending).rejects.toMatchObject({ name: 'RetryLaterError', code: 'ECONNREFUSED' });
  });
});
