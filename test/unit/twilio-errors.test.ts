import { classifyTwilioError, redactPhoneNumbers } from '../../functions/adapters/twilio/errors';
import { ChannelUnusableError, RetryLaterError } from '../../functions/domain/errors';

/** A RestException as the twilio package builds it. */
const apiError = (status: number, code?: number, message = 'Twilio said no') =>
  Object.assign(new Error(message), { status, code, moreInfo: `https://www.twilio.com/docs/errors/${code}` });

/** A transport failure as Node's fetch raises it. */
const fetchFailure = (code: string) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

describe('Function: classifyTwilioError', () => {
  it.each([
    ['21211 invalid To number', apiError(400, 21211), ChannelUnusableError, '21211', false],
    ['21408 region not enabled', apiError(400, 21408), ChannelUnusableError, '21408', false],
    ['21610 unsubscribed recipient', apiError(400, 21610), ChannelUnusableError, '21610', true],
    ['21612 unreachable To number', apiError(400, 21612), ChannelUnusableError, '21612', false],
    ['21614 landline', apiError(400, 21614), ChannelUnusableError, '21614', false],
    ['63003 not a WhatsApp user', apiError(400, 63003), ChannelUnusableError, '63003', false],
    ['63016 outside the window', apiError(400, 63016), ChannelUnusableError, '63016', false],
    ['63024 invalid recipient', apiError(400, 63024), ChannelUnusableError, '63024', false],
    ['an unknown 400 code', apiError(400, 21999), ChannelUnusableError, '21999', false],
    ['a 4xx without a code', apiError(422), ChannelUnusableError, 'http_422', false],
    ['20429 throttled', apiError(429, 20429), RetryLaterError, '20429', undefined],
    ['429 without a code', apiError(429), RetryLaterError, 'http_429', undefined],
    ['63018 channel rate limit', apiError(400, 63018), RetryLaterError, '63018', undefined],
    ['500', apiError(500, 20500), RetryLaterError, '20500', undefined],
    ['503', apiError(503), RetryLaterError, 'http_503', undefined],
    ['401 bad credentials', apiError(401, 20003), RetryLaterError, '20003', undefined],
    ['a connection reset', fetchFailure('ECONNRESET'), RetryLaterError, 'ECONNRESET', undefined],
    [
      'a connect timeout',
      fetchFailure('UND_ERR_CONNECT_TIMEOUT'),
      RetryLaterError,
      'UND_ERR_CONNECT_TIMEOUT',
      undefined,
    ],
    [
      'a request timeout',
      new DOMException('timed out', 'TimeoutError'),
      RetryLaterError,
      'TimeoutError',
      undefined,
    ],
    ['an unknown error', new Error('boom'), RetryLaterError, 'unknown', undefined],
  ])('classifies %s', (_name, error, type, code, optedOut) => {
    // Act
    const classified = classifyTwilioError(error);

    // Assess
    expect(classified).toBeInstanceOf(type);
    expect(classified.code).toBe(code);
    if (optedOut !== undefined) expect((classified as ChannelUnusableError).optedOut).toBe(optedOut);
    expect(classified.cause).toBe(error);
  });

  it('keeps phone numbers out of the message', () => {
    // Act
    const classified = classifyTwilioError(
      apiError(400, 21211, "The 'To' number +33 6 12 34 56 78 is not valid"),
    );

    // Assess
    expect(classified.message).not.toMatch(/12 34/);
    expect(classified.message).toContain('[redacted]');
  });
});

describe('Function: redactPhoneNumbers', () => {
  it.each([
    ['+14155552671', '[redacted]'],
    ['call (415) 555-2671 now', 'call ([redacted] now'],
    ['code 21211', 'code 21211'],
  ])('redacts %s', (text, expected) => {
    expect(redactPhoneNumbers(text)).toBe(expected);
  });
});
