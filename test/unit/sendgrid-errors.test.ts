import {
  classifySendGridError,
  listUnsubscribeHeaders,
} from '../../functions/adapters/sendgrid/email-sender';
import { ChannelUnusableError, RetryLaterError } from '../../functions/domain/errors';

/** A ResponseError as @sendgrid/helpers builds it. */
const responseError = (status: number, errors: { field?: string; message?: string }[] = [], headers = {}) =>
  Object.assign(new Error('Bad Request'), { code: status, response: { headers, body: { errors } } });

const NOW = Date.parse('2026-11-23T14:00:00Z');

describe('Function: classifySendGridError', () => {
  it.each([
    [
      '400 on the to address',
      responseError(400, [
        { field: 'personalizations.0.to.0.email', message: 'Does not contain a valid address.' },
      ]),
      ChannelUnusableError,
      'invalid_address',
      undefined,
    ],
    [
      '400 saying the email address is invalid',
      responseError(400, [{ field: 'from', message: 'The from email does not contain a valid address.' }]),
      ChannelUnusableError,
      'invalid_address',
      undefined,
    ],
    [
      '400 about something else',
      responseError(400, [{ field: 'subject', message: 'The subject is required.' }]),
      ChannelUnusableError,
      'http_400',
      undefined,
    ],
    ['413 too large', responseError(413), ChannelUnusableError, 'payload_too_large', undefined],
    [
      '429 with Retry-After',
      responseError(429, [], { 'retry-after': '12' }),
      RetryLaterError,
      'http_429',
      12,
    ],
    [
      '429 with X-RateLimit-Reset',
      responseError(429, [], { 'x-ratelimit-reset': String(NOW / 1000 + 30) }),
      RetryLaterError,
      'http_429',
      30,
    ],
    ['401 bad key', responseError(401), RetryLaterError, 'http_401', undefined],
    ['403 temporary block', responseError(403), RetryLaterError, 'http_403', undefined],
    ['500', responseError(500), RetryLaterError, 'http_500', undefined],
    [
      'a socket timeout',
      Object.assign(new Error('timeout'), { code: 'ECONNABORTED' }),
      RetryLaterError,
      'ECONNABORTED',
      undefined,
    ],
    ['an unknown error', new Error('boom'), RetryLaterError, 'unknown', undefined],
  ])('classifies %s', (_name, error, type, code, retryAfter) => {
    // Act
    const classified = classifySendGridError(error, NOW);

    // Assess
    expect(classified).toBeInstanceOf(type);
    expect(classified.code).toBe(code);
    if (classified instanceof RetryLaterError) expect(classified.retryAfterSeconds).toBe(retryAfter);
  });
});

describe('Function: listUnsubscribeHeaders', () => {
  const message = { category: 'marketing', customerId: 'c/1', messageId: 'm1' };

  it.each([
    [
      'transactional mail',
      { unsubscribeUrl: 'https://u.example/{customerId}' },
      { ...message, category: 'transactional' },
      undefined,
    ],
    ['no target configured', {}, message, undefined],
    [
      'a one-click URL',
      { unsubscribeUrl: 'https://u.example/x?c={customerId}&m={messageId}' },
      message,
      {
        'List-Unsubscribe': '<https://u.example/x?c=c%2F1&m=m1>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    ],
    [
      'a mailto only (no one-click)',
      { unsubscribeMailto: 'u@example.com' },
      message,
      { 'List-Unsubscribe': '<mailto:u@example.com?subject=unsubscribe%20marketing%20c%2F1>' },
    ],
  ])('builds headers for %s', (_name, settings, input, expected) => {
    expect(listUnsubscribeHeaders(settings, input)).toEqual(expected);
  });
});
