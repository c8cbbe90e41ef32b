import { classifyFcmAnswer } from '../../functions/adapters/push/fcm-sender';
import { classifyWebPushError } from '../../functions/adapters/push/web-push-sender';
import {
  ChannelUnusableError,
  DevicesUnregisteredError,
  RetryLaterError,
} from '../../functions/domain/errors';
import { type DeviceOutcome, summarisePushOutcomes } from '../../functions/domain/push-delivery';

const fcmError = (code: number, status: string, message = '', details: unknown[] = []) => ({
  error: { code, status, message, details },
});
const fcmDetail = (errorCode: string) => ({
  '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
  errorCode,
});

describe('Function: classifyFcmAnswer', () => {
  it.each([
    [
      '200 with a name',
      200,
      { name: 'projects/p/messages/1' },
      { result: 'delivered', providerMessageId: 'projects/p/messages/1' },
    ],
    [
      '404 UNREGISTERED',
      404,
      fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', [fcmDetail('UNREGISTERED')]),
      { result: 'gone', code: 'UNREGISTERED' },
    ],
    [
      '400 about the registration token',
      400,
      fcmError(400, 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token', [
        fcmDetail('INVALID_ARGUMENT'),
      ]),
      { result: 'gone', code: 'INVALID_ARGUMENT' },
    ],
    [
      '400 with a violation on message.token',
      400,
      fcmError(400, 'INVALID_ARGUMENT', 'Invalid value', [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [{ field: 'message.token' }],
        },
      ]),
      { result: 'gone', code: 'INVALID_ARGUMENT' },
    ],
    [
      '400 about our message data',
      400,
      fcmError(400, 'INVALID_ARGUMENT', "Invalid value at 'message.data[0].value'", [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [{ field: 'message.data[0].value' }],
        },
      ]),
      { result: 'failed', code: 'INVALID_ARGUMENT' },
    ],
    [
      '403 SENDER_ID_MISMATCH',
      403,
      fcmError(403, 'PERMISSION_DENIED', 'SenderId mismatch', [fcmDetail('SENDER_ID_MISMATCH')]),
      { result: 'gone', code: 'SENDER_ID_MISMATCH' },
    ],
    [
      '429 QUOTA_EXCEEDED',
      429,
      fcmError(429, 'RESOURCE_EXHAUSTED', 'quota', [fcmDetail('QUOTA_EXCEEDED')]),
      { result: 'retry', code: 'QUOTA_EXCEEDED', retryAfterSeconds: 30 },
    ],
    [
      '503 UNAVAILABLE',
      503,
      fcmError(503, 'UNAVAILABLE', 'later', [fcmDetail('UNAVAILABLE')]),
      { result: 'retry', code: 'UNAVAILABLE', retryAfterSeconds: 30 },
    ],
    ['500 INTERNAL without a body', 500, null, { result: 'retry', code: 'http_500', retryAfterSeconds: 30 }],
    [
      '401 THIRD_PARTY_AUTH_ERROR',
      401,
      fcmError(401, 'UNAUTHENTICATED', 'APNs', [fcmDetail('THIRD_PARTY_AUTH_ERROR')]),
      { result: 'retry', code: 'THIRD_PARTY_AUTH_ERROR', retryAfterSeconds: 30 },
    ],
  ])('classifies %s', (_name, status, body, expected) => {
    // Act
    const result = classifyFcmAnswer(status, body, new Headers({ 'retry-after': '30' }));

    // Assess
    expect(result).toEqual(expected);
  });
});

describe('Function: classifyWebPushError', () => {
  const webPushError = (statusCode: number, headers: Record<string, string> = {}) =>
    Object.assign(new Error('Received unexpected response code'), { statusCode, headers, body: '' });

  it.each([
    ['404 (subscription gone)', webPushError(404), { result: 'gone', code: 'http_404' }],
    ['410 (unsubscribed)', webPushError(410), { result: 'gone', code: 'http_410' }],
    [
      '429 with Retry-After',
      webPushError(429, { 'retry-after': '60' }),
      { result: 'retry', code: 'http_429', retryAfterSeconds: 60 },
    ],
    ['502', webPushError(502), { result: 'retry', code: 'http_502', retryAfterSeconds: undefined }],
    ['413 payload too large', webPushError(413), { result: 'failed', code: 'http_413' }],
    ['403 VAPID refused', webPushError(403), { result: 'failed', code: 'http_403' }],
    ['a socket timeout', new Error('Socket timeout'), { result: 'retry', code: 'ETIMEDOUT' }],
    [
      'a connection reset',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      { result: 'retry', code: 'ECONNRESET' },
    ],
  ])('classifies %s', (_name, error, expected) => {
    expect(classifyWebPushError(error)).toEqual(expected);
  });
});

describe('Function: summarisePushOutcomes', () => {
  const delivered = (device: string): DeviceOutcome => ({
    device,
    provider: 'fcm',
    result: 'delivered',
    providerMessageId: `id-${device}`,
  });
  const gone = (device: string): DeviceOutcome => ({
    device,
    provider: 'webpush',
    result: 'gone',
    code: 'http_410',
  });
  const retry = (device: string, wait?: number): DeviceOutcome => ({
    device,
    provider: 'fcm',
    result: 'retry',
    code: 'UNAVAILABLE',
    retryAfterSeconds: wait,
  });
  const failed = (device: string): DeviceOutcome => ({
    device,
    provider: 'fcm',
    result: 'failed',
    code: 'INVALID_ARGUMENT',
  });

  it('is sent when one device accepted, listing the gone ones and not retrying the rest', () => {
    // Act
    const receipt = summarisePushOutcomes([gone('a'), retry('b'), delivered('c'), failed('d')]);

    // Assess
    expect(receipt).toEqual({
      provider: 'fcm',
      providerMessageId: 'id-c',
      details: {
        devices: 4,
        delivered: 1,
        providerMessageIds: ['id-c'],
        removedDevices: ['a'],
        failedDevices: 2,
      },
    });
  });

  it('retries later with the longest wait when no device accepted and one may later', () => {
    // Act
    const summarise = () => summarisePushOutcomes([gone('a'), retry('b', 5), retry('c', 20)]);

    // Assess
    expect(summarise).toThrow(RetryLaterError);
    expect(summarise).toThrow(expect.objectContaining({ retryAfterSeconds: 20 }));
  });

  it.each([
    ['every device is gone', [gone('a'), gone('b')], DevicesUnregisteredError, 'all_devices_unregistered'],
    [
      'some are gone, the rest refused',
      [gone('a'), failed('b')],
      DevicesUnregisteredError,
      'no_device_accepted',
    ],
    ['every device refused', [failed('a'), failed('b')], ChannelUnusableError, 'INVALID_ARGUMENT'],
  ])('gives up on the channel when %s', (_name, outcomes, type, code) => {
    // Act
    const summarise = () => summarisePushOutcomes(outcomes);

    // Assess
    expect(summarise).toThrow(type);
    expect(summarise).toThrow(expect.objectContaining({ code }));
  });
});
