/**
 * The four channel senders through their real handlers on DynamoDB Local and fauxqs, with the real
 * provider adapters pointed at Prism (Twilio's and SendGrid's official OpenAPI descriptions), at
 * local FCM and Web Push services, or at a capture server where a test needs a given provider error.
 * Channel messages come from the real router, so fallbacks are routed for real too.
 */
import webPush from 'web-push';
import { createFcmDeviceSender } from '../../functions/adapters/push/fcm-sender';
import { createPushSender } from '../../functions/adapters/push/push-sender';
import { createWebPushDeviceSender } from '../../functions/adapters/push/web-push-sender';
import { createSendGridEmailSender } from '../../functions/adapters/sendgrid/email-sender';
import { createTwilioSmsSender } from '../../functions/adapters/twilio/sms-sender';
import { createTwilioWhatsAppSender } from '../../functions/adapters/twilio/whatsapp-sender';
import { SenderMetric } from '../../functions/config';
import type { Channel, ChannelMessage, MessageRequestInput, PushDevice } from '../../functions/contract';
import { RETRIES_EXHAUSTED } from '../../functions/domain/delivery';
import type { ChannelSender } from '../../functions/domain/ports';
import { queueDefinition, visibilityTimeoutSeconds } from '../../infra/resources';
import type { LocalResources } from '../../local/emulators';
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server';
import { TEST_CONTENT_SID, TEST_TWILIO_CREDENTIALS } from '../helpers/channel-messages';
import { channelRecord, eventOf, sendersUnderTest } from '../helpers/channel-senders';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest } from '../helpers/factories';
import { contractPath, type PrismMock, ProviderContract, startPrism } from '../helpers/prism';
import {
  type FcmServer,
  startFcmServer,
  startWebPushReceiver,
  type WebPushReceiver,
} from '../helpers/push-services';
import { entriesOf } from '../helpers/timeline';

const STATUS_CALLBACK = 'https://hooks.example.com/webhooks/twilio/status';
const VAPID_SUBJECT = 'mailto:ops@example.com';
const vapidKeys = webPush.generateVAPIDKeys();
const twilioCredentials = async () => TEST_TWILIO_CREDENTIALS;
const TWILIO_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

const twilioError = (status: number, code: number, message: string) => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

