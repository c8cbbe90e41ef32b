import { EventWebhook } from '@sendgrid/eventwebhook';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import twilio from 'twilio';
import { ChannelUnusableError, RetryLaterError } from '../../../functions/domain/errors';
import { type LocalHttpServer, startHttpServer } from '../../../local/http-server';
import { createSandbox, type Sandbox } from '../../../local/sandbox/index';
import { SandboxPhone, SandboxPush } from '../../../local/sandbox/magic-addresses';
import { channelMessage } from '../../helpers/channel-messages';
import { eventually } from '../../helpers/eventually';

/** What a webhook received, and whether the provider's own verification accepted it. */
interface Received {
  readonly path: string;
  readonly verified: boolean;
  readonly headers: Record<string, string | undefined>;
  readonly params?: Record<string, string>;
  readonly events?: Record<string, unknown>[];
}

/** The two webhook routes, verifying exactly as Twilio's and SendGrid's libraries do. */
async function verifyingWebhooks(credentials: () => Sandbox['credentials']) {
  const received: Received[] = [];
  const bodyOf = (event: APIGatewayProxyEventV2) =>
    event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const server = await startHttpServer({
    routes: [
      {
        method: 'POST',
        path: '/webhooks/twilio/status',
        functionName: 'twilio-webhook',
        handler: async (event) => {
          const params = Object.fromEntries(new URLSearchParams(bodyOf(event)));
          const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
          const url = `${event.headers['x-forwarded-proto']}://${event.headers.host}${event.rawPath}${query}`;
          const verified = twilio.validateRequest(
            credentials().twilioAuthToken,
            event.headers['x-twilio-signature'] ?? '',
            url,
            params,
          );
          received.push({ path: event.rawPath, verified, headers: event.headers, params });
          return { statusCode: verified ? 200 : 403 };
        },
      },
      {
        method: 'POST',
        path: '/webhooks/sendgrid/events',
        functionName: 'sendgrid-webhook',
        handler: async (event) => {
          const payload = bodyOf(event);
          const webhook = new EventWebhook();
          const verified = webhook.verifySignature(
            webhook.convertPublicKeyToECDSA(credentials().sendgridPublicKey),
            payload,
            event.headers['x-twilio-email-event-webhook-signature'] ?? '',
            event.headers['x-twilio-email-event-webhook-timestamp'] ?? '',
          );
          received.push({
            path: event.rawPath,
            verified,
            headers: event.headers,
            events: JSON.parse(payload),
          });
          return { statusCode: verified ? 200 : 403 };
        },
      },
    ],
  });
  return { server, received };
}

