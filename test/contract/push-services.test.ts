/**
 * Push: the FCM and Web Push senders against local push services that check what real ones check
 * (OAuth assertion and bearer token, message JSON; VAPID JWT and aes128gcm encryption).
 */
import webPush from 'web-push';
import { createFcmDeviceSender } from '../../functions/adapters/push/fcm-sender';
import { createPushSender } from '../../functions/adapters/push/push-sender';
import { createWebPushDeviceSender } from '../../functions/adapters/push/web-push-sender';
import { DevicesUnregisteredError, RetryLaterError } from '../../functions/domain/errors';
import { pushMessage } from '../helpers/channel-messages';
import {
  type FcmServer,
  startFcmServer,
  startWebPushReceiver,
  type WebPushReceiver,
} from '../helpers/push-services';

const SUBJECT = 'mailto:ops@example.com';
const vapidKeys = webPush.generateVAPIDKeys();

describe('Function: createPushSender', () => {
  let fcm: FcmServer;
  let receiver: WebPushReceiver;
  let sender: ReturnType<typeof createPushSender>;

  beforeAll(async () => {
    fcm = await startFcmServer();
    receiver = await startWebPushReceiver({ publicKey: vapidKeys.publicKey, subject: SUBJECT });
    sender = createPushSender({
      fcm: createFcmDeviceSender({
        credentials: async () => fcm.serviceAccount,
        settings: { apiBaseUrl: fcm.apiBaseUrl, tokenUrl: fcm.tokenUrl },
      }),
      webPush: createWebPushDeviceSender({
        credentials: async () => vapidKeys,
        settings: { subject: SUBJECT, agent: receiver.agent },
      }),
    });
  });

  afterAll(async () => {
    await fcm?.stop();
    await receiver?.stop();
  });

  it('sends to an FCM token with a verified OAuth bearer and a valid v1 message', async () => {
    // Prepare
    const before = fcm.received.length;

    // Act
    const receipt = await sender.send(
      pushMessage([{ kind: 'fcm', token: 'device-token-1' }], { messageId: 'm-fcm' }),
    );

    // Assess
    expect(fcm.refused).toEqual([]);
    expect(receipt).toMatchObject({ provider: 'fcm', details: { delivered: 1, removedDevices: [] } });
    expect(receipt.providerMessageId).toMatch(/^projects\/switchboard-test\/messages\/\d+$/);
    expect(fcm.received[before]?.message).toEqual({
      token: 'device-token-1',
      notification: { title: 'Order shipped', body: 'It arrives Tuesday' },
      data: { messageId: 'm-fcm', customerId: 'cust-0001', url: 'https://example.com/o/1' },
      webpush: { fcm_options: { link: 'https://example.com/o/1' } },
      android: { priority: 'high' },
    });
  });

  it('reuses the access token across messages', async () => {
    // Prepare
    const issued = fcm.tokensIssued();

    // Act
    await sender.send(pushMessage([{ kind: 'fcm', token: 'device-token-2' }]));

    // Assess
    expect(fcm.tokensIssued()).toBe(issued);
  });

  it('sends an encrypted Web Push notification with a valid VAPID JWT', async () => {
    // Prepare
    const subscription = receiver.subscription('/push/browser-1');

    // Act
    const receipt = await sender.send(
      pushMessage([{ kind: 'webpush', subscription }], {
        messageId: 'm-web',
        category: 'marketing',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );

    // Assess
    expect(receiver.refused).toEqual([]);
    expect(receipt.provider).toBe('webpush');
    expect(receipt.providerMessageId).toMatch(new RegExp(`^${receiver.origin}/messages/\\d+$`));
    const [push] = receiver.received.filter((item) => item.path === '/push/browser-1');
    expect(JSON.parse(push?.payload ?? '{}')).toEqual({
      title: 'Order shipped',
      body: 'It arrives Tuesday',
      url: 'https://example.com/o/1',
      messageId: 'm-web',
    });
    expect(push?.urgency).toBe('normal');
    expect(Number(push?.ttl)).toBeGreaterThan(3500);
    expect(Number(push?.ttl)).toBeLessThanOrEqual(3600);
  });

  it('delivers to the live devices and reports the unregistered ones for removal', async () => {
    // Prepare
    fcm.answer('dead-token', 404, {
      error: {
        code: 404,
        status: 'NOT_FOUND',
        message: 'Requested entity was not found.',
        details: [
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' },
        ],
      },
    });
    fcm.answer('malformed-token', 400, {
      error: {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message: 'The registration token is not a valid FCM registration token',
        details: [
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'INVALID_ARGUMENT' },
        ],
      },
    });
    const gone = receiver.subscription('/push/gone', 410);
    const live = receiver.subscription('/push/live');

    // Act
    const receipt = await sender.send(
      pushMessage([
        { kind: 'fcm', token: 'dead-token' },
        { kind: 'fcm', token: 'malformed-token' },
        { kind: 'webpush', subscription: gone },
        { kind: 'webpush', subscription: live },
      ]),
    );

    // Assess
    expect(receipt.details).toMatchObject({
      devices: 4,
      delivered: 1,
      removedDevices: ['dead-token', 'malformed-token', gone.endpoint],
    });
  });

  it('gives up on the channel when every device is gone, naming them', async () => {
    // Prepare
    const gone = receiver.subscription('/push/gone-too', 404);

    // Act
    const sending = sender.send(
      pushMessage([
        { kind: 'fcm', token: 'dead-token' },
        { kind: 'webpush', subscription: gone },
      ]),
    );

    // Assess
    await expect(sending).rejects.toBeInstanceOf(DevicesUnregisteredError);
    await expect(sending).rejects.toMatchObject({
      code: 'all_devices_unregistered',
      removedDevices: ['dead-token', gone.endpoint],
    });
  });

  it('retries later when the only device is temporarily unavailable', async () => {
    // Prepare
    fcm.answer('busy-token', 503, { error: { code: 503, status: 'UNAVAILABLE', message: 'try later' } });

    // Act
    const sending = sender.send(pushMessage([{ kind: 'fcm', token: 'busy-token' }]));

    // Assess
    await expect(sending).rejects.toBeInstanceOf(RetryLaterError);
    await expect(sending).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('is refused by the receiver when signed with other VAPID keys', async () => {
    // Prepare: a sender whose keys the subscription was not made for.
    const stranger = createPushSender({
      webPush: createWebPushDeviceSender({
        credentials: async () => webPush.generateVAPIDKeys(),
        settings: { subject: SUBJECT, agent: receiver.agent },
      }),
    });
    const subscription = receiver.subscription('/push/strict');

    // Act
    const sending = stranger.send(pushMessage([{ kind: 'webpush', subscription }]));

    // Assess
    await expect(sending).rejects.toMatchObject({ code: 'http_403' });
    expect(receiver.refused).toContain('unexpected VAPID public key');
  });

  it('is refused by the FCM endpoint when the service-account key is not the registered one', async () => {
    // Prepare
    const other = await startFcmServer();
    const impostor = createPushSender({
      fcm: createFcmDeviceSender({
        credentials: async () => ({ ...fcm.serviceAccount, private_key: other.serviceAccount.private_key }),
        settings: { apiBaseUrl: fcm.apiBaseUrl, tokenUrl: fcm.tokenUrl },
      }),
    });
    await other.stop();

    // Act
    const sending = impostor.send(pushMessage([{ kind: 'fcm', token: 'device-token-3' }]));

    // Assess
    await expect(sending).rejects.toBeInstanceOf(RetryLaterError);
    expect(fcm.refused).toContain('refused: bad signature');
  });
});