describe('Function: channel sender handlers', () => {
  const clients = testClients();
  let twilioPrism: PrismMock;
  let sendgridPrism: PrismMock;
  let twilioCapture: CaptureServer;
  let fcm: FcmServer;
  let webPushReceiver: WebPushReceiver;
  let resources: LocalResources;
  let world: ReturnType<typeof sendersUnderTest>;

  beforeAll(async () => {
    [twilioPrism, sendgridPrism, twilioCapture, fcm, webPushReceiver] = await Promise.all([
      startPrism(contractPath(ProviderContract.TWILIO)),
      startPrism(contractPath(ProviderContract.SENDGRID)),
      startCaptureServer(),
      startFcmServer(),
      startWebPushReceiver({ publicKey: vapidKeys.publicKey, subject: VAPID_SUBJECT }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([
      twilioPrism?.stop(),
      sendgridPrism?.stop(),
      twilioCapture?.stop(),
      fcm?.stop(),
      webPushReceiver?.stop(),
    ]);
    clients.destroy();
  });

  beforeEach(async () => {
    resources = await isolatedResources();
    world = sendersUnderTest(resources, clients);
    twilioCapture.requests.length = 0;
    twilioCapture.respondWith({ status: 201, body: { sid: `SM${'4'.repeat(32)}`, status: 'queued' } });
  });

  const smsSender = (apiBaseUrl: string): ChannelSender =>
    createTwilioSmsSender({
      credentials: twilioCredentials,
      settings: { from: '+14155552345', statusCallbackUrl: STATUS_CALLBACK, apiBaseUrl },
    });
  const whatsAppSender = (apiBaseUrl: string): ChannelSender =>
    createTwilioWhatsAppSender({
      credentials: twilioCredentials,
      settings: { from: '+14155552345', statusCallbackUrl: STATUS_CALLBACK, apiBaseUrl },
    });
  const emailSender = (): ChannelSender =>
    createSendGridEmailSender({
      credentials: async () => ({ apiKey: 'SG.test-key' }),
      settings: { fromEmail: 'notifications@example.com', apiBaseUrl: sendgridPrism.url },
    });
  const pushSender = (): ChannelSender =>
    createPushSender({
      fcm: createFcmDeviceSender({
        credentials: async () => fcm.serviceAccount,
        settings: { apiBaseUrl: fcm.apiBaseUrl, tokenUrl: fcm.tokenUrl },
      }),
      webPush: createWebPushDeviceSender({
        credentials: async () => vapidKeys,
        settings: { subject: VAPID_SUBJECT, agent: webPushReceiver.agent },
      }),
    });

  /** A stored customer, a request routed by the real router, and the channel message it queued. */
  async function routed(
    channel: Channel,
    request: Partial<MessageRequestInput> = {},
    customerOverrides: Parameters<typeof aCustomer>[0] = {},
  ): Promise<{ customerId: string; message: ChannelMessage }> {
    const others = (['sms', 'whatsapp', 'email', 'push'] as const).filter((c) => c !== channel);
    const customer = aCustomer({ preferences: { channels: [channel, ...others] }, ...customerOverrides });
    await world.router.store.put(customer);
    const response = await world.router.handler(
      anSqsEvent([
        aRequest(customer.customerId, {
          routing: { channels: [channel, ...others] },
          ...request,
        }),
      ]),
    );
    expect(response.batchItemFailures).toEqual([]);
    const [message] = await world.channelMessagesOf(channel);
    if (!message) throw new Error(`the router queued no ${channel} message`);
    return { customerId: customer.customerId, message };
  }

  const attemptOf = async (message: ChannelMessage) =>
    (await entriesOf(world.router.timeline, message.customerId, 'message'))
      .find((entry) => entry.messageId === message.messageId)
      ?.attempts.find((record) => record.attempt === message.attempt && record.channel === message.channel);

  describe('success', () => {
    it('records an SMS sent with the Twilio SID Prism returned, and counts MessageSent', async () => {
      // Prepare
      const { message } = await routed('sms');
      const addMetric = jest.spyOn(world.metrics, 'addMetric');
      const handler = world.handlerFor('sms', smsSender(twilioPrism.url));

      // Act
      const response = await handler(eventOf(channelRecord(message)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      const attempt = await attemptOf(message);
      expect(attempt).toMatchObject({
        status: 'sent',
        provider: 'twilio',
        details: { encoding: 'GSM-7', segments: 1 },
      });
      expect(attempt?.providerMessageId).toMatch(TWILIO_SID);
      expect(addMetric).toHaveBeenCalledWith(SenderMetric.SENT, 'Count', 1);
    });

    it('records a WhatsApp template sent through Prism when the window is closed', async () => {
      // Prepare
      const { message } = await routed('whatsapp');
      const withTemplate = {
        ...message,
        content: {
          ...message.content,
          whatsappTemplate: { contentSid: TEST_CONTENT_SID, variables: { '1': 'Ada' } },
        },
      };
      const handler = world.handlerFor('whatsapp', whatsAppSender(twilioPrism.url));

      // Act
      const response = await handler(eventOf(channelRecord(withTemplate)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      const attempt = await attemptOf(message);
      expect(attempt).toMatchObject({ status: 'sent', provider: 'twilio', details: { mode: 'template' } });
      expect(attempt?.providerMessageId).toMatch(TWILIO_SID);
    });

    it('records an email sent through Prism with SendGrid', async () => {
      // Prepare
      const { message } = await routed('email');
      const handler = world.handlerFor('email', emailSender());

      // Act
      const response = await handler(eventOf(channelRecord(message)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      const attempt = await attemptOf(message);
      expect(attempt).toMatchObject({ status: 'sent', provider: 'sendgrid' });
      expect(attempt?.providerMessageId).toEqual(expect.any(String));
    });

    it('records a push sent to FCM and Web Push devices with the FCM message name', async () => {
      // Prepare
      const subscription = webPushReceiver.subscription('/push/ok-1');
      const devices: PushDevice[] = [
        { kind: 'fcm', token: 'fcm-ok-1' },
        { kind: 'webpush', subscription },
      ];
      const { message } = await routed('push', {}, { addresses: { push: devices } });
      const fcmBefore = fcm.received.length;
      const webBefore = webPushReceiver.received.length;
      const handler = world.handlerFor('push', pushSender());

      // Act
      const response = await handler(eventOf(channelRecord(message)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(fcm.received.length - fcmBefore).toBe(1);
      expect(webPushReceiver.received.length - webBefore).toBe(1);
      const attempt = await attemptOf(message);
      expect(attempt).toMatchObject({ status: 'sent', details: { delivered: 2, devices: 2 } });
      expect(attempt?.providerMessageId).toMatch(/^projects\/switchboard-test\/messages\/\d+$|^https:\/\//);
    });

    it('schedules a receipt check when the request has a receipt timeout', async () => {
      // Prepare
      const { message } = await routed('sms', {
        routing: { channels: ['sms', 'email'], receiptTimeoutSeconds: 600 },
      });
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

      // Act
      await handler(eventOf(channelRecord(message)));

      // Assess
      expect(await world.router.delayedCount('receipts')).toBe(1);
    });
  });

  describe('receipt checks', () => {
    it('fails the record when its receipt check cannot be sent, and schedules it on redelivery without sending again', async () => {
      // Prepare
      const { message } = await routed('sms', {
        routing: { channels: ['sms', 'email'], receiptTimeoutSeconds: 600 },
      });
      const record = (receiveCount: number) => channelRecord(message, receiveCount, 'sqs-receipt');
      const broken = world.handlerFor('sms', smsSender(twilioCapture.url), {
        receiptsQueueUrl: `${resources.queues.receipts}-missing`,
      });
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

      // Act
      const first = await broken(eventOf(record(1)));
      const redelivered = await handler(eventOf(record(2)));

      // Assess
      expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'sqs-receipt' }]);
      expect(redelivered.batchItemFailures).toEqual([]);
      expect(twilioCapture.requests).toHaveLength(1);
      expect(await world.router.delayedCount('receipts')).toBe(1);
    });
  });

  describe('at least once, one send', () => {
    it('does not call Twilio again for a redelivered record whose attempt is sent', async () => {
      // Prepare
      const { message } = await routed('sms');
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));
      await handler(eventOf(channelRecord(message, 1, 'sqs-1')));

      // Act
      const again = await handler(eventOf(channelRecord(message, 2, 'sqs-1')));
      const duplicate = await handler(eventOf(channelRecord(message, 1, 'sqs-2')));

      // Assess
      expect(again.batchItemFailures).toEqual([]);
      expect(duplicate.batchItemFailures).toEqual([]);
      expect(twilioCapture.requests).toHaveLength(1);
      expect(await attemptOf(message)).toMatchObject({
        status: 'sent',
        providerMessageId: `SM${'4'.repeat(32)}`,
      });
    });

    it('sends once when the same record is delivered twice in one batch', async () => {
      // Prepare
      const { message } = await routed('sms');
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

      // Act
      const response = await handler(eventOf(channelRecord(message, 1, 'a'), channelRecord(message, 1, 'b')));

      // Assess
      expect(twilioCapture.requests).toHaveLength(1);
      // The copy that met the live lease is retried later, and then acknowledged without sending.
      expect(response.batchItemFailures.length).toBeLessThanOrEqual(1);
      expect(await attemptOf(message)).toMatchObject({ status: 'sent' });
    });

    it('reports a batch item failure while another invocation holds the lease', async () => {
      // Prepare
      const { message } = await routed('sms');
      await world.router.attempts.leaseAttempt(
        { customerId: message.customerId, messageId: message.messageId, channel: 'sms', attempt: 1 },
        { owner: 'another-invocation', leaseSeconds: 30, now: new Date(), queuedAt: message.queuedAt },
      );
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

      // Act
      const response = await handler(eventOf(channelRecord(message, 1, 'held')));

      // Assess
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'held' }]);
      expect(twilioCapture.requests).toHaveLength(0);
    });

    it('records an expired message without sending it', async () => {
      // Prepare
      const { message } = await routed('sms');
      const expired = { ...message, expiresAt: new Date(Date.now() - 1000).toISOString() };
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

      // Act
      const response = await handler(eventOf(channelRecord(expired)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(twilioCapture.requests).toHaveLength(0);
      expect(await attemptOf(message)).toMatchObject({ status: 'expired' });
    });
  });

  describe('retryable failures', () => {
    it.each([
      ['a 500', twilioError(500, 20500, 'Internal Server Error')],
      ['a 429', twilioError(429, 20429, 'Too Many Requests')],
    ])(
      'reports %s from Twilio as a batch item failure and leaves the attempt queued',
      async (_name, answer) => {
        // Prepare
        const { message } = await routed('sms');
        twilioCapture.respondWith(answer);
        const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

        // Act
        const response = await handler(eventOf(channelRecord(message, 1, 'flaky')));

        // Assess
        expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'flaky' }]);
        expect(await attemptOf(message)).toMatchObject({ status: 'queued' });
        expect(await world.fallbackRequests()).toEqual([]);
      },
    );

    it('gives the channel up on the last allowed try and falls back instead of going to the DLQ', async () => {
      // Prepare
      const { message } = await routed('sms');
      twilioCapture.respondWith(twilioError(503, 20503, 'Service Unavailable'));
      const addMetric = jest.spyOn(world.metrics, 'addMetric');
      // SQS redelivers a failed record one visibility timeout later, when the lease has expired.
      let clock = Date.now();
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url), {
        policy: { maxRetryableFailures: 3 },
        now: () => new Date(clock),
      });

      // Act
      const second = await handler(eventOf(channelRecord(message, 2, 'r')));
      clock += visibilityTimeoutSeconds(queueDefinition('sms')) * 1000;
      const third = await handler(eventOf(channelRecord(message, 3, 'r')));

      // Assess
      expect(second.batchItemFailures).toEqual([{ itemIdentifier: 'r' }]);
      expect(third.batchItemFailures).toEqual([]);
      expect(await attemptOf(message)).toMatchObject({
        status: 'failed',
        error: { code: RETRIES_EXHAUSTED, permanent: true },
      });
      const fallbacks = await world.fallbackRequests();
      expect(fallbacks.map((f) => f.request)).toMatchObject([
        { kind: 'fallback', messageId: message.messageId, triedChannels: ['sms'] },
      ]);
      expect(addMetric).toHaveBeenCalledWith(SenderMetric.FAILED, 'Count', 1);
    });
  });

  describe('permanent failures', () => {
    it('records 21211 as failed and enqueues a fallback the router sends to the next channel', async () => {
      // Prepare
      const { message } = await routed('sms');
      expect(message.fallbackChannels[0]).toBe('whatsapp');
      twilioCapture.respondWith(twilioError(400, 21211, "The 'To' number is not a valid phone number."));
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

      // Act
      const response = await handler(eventOf(channelRecord(message)));
      const fallbacks = await world.fallbackRequests();
      const rerouted = await world.router.handler(anSqsEvent(fallbacks.map((f) => f.body)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(await attemptOf(message)).toMatchObject({
        status: 'failed',
        error: { code: '21211', permanent: true },
      });
      expect(fallbacks.map((f) => f.request)).toEqual([
        {
          kind: 'fallback',
          schemaVersion: 1,
          messageId: message.messageId,
          customerId: message.customerId,
          triedChannels: ['sms'],
          reason: 'sms: failed (21211)',
          requestedAt: expect.any(String),
        },
      ]);
      expect(rerouted.batchItemFailures).toEqual([]);
      expect(await world.channelMessagesOf('sms', message.messageId)).toEqual([]);
      expect(await world.channelMessagesOf('whatsapp', message.messageId)).toMatchObject([
        { channel: 'whatsapp', attempt: 2, messageId: message.messageId },
      ]);
    });

    it('ends the message failed without a fallback when the request allows none', async () => {
      // Prepare
      const { message } = await routed('sms', { routing: { channels: ['sms', 'email'], fallback: false } });
      twilioCapture.respondWith(twilioError(400, 21614, "'To' number is not a valid mobile number"));
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

      // Act
      const response = await handler(eventOf(channelRecord(message)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(await attemptOf(message)).toMatchObject({ status: 'failed', error: { code: '21614' } });
      expect(await world.fallbackRequests()).toEqual([]);
      const [entry] = await entriesOf(world.router.timeline, message.customerId, 'message');
      expect(entry?.status).toBe('failed');
    });

    it('records the opt-out in the customer consent on 21610', async () => {
      // Prepare
      const { message, customerId } = await routed('sms');
      twilioCapture.respondWith(twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

      // Act
      await handler(eventOf(channelRecord(message)));

      // Assess
      const stored = await world.router.store.get(customerId);
      expect(stored?.customer.consent.transactional?.sms).toMatchObject({
        status: 'opted_out',
        source: 'provider-opt-out',
      });
      expect(stored?.customer.consent.marketing?.sms).toMatchObject({ status: 'opted_out' });
      expect(await attemptOf(message)).toMatchObject({ status: 'failed', error: { code: '21610' } });
      expect((await world.fallbackRequests()).map((f) => f.request.triedChannels)).toEqual([['sms']]);
    });

    it('finishes a recorded failure on redelivery when the fallback was never enqueued', async () => {
      // Prepare: the invocation that recorded the failure died before enqueueing the fallback.
      const { message } = await routed('sms');
      await world.router.attempts.leaseAttempt(
        { customerId: message.customerId, messageId: message.messageId, channel: 'sms', attempt: 1 },
        { owner: 'died', leaseSeconds: 30, now: new Date(), queuedAt: message.queuedAt },
      );
      await world.router.attempts.recordFailed(
        { customerId: message.customerId, messageId: message.messageId, channel: 'sms', attempt: 1 },
        { code: '21211', message: 'invalid', permanent: true },
        new Date(),
        { fallbackOwed: true, optedOut: false, removedDevices: [] },
      );
      const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

      // Act
      const response = await handler(eventOf(channelRecord(message, 2)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(twilioCapture.requests).toHaveLength(0);
      expect((await world.fallbackRequests()).map((f) => f.request.reason)).toEqual(['sms: failed (21211)']);
    });
  });

  describe('push devices', () => {
    const unregistered = {
      error: {
        code: 404,
        status: 'NOT_FOUND',
        message: 'Requested entity was not found.',
        details: [
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' },
        ],
      },
    };

    it('removes an unregistered FCM token from the profile and keeps the devices that accepted', async () => {
      // Prepare
      fcm.answer('fcm-dead-1', 404, unregistered);
      const live: PushDevice = { kind: 'fcm', token: 'fcm-live-1' };
      const { message, customerId } = await routed(
        'push',
        {},
        { addresses: { push: [live, { kind: 'fcm', token: 'fcm-dead-1' }] } },
      );
      const handler = world.handlerFor('push', pushSender());

      // Act
      const response = await handler(eventOf(channelRecord(message)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(await attemptOf(message)).toMatchObject({
        status: 'sent',
        details: { delivered: 1, removedDevices: ['fcm-dead-1'] },
      });
      expect((await world.router.store.get(customerId))?.customer.addresses.push).toEqual([live]);
    });

    it('removes every device, records failed and falls back when all are unregistered', async () => {
      // Prepare
      fcm.answer('fcm-dead-2', 404, unregistered);
      const gone = webPushReceiver.subscription('/push/gone-2', 410);
      const { message, customerId } = await routed(
        'push',
        { routing: { channels: ['push', 'email'] } },
        {
          addresses: {
            email: 'ada-push@example.com',
            push: [
              { kind: 'fcm', token: 'fcm-dead-2' },
              { kind: 'webpush', subscription: gone },
            ],
          },
        },
      );
      const handler = world.handlerFor('push', pushSender());

      // Act
      const response = await handler(eventOf(channelRecord(message)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(await attemptOf(message)).toMatchObject({
        status: 'failed',
        error: { code: 'all_devices_unregistered' },
      });
      expect((await world.router.store.get(customerId))?.customer.addresses.push).toBeUndefined();
      expect((await world.fallbackRequests()).map((f) => f.request.triedChannels)).toEqual([['push']]);
    });
  });

  it('reports a record that is not a channel message as a batch item failure', async () => {
    // Prepare
    const handler = world.handlerFor('sms', smsSender(twilioCapture.url));

    // Act
    const response = await handler(eventOf(channelRecord('{"not":"a channel message"}', 1, 'junk')));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'junk' }]);
    expect(twilioCapture.requests).toHaveLength(0);
  });
});