describe('Sandbox providers', () => {
  let server: LocalHttpServer;
  let received: Received[];
  let sandbox: Sandbox;

  beforeEach(async () => {
    const webhooks = await verifyingWebhooks(() => sandbox.credentials);
    server = webhooks.server;
    received = webhooks.received;
    sandbox = createSandbox({ webhookBaseUrl: server.url, firstCallbackMs: 5, callbackStepMs: 5 });
  });
  afterEach(async () => {
    await sandbox.stop();
    await server.stop();
  });

  it('accepts an SMS, keeps it in the outbox and posts signed sent → delivered callbacks', async () => {
    // Prepare
    const message = channelMessage('sms', '+14155550100');

    // Act
    const receipt = await sandbox.senders.sms.send(message);
    await sandbox.callbacks.idle();

    // Assess
    expect(receipt.provider).toBe('twilio');
    expect(receipt.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(received.map((r) => [r.params?.MessageStatus, r.verified])).toEqual([
      ['sent', true],
      ['delivered', true],
    ]);
    expect(received[0]?.params).toMatchObject({
      MessageSid: receipt.providerMessageId,
      To: '+14155550100',
      AccountSid: sandbox.credentials.twilioAccountSid,
    });
    expect(received[0]?.headers['i-twilio-idempotency-token']).toMatch(/\S/);
    const entry = sandbox.outbox.list()[0];
    expect(entry).toMatchObject({ id: receipt.providerMessageId, channel: 'sms', outcome: 'accepted' });
    expect(entry?.content.text).toBe('Your order has shipped');
    expect(entry?.statuses.map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);
    expect(entry?.callbacks.map((c) => c.httpStatus)).toEqual([200, 200]);
  });

  it('reports an undeliverable number with a failure receipt (undelivered, 30003)', async () => {
    // Prepare
    const message = channelMessage('sms', SandboxPhone.UNDELIVERABLE);

    // Act
    await sandbox.senders.sms.send(message);
    await sandbox.callbacks.idle();

    // Assess
    expect(received.map((r) => [r.params?.MessageStatus, r.params?.ErrorCode])).toEqual([
      ['sent', undefined],
      ['undelivered', '30003'],
    ]);
    expect(received.every((r) => r.verified)).toBe(true);
  });

  it('sends WhatsApp from and to whatsapp: addresses, through sent → delivered → read', async () => {
    // Prepare
    const windowOpenUntil = new Date(Date.now() + 3_600_000).toISOString();
    const message = channelMessage('whatsapp', '+14155550100', { windowOpenUntil });

    // Act
    await sandbox.senders.whatsapp.send(message);
    await sandbox.callbacks.idle();

    // Assess
    expect(received.map((r) => r.params?.MessageStatus)).toEqual(['sent', 'delivered', 'read']);
    expect(received[0]?.params).toMatchObject({ To: 'whatsapp:+14155550100', ChannelPrefix: 'whatsapp' });
    expect(received[0]?.params?.From).toMatch(/^whatsapp:\+/);
    expect(received.every((r) => r.verified)).toBe(true);
  });

  it('refuses freeform WhatsApp outside the window as the real sender does, and sends nothing', async () => {
    // Prepare
    const message = channelMessage('whatsapp', '+14155550100');

    // Act
    const sending = sandbox.senders.whatsapp.send(message);

    // Assess
    await expect(sending).rejects.toMatchObject({ code: 'whatsapp_window_closed' });
    await sandbox.callbacks.idle();
    expect(received).toEqual([]);
  });

  it.each([
    { to: SandboxPhone.INVALID, error: ChannelUnusableError, code: '21211', optedOut: false },
    { to: SandboxPhone.OPTED_OUT, error: ChannelUnusableError, code: '21610', optedOut: true },
    { to: SandboxPhone.THROTTLED, error: RetryLaterError, code: '20429', optedOut: undefined },
  ])('refuses an SMS to $to with $error.name $code', async ({ to, error, code, optedOut }) => {
    // Prepare
    const message = channelMessage('sms', to);

    // Act
    const sending = sandbox.senders.sms.send(message);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(error);
    await expect(sending).rejects.toMatchObject({ code, ...(optedOut === undefined ? {} : { optedOut }) });
    await sandbox.callbacks.idle();
    expect(received).toHaveLength(0);
    expect(sandbox.outbox.list()[0]).toMatchObject({ outcome: 'refused', to });
  });

  it('sends email and posts signed processed → delivered → open events that SendGrid’s library verifies', async () => {
    // Prepare
    const message = channelMessage('email', 'ana@example.com');

    // Act
    const receipt = await sandbox.senders.email.send(message);
    await sandbox.callbacks.idle();

    // Assess
    expect(receipt.provider).toBe('sendgrid');
    expect(received.map((r) => [r.events?.[0]?.event, r.verified])).toEqual([
      ['processed', true],
      ['delivered', true],
      ['open', true],
    ]);
    expect(received[0]?.events?.[0]).toMatchObject({
      email: 'ana@example.com',
      messageId: message.messageId,
      sg_message_id: expect.stringMatching(new RegExp(`^${receipt.providerMessageId}\\.`)),
    });
    expect(sandbox.outbox.get(receipt.providerMessageId)?.content.html).toBe('<p>Thanks for your order</p>');
  });

  it('bounces email to the magic bounce address', async () => {
    // Prepare
    const message = channelMessage('email', 'bounce@sandbox.switchboard.dev');

    // Act
    await sandbox.senders.email.send(message);
    await sandbox.callbacks.idle();

    // Assess
    expect(received.map((r) => r.events?.[0]?.event)).toEqual(['processed', 'bounce']);
    expect(received[1]?.events?.[0]).toMatchObject({ type: 'bounce', status: '5.1.1' });
    expect(received.every((r) => r.verified)).toBe(true);
  });

  it('signs SendGrid events so that a changed payload no longer verifies', async () => {
    // Prepare
    await sandbox.senders.email.send(channelMessage('email', 'ana@example.com'));
    await sandbox.callbacks.idle();
    const first = received[0] as Received;
    const webhook = new EventWebhook();
    const key = webhook.convertPublicKeyToECDSA(sandbox.credentials.sendgridPublicKey);
    const signature = first.headers['x-twilio-email-event-webhook-signature'] ?? '';
    const timestamp = first.headers['x-twilio-email-event-webhook-timestamp'] ?? '';
    const original = JSON.stringify(first.events);

    // Act
    const tampered = webhook.verifySignature(
      key,
      original.replace('processed', 'delivered'),
      signature,
      timestamp,
    );
    const untouched = webhook.verifySignature(key, original, signature, timestamp);

    // Assess
    expect(tampered).toBe(false);
    expect(untouched).toBe(true);
  });

  it('reports push to an unregistered token as unusable and drops it from a mixed send', async () => {
    // Prepare
    const dead = { kind: 'fcm', token: SandboxPush.UNREGISTERED_TOKEN };
    const alive = { kind: 'fcm', token: 'token-alive-123456' };

    // Act
    const onlyDead = sandbox.senders.push.send(channelMessage('push', [dead]));
    const mixed = await sandbox.senders.push.send(channelMessage('push', [dead, alive]));

    // Assess
    await expect(onlyDead).rejects.toMatchObject({ name: 'ChannelUnusableError', code: 'UNREGISTERED' });
    expect(mixed.details).toMatchObject({ devices: 1, devicesRemoved: [SandboxPush.UNREGISTERED_TOKEN] });
    expect(sandbox.outbox.list({ channel: 'push' }).map((e) => e.outcome)).toEqual(['accepted', 'refused']);
  });

  it('records a failed callback and retries it while the webhook is missing', async () => {
    // Prepare
    await server.stop();
    await sandbox.stop();
    sandbox = createSandbox({
      webhookBaseUrl: server.url,
      firstCallbackMs: 1,
      callbackStepMs: 1,
      retryDelayMs: 1,
    });

    // Act
    const receipt = await sandbox.senders.sms.send(channelMessage('sms', '+14155550100'));
    await sandbox.callbacks.idle();

    // Assess
    const callbacks = sandbox.outbox.get(receipt.providerMessageId)?.callbacks ?? [];
    expect(callbacks.filter((c) => c.reports === 'sent').map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(callbacks.every((c) => c.error !== undefined)).toBe(true);
  });

  it('cancels callbacks that are not yet due when stopped', async () => {
    // Prepare
    await sandbox.stop();
    sandbox = createSandbox({ webhookBaseUrl: server.url, firstCallbackMs: 60_000 });
    await sandbox.senders.sms.send(channelMessage('sms', '+14155550100'));

    // Act
    await sandbox.stop();

    // Assess
    await eventually(
      () => received.length,
      (n) => n === 0,
    );
    expect(sandbox.outbox.list()[0]?.statuses.map((s) => s.status)).toEqual(['queued']);
  });
});
