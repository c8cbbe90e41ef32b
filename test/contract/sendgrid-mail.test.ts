/**
 * SendGrid contract: the email sender's requests, built by `@sendgrid/mail`'s Mail class
 * (functions/adapters/sendgrid/mail.ts), checked by Prism against SendGrid's official OpenAPI
 * description (tsg_mail_v3.json), and compared with what the full `@sendgrid/mail` client sends.
 */
import { createServer } from 'node:http';
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { createSendGridEmailSender } from '../../functions/adapters/sendgrid/email-sender';
import { createSendGridMail } from '../../functions/adapters/sendgrid/mail';
import { ChannelUnusableError, RetryLaterError } from '../../functions/domain/errors';
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server';
import { emailMessage } from '../helpers/channel-messages';
import { listenOnLoopback } from '../helpers/loopback';
import { contractPath, type PrismMock, ProviderContract, startPrism } from '../helpers/prism';

const credentials = async () => ({ apiKey: 'SG.test-key' });
const settings = {
  fromEmail: 'notifications@example.com',
  fromName: 'Example Shop',
  replyTo: 'support@example.com',
  unsubscribeUrl: 'https://example.com/unsubscribe?c={customerId}&cat={category}',
  unsubscribeMailto: 'unsubscribe@example.com',
};

/**
 * The full @sendgrid/mail client, pointed at `baseUrl` the way its docs allow (after setApiKey), and
 * ours, with the same key.
 */
function bothClients(baseUrl: string) {
  const client = new Client();
  client.setApiKey('SG.test-key');
  client.setDefaultRequest('baseUrl', baseUrl);
  const full = new MailService();
  full.setClient(client);
  return { full, slim: createSendGridMail({ apiKey: 'SG.test-key', baseUrl }) };
}

describe('Contract: SendGrid Mail Send (tsg_mail_v3.json)', () => {
  let prism: PrismMock;

  beforeAll(async () => {
    prism = await startPrism(contractPath(ProviderContract.SENDGRID));
  }, 90_000);

  afterAll(async () => {
    await prism?.stop();
  });

  it.each([
    ['a transactional email', 'transactional'],
    ['a marketing email with List-Unsubscribe', 'marketing'],
  ])('accepts %s', async (_name, category) => {
    // Prepare
    const sender = createSendGridEmailSender({
      credentials,
      settings: { ...settings, apiBaseUrl: prism.url },
    });

    // Act
    const receipt = await sender.send(emailMessage({ category }));

    // Assess
    expect(receipt).toMatchObject({ provider: 'sendgrid', details: { statusCode: 202 } });
  });

  it('fails when the spec rejects the request (no from address)', async () => {
    // Prepare: the real client, sending what the spec forbids.
    const client = new Client();
    client.setApiKey('SG.test-key');
    client.setDefaultRequest('baseUrl', prism.url);
    const mail = new MailService();
    mail.setClient(client);

    // Act
    const sending = mail.send({
      to: 'ada@example.com',
      subject: 'Hello',
      text: 'Hi',
    } as unknown as Parameters<MailService['send']>[0]);

    // Assess
    await expect(sending).rejects.toMatchObject({ code: 400 });
  });

  it('fails when the spec rejects the request (malformed recipient), classified as unusable', async () => {
    // Prepare: an address the contract schema (format email) refuses, bypassing our own parsing.
    const sender = createSendGridEmailSender({
      credentials,
      settings: { ...settings, apiBaseUrl: prism.url },
    });
    const message = { ...emailMessage(), to: 'not-an-address' } as ReturnType<typeof emailMessage>;

    // Act
    const sending = sender.send(message);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(ChannelUnusableError);
    await expect(sending).rejects.toMatchObject({ code: 'http_400' });
  });
});

