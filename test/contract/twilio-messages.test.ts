/**
 * Twilio contract: the SMS and WhatsApp senders' requests, sent through the twilio package's
 * Messages resource, checked by Prism against Twilio's official OpenAPI description.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import { createTwilioMessages } from '../../functions/adapters/twilio/messages';
import { createTwilioSmsSender } from '../../functions/adapters/twilio/sms-sender';
import { createTwilioWhatsAppSender } from '../../functions/adapters/twilio/whatsapp-sender';
import { ChannelUnusableError } from '../../functions/domain/errors';
import {
  smsMessage,
  TEST_CONTENT_SID,
  TEST_MESSAGING_SERVICE_SID,
  TEST_TWILIO_CREDENTIALS,
  whatsappMessage,
} from '../helpers/channel-messages';
import { contractPath, type PrismMock, ProviderContract, startPrism } from '../helpers/prism';

const credentials = async () => TEST_TWILIO_CREDENTIALS;
const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('Contract: Twilio Messages API (twilio_api_v2010.json)', () => {
  let prism: PrismMock;

  beforeAll(async () => {
    prism = await startPrism(contractPath(ProviderContract.TWILIO));
  }, 90_000);

  afterAll(async () => {
    await prism?.stop();
  });

  it('accepts an SMS from a sender number with a status callback', async () => {
    // Prepare
    const sender = createTwilioSmsSender({
      credentials,
      settings: {
        from: '+14155552345',
        statusCallbackUrl: 'https://hooks.example.com/webhooks/twilio/status',
        apiBaseUrl: prism.url,
      },
    });

    // Act
    const receipt = await sender.send(smsMessage());

    // Assess
    expect(receipt.provider).toBe('twilio');
    expect(receipt.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/i);
    expect(receipt.details).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('accepts an SMS through a Messaging Service with a validity period', async () => {
    // Prepare
    const sender = createTwilioSmsSender({
      credentials,
      settings: { messagingServiceSid: TEST_MESSAGING_SERVICE_SID, apiBaseUrl: prism.url },
    });

    // Act
    const receipt = await sender.send(
      smsMessage({ expiresAt: inOneHour(), content: { text: 'Olá, até já 👋' } }),
    );

    // Assess
    expect(receipt.details).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });

  it('accepts a freeform WhatsApp message inside the window', async () => {
    // Prepare
    const sender = createTwilioWhatsAppSender({
      credentials,
      settings: { from: '+14155552345', apiBaseUrl: prism.url },
    });

    // Act
    const receipt = await sender.send(
      whatsappMessage({
        windowOpenUntil: inOneHour(),
        // No image here: Prism reads a form array only as `MediaUrl[]=`, while Twilio and its SDK send
        // repeated `MediaUrl=` keys (form style, explode); the last test checks that against the SDK.
        content: { text: 'Your order has shipped' },
      }),
    );

    // Assess
    expect(receipt.details).toMatchObject({ mode: 'freeform' });
  });

  it('accepts a WhatsApp template outside the window', async () => {
    // Prepare
    const sender = createTwilioWhatsAppSender({
      credentials,
      settings: { from: '+14155552345', apiBaseUrl: prism.url },
    });

    // Act
    const receipt = await sender.send(
      whatsappMessage({
        content: {
          whatsappTemplate: { contentSid: TEST_CONTENT_SID, variables: { '1': 'Ada', '2': 'Tuesday' } },
        },
      }),
    );

    // Assess
    expect(receipt.details).toMatchObject({ mode: 'template', contentSid: TEST_CONTENT_SID });
  });

  it('fails when the spec rejects the request (malformed Messaging Service SID)', async () => {
    // Prepare
    const sender = createTwilioSmsSender({
      credentials,
      settings: { messagingServiceSid: 'MG-not-a-sid', apiBaseUrl: prism.url },
    });

    // Act
    const sending = sender.send(smsMessage());

    // Assess
    await expect(sending).rejects.toBeInstanceOf(ChannelUnusableError);
    await expect(sending).rejects.toMatchObject({ code: 'http_422' });
  });

  it('fails when the spec rejects the request (StatusCallback not a URI)', async () => {
    // Prepare
    const messages = createTwilioMessages({ ...TEST_TWILIO_CREDENTIALS, baseUrl: prism.url });

    // Act
    const creating = messages.create({ to: '+14155552345', body: 'hi', statusCallback: 'not a url' });

    // Assess
    await expect(creating).rejects.toMatchObject({ status: 422 });
  });
});

describe('Function: createTwilioMessages', () => {
  let server: Server;
  let url: string;
  const captured: { path: string; body: string; auth: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        captured.push({ path: req.url ?? '', body, auth: req.headers.authorization });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: `SM${'1'.repeat(32)}`, status: 'queued' }));
      });
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
  });

  it('sends the same request as the full twilio client', async () => {
    // Prepare: the full SDK, pointed at the capture server through its supported httpClient option.
    const target = new URL(url);
    const requestClient = new RequestClient();
    const full = twilio(TEST_TWILIO_CREDENTIALS.accountSid, TEST_TWILIO_CREDENTIALS.authToken, {
      httpClient: {
        request: (opts: Parameters<RequestClient['request']>[0]) => {
          const uri = new URL(opts.uri);
          uri.protocol = target.protocol;
          uri.host = target.host;
          return requestClient.request({ ...opts, uri: uri.toString() });
        },
      } as unknown as RequestClient,
    });
    const slim = createTwilioMessages({ ...TEST_TWILIO_CREDENTIALS, baseUrl: url });
    const params = {
      to: 'whatsapp:+14155552345',
      from: 'whatsapp:+14155552346',
      contentSid: TEST_CONTENT_SID,
      contentVariables: JSON.stringify({ 1: 'Ada & Bob' }),
      statusCallback: 'https://hooks.example.com/s?messageId=m1&attempt=1',
      mediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'],
    };

    // Act
    captured.length = 0;
    await full.messages.create(params);
    await slim.create(params);

    // Assess
    const [fromFull, fromSlim] = captured;
    expect(fromSlim?.path).toBe(fromFull?.path);
    expect(fromSlim?.auth).toBe(fromFull?.auth);
    expect(Object.fromEntries(new URLSearchParams(fromSlim?.body))).toEqual(
      Object.fromEntries(new URLSearchParams(fromFull?.body)),
    );
    expect(new URLSearchParams(fromSlim?.body).getAll('MediaUrl')).toEqual(
      new URLSearchParams(fromFull?.body).getAll('MediaUrl'),
    );
  });
});
