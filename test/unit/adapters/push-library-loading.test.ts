/**
 * The push function loads each provider's library on its first send, not when it starts
 * (functions/adapters/push/fcm-sender.ts, push/web-push-sender.ts): a cold start pays only for the
 * providers its messages use.
 */
import type * as FcmPushSender from '../../../functions/adapters/push/fcm-sender';
import type * as WebPushSender from '../../../functions/adapters/push/web-push-sender';
import type { ChannelMessage } from '../../../functions/contract';

const JWT_MODULE = 'google-auth-library/build/src/auth/jwtclient.js';

const message = {
  messageId: 'm-1',
  category: 'transactional',
  content: { title: 'Hi', text: 'Hello' },
} as ChannelMessage;

describe('Push provider libraries', () => {
  afterEach(() => {
    jest.resetModules();
    jest.dontMock('web-push');
    jest.dontMock(JWT_MODULE);
  });

  it('loads web-push on the first Web Push send, once', async () => {
    // Prepare: count loads of web-push, whose push service answers 410 Gone
    let loads = 0;
    const sendNotification = jest
      .fn()
      .mockRejectedValue(Object.assign(new Error('Gone'), { statusCode: 410 }));
    jest.doMock('web-push', () => {
      loads += 1;
      return { sendNotification };
    });
    const {
      createWebPushDeviceSender,
    }: typeof WebPushSender = require('../../../functions/adapters/push/web-push-sender');
    const sender = createWebPushDeviceSender({
      credentials: async () => ({ publicKey: 'public', privateKey: 'private' }),
      settings: { subject: 'mailto:ops@example.com' },
    });
    const device = {
      kind: 'webpush' as const,
      subscription: { endpoint: 'https://push.example/1', keys: { p256dh: 'p', auth: 'a' } },
    };
    const loadsAtStart = loads;

    // Act
    const first = await sender.sendToDevice(device, message);
    const second = await sender.sendToDevice(device, message);

    // Assess
    expect(loadsAtStart).toBe(0);
    expect(loads).toBe(1);
    expect(sendNotification).toHaveBeenCalledTimes(2);
    expect([first.result, second.result]).toEqual(['gone', 'gone']);
  });

  it('loads google-auth-library on the first FCM send, once', async () => {
    // Prepare: count loads of the JWT client, whose token request fails
    let loads = 0;
    jest.doMock(JWT_MODULE, () => {
      loads += 1;
      return {
        JWT: class {
          async getAccessToken(): Promise<never> {
            throw Object.assign(new Error('token endpoint down'), { code: 'ECONNREFUSED' });
          }
        },
      };
    });
    const {
      createFcmDeviceSender,
    }: typeof FcmPushSender = require('../../../functions/adapters/push/fcm-sender');
    const sender = createFcmDeviceSender({
      credentials: async () => ({
        project_id: 'p',
        client_email: 'sa@p.iam.gserviceaccount.com',
        private_key: 'key',
      }),
      settings: {},
    });
    const device = { kind: 'fcm' as const, token: 'device-token' };
    const loadsAtStart = loads;

    // Act
    const first = await sender.sendToDevice(device, message);
    const second = await sender.sendToDevice(device, message);

    // Assess
    expect(loadsAtStart).toBe(0);
    expect(loads).toBe(1);
    expect([first, second]).toEqual([
      expect.objectContaining({ result: 'retry', code: 'ECONNREFUSED' }),
      expect.objectContaining({ result: 'retry', code: 'ECONNREFUSED' }),
    ]);
  });
});