describe('Function: createSendGridEmailSender', () => {
  let server: CaptureServer;

  beforeAll(async () => {
    server = await startCaptureServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  it('sends custom_args, categories, both parts and List-Unsubscribe, and reads X-Message-Id', async () => {
    // Prepare
    server.respondWith({ status: 202, headers: { 'x-message-id': 'sg-abc123' } });
    const sender = createSendGridEmailSender({
      credentials,
      settings: { ...settings, apiBaseUrl: server.url },
    });

    // Act
    const receipt = await sender.send(
      emailMessage({ category: 'marketing', messageId: 'msg-7', attempt: 2 }),
    );

    // Assess
    expect(receipt.providerMessageId).toBe('sg-abc123');
    const [request] = server.requests;
    expect(request?.path).toBe('/v3/mail/send');
    expect(request?.headers.authorization).toBe('Bearer SG.test-key');
    const body = JSON.parse(request?.body ?? '{}');
    expect(body).toMatchObject({
      from: { email: 'notifications@example.com', name: 'Example Shop' },
      reply_to: { email: 'support@example.com' },
      subject: 'Your receipt',
      content: [
        { type: 'text/plain', value: 'Thanks for your order' },
        { type: 'text/html', value: '<p>Thanks for your order</p>' },
      ],
      categories: ['marketing'],
      headers: {
        'List-Unsubscribe':
          '<https://example.com/unsubscribe?c=cust-0001&cat=marketing>, <mailto:unsubscribe@example.com?subject=unsubscribe%20marketing%20cust-0001>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    expect(body.personalizations).toEqual([
      {
        to: [{ email: 'ada@example.com' }],
        custom_args: { messageId: 'msg-7', customerId: 'cust-0001', requestId: 'req-0001', attempt: '2' },
      },
    ]);
  });

  it('sends no List-Unsubscribe for transactional mail', async () => {
    // Prepare
    server.respondWith({ status: 202, headers: { 'x-message-id': 'sg-1' } });
    const sender = createSendGridEmailSender({
      credentials,
      settings: { ...settings, apiBaseUrl: server.url },
    });

    // Act
    await sender.send(emailMessage({ category: 'transactional' }));

    // Assess
    expect(JSON.parse(server.requests[0]?.body ?? '{}').headers).toBeUndefined();
  });

  it('gives up on the channel when a marketing email has no unsubscribe target', async () => {
    // Prepare
    const sender = createSendGridEmailSender({
      credentials,
      settings: { fromEmail: 'n@example.com', apiBaseUrl: server.url },
    });

    // Act
    const sending = sender.send(emailMessage({ category: 'marketing' }));

    // Assess
    await expect(sending).rejects.toMatchObject({ code: 'unsubscribe_not_configured' });
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    [
      'an invalid address',
      {
        status: 400,
        body: {
          errors: [{ field: 'personalizations.0.to.0.email', message: 'Does not contain a valid address.' }],
        },
      },
      ChannelUnusableError,
      'invalid_address',
    ],
    [
      'throttling',
      { status: 429, headers: { 'retry-after': '7' }, body: { errors: [] } },
      RetryLaterError,
      'http_429',
    ],
    ['a server fault', { status: 503, body: {} }, RetryLaterError, 'http_503'],
  ])('classifies %s answered over HTTP', async (_name, response, type, code) => {
    // Prepare
    server.respondWith(response);
    const sender = createSendGridEmailSender({
      credentials,
      settings: { ...settings, apiBaseUrl: server.url },
    });

    // Act
    const sending = sender.send(emailMessage());

    // Assess
    await expect(sending).rejects.toBeInstanceOf(type);
    await expect(sending).rejects.toMatchObject({ code });
  });

  it('sends the same request as the full @sendgrid/mail client', async () => {
    // Prepare
    server.respondWith({ status: 202, headers: { 'x-message-id': 'sg-1' } });
    const { full, slim } = bothClients(server.url);
    const data = {
      personalizations: [{ to: 'ada@example.com', customArgs: { messageId: 'm1', attempt: '1' } }],
      from: { email: 'notifications@example.com', name: 'Example Shop' },
      replyTo: 'support@example.com',
      subject: 'Ünïcode & <html>',
      content: [
        { type: 'text/plain', value: 'Hi {{name}}' },
        { type: 'text/html', value: '<p>Hi</p>' },
      ] as [{ type: string; value: string }, { type: string; value: string }],
      categories: ['marketing'],
      headers: { 'List-Unsubscribe': '<https://example.com/u>' },
    };

    // Act
    await full.send(data);
    const answer = await slim.send(data);

    // Assess
    const [fromFull, fromSlim] = server.requests;
    expect(fromSlim?.method).toBe(fromFull?.method);
    expect(fromSlim?.path).toBe(fromFull?.path);
    for (const header of ['authorization', 'content-type', 'accept']) {
      expect(fromSlim?.headers[header]).toBe(fromFull?.headers[header]);
    }
    expect(JSON.parse(fromSlim?.body ?? '')).toEqual(JSON.parse(fromFull?.body ?? ''));
    expect(answer).toMatchObject({ statusCode: 202, headers: { 'x-message-id': 'sg-1' } });
  });

  it('raises the same ResponseError as @sendgrid/mail for an error answer', async () => {
    // Prepare
    const body = {
      errors: [{ field: 'from', message: 'The from address does not match a verified Sender' }],
    };
    server.respondWith({ status: 403, headers: { 'retry-after': '3' }, body });
    const { full, slim } = bothClients(server.url);
    const data = { to: 'ada@example.com', from: 'n@example.com', subject: 'S', text: 'T' };

    // Act
    const [fromFull, fromSlim] = await Promise.allSettled([full.send(data), slim.send(data)]);

    // Assess
    expect(fromFull.status).toBe('rejected');
    expect(fromSlim.status).toBe('rejected');
    const [a, b] = [fromFull, fromSlim].map((result) => (result as PromiseRejectedResult).reason);
    expect(b.constructor.name).toBe(a.constructor.name);
    expect({ code: b.code, body: b.response.body, retryAfter: b.response.headers['retry-after'] }).toEqual({
      code: a.code,
      body: a.response.body,
      retryAfter: a.response.headers['retry-after'],
    });
  });

  it('gives up on a request SendGrid does not answer in time, to be retried', async () => {
    // Prepare: a server that accepts the connection and never answers.
    const silent = await listenOnLoopback(createServer(() => {}));
    const sender = createSendGridEmailSender({
      credentials,
      settings: { ...settings, apiBaseUrl: silent.url, timeoutMs: 200 },
    });

    // Act
    const sending = sender.send(emailMessage());

    // Assess
    try {
      await expect(sending).rejects.toBeInstanceOf(RetryLaterError);
      await expect(sending).rejects.toMatchObject({ code: 'TimeoutError' });
    } finally {
      await silent.stop();
    }
  });
});
