/**
 * Factories for provider webhook requests as API Gateway HTTP API v2 events, signed with the real
 * algorithms: Twilio's own `getExpectedTwilioSignature` (HMAC-SHA1) and ECDSA P-256 keys from
 * node:crypto for SendGrid, exactly as the providers sign them.
 */
import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { statusCallbackFor } from '../../functions/adapters/twilio/messages';

/** The Host header the fixtures pretend API Gateway was called on. */
export const TEST_HOST = 'abc123.execute-api.eu-west-1.amazonaws.com';
/** The host of a Lambda function URL, as the webhooks are served in AWS. */
export const TEST_FUNCTION_URL_HOST = 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws';
/** A Twilio auth token for tests. */
export const TEST_TWILIO_AUTH_TOKEN = '12345678901234567890123456789012';
/** An Inbound Parse secret for tests. */
export const TEST_INBOUND_SECRET = 'inbound-parse-secret-0123456789';

/** What a request looks like before it becomes an event. */
export interface RequestParts {
  readonly method?: string;
  readonly rawPath: string;
  readonly rawQueryString?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Send the body base64-encoded, as API Gateway does for binary media types. */
  readonly base64?: boolean;
}

/** An API Gateway HTTP API (payload format 2.0) event. */
export function apiGatewayEvent(parts: RequestParts): APIGatewayProxyEventV2 {
  const body = parts.body === undefined ? undefined : Buffer.from(parts.body);
  const base64 = parts.base64 ?? false;
  return {
    version: '2.0',
    routeKey: `${parts.method ?? 'POST'} ${parts.rawPath}`,
    rawPath: parts.rawPath,
    rawQueryString: parts.rawQueryString ?? '',
    headers: { host: TEST_HOST, ...(parts.headers ?? {}) },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: TEST_HOST,
      domainPrefix: 'abc123',
      http: {
        method: parts.method ?? 'POST',
        path: parts.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: 'test',
      },
      requestId: 'req-1',
      routeKey: `${parts.method ?? 'POST'} ${parts.rawPath}`,
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: base64,
    ...(body === undefined ? {} : { body: base64 ? body.toString('base64') : body.toString('utf8') }),
  };
}

/**
 * A Lambda function URL event: payload format 2.0 like the HTTP API's, but with route key
 * `$default`, the function URL's host (and the URL id as `apiId`), and the proxy headers Lambda adds.
 */
export function functionUrlEvent(parts: RequestParts): APIGatewayProxyEventV2 {
  const event = apiGatewayEvent(parts);
  const urlId = TEST_FUNCTION_URL_HOST.split('.')[0]!;
  return {
    ...event,
    routeKey: '$default',
    headers: {
      ...event.headers,
      host: TEST_FUNCTION_URL_HOST,
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
      'x-amzn-trace-id': 'Root=1-00000000-000000000000000000000000',
      ...(parts.headers ?? {}),
    },
    requestContext: {
      ...event.requestContext,
      apiId: urlId,
      domainName: TEST_FUNCTION_URL_HOST,
      domainPrefix: urlId,
      routeKey: '$default',
    },
  };
}

/** A form body as Twilio encodes it. */
export function formBody(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** A Twilio-signed form POST to `rawPath` (with optional query), as API Gateway delivers it. */
export function twilioRequest(
  rawPath: string,
  params: Record<string, string>,
  options: {
    rawQueryString?: string;
    authToken?: string;
    headers?: Record<string, string>;
    base64?: boolean;
    /** Deliver it as a Lambda function URL event (signed over the function URL's host). */
    functionUrl?: boolean;
  } = {},
): APIGatewayProxyEventV2 {
  const query = options.rawQueryString ? `?${options.rawQueryString}` : '';
  const host = options.functionUrl ? TEST_FUNCTION_URL_HOST : TEST_HOST;
  const url = `https://${host}${rawPath}${query}`;
  const signature = getExpectedTwilioSignature(options.authToken ?? TEST_TWILIO_AUTH_TOKEN, url, params);
  return (options.functionUrl ? functionUrlEvent : apiGatewayEvent)({
    rawPath,
    ...(options.rawQueryString ? { rawQueryString: options.rawQueryString } : {}),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': `token-${signature.slice(0, 12)}`,
      ...(options.headers ?? {}),
    },
    body: formBody(params),
    ...(options.base64 ? { base64: true } : {}),
  });
}

/** The attempt key the unit-test attempt (`anAttempt()`) has. */
export const TEST_ATTEMPT_KEY = { customerId: 'c-1', messageId: 'msg-1', attempt: 1 } as const;

/**
 * A Twilio-signed status callback for one attempt: the attempt's key in the URL's query, exactly as
 * the senders' `statusCallbackFor` puts it (Twilio signs the URL with its query).
 */
export function twilioStatusRequest(
  params: Record<string, string>,
  key: { customerId: string; messageId: string; attempt: number } = TEST_ATTEMPT_KEY,
  options: Omit<Parameters<typeof twilioRequest>[2], 'rawQueryString'> = {},
): APIGatewayProxyEventV2 {
  const url = statusCallbackFor('https://hooks.invalid/webhooks/twilio/status', key)!;
  return twilioRequest('/webhooks/twilio/status', params, {
    ...options,
    rawQueryString: new URL(url).search.slice(1),
  });
}

/** An ECDSA P-256 key pair as SendGrid uses; `publicKey` is base64 DER, as the console shows it. */
export function sendGridKeyPair(): { privateKey: KeyObject; publicKey: string } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** SendGrid's signature: ECDSA-SHA256 over `timestamp + body`, base64 DER. */
export function signSendGrid(privateKey: KeyObject, timestamp: string, body: string | Buffer): string {
  return sign('sha256', Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), privateKey).toString(
    'base64',
  );
}

/** A signed Event Webhook POST. */
export function sendGridEventsRequest(
  privateKey: KeyObject,
  events: unknown,
  options: { timestamp?: number; now?: Date } = {},
): APIGatewayProxyEventV2 {
  const body = typeof events === 'string' ? events : JSON.stringify(events);
  const timestamp = String(options.timestamp ?? Math.floor((options.now ?? new Date()).getTime() / 1000));
  return apiGatewayEvent({
    rawPath: '/webhooks/sendgrid/events',
    headers: {
      'content-type': 'application/json',
      'x-twilio-email-event-webhook-signature': signSendGrid(privateKey, timestamp, body),
      'x-twilio-email-event-webhook-timestamp': timestamp,
    },
    body,
  });
}

/** A multipart/form-data body with the given text fields, as Inbound Parse posts. */
export function multipartBody(
  fields: Record<string, string>,
  boundary = 'xYzZY',
): { body: Buffer; contentType: string } {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** An Inbound Parse POST carrying the secret in the query string. */
export function inboundParseRequest(
  fields: Record<string, string>,
  options: { secret?: string | null; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const { body, contentType } = multipartBody(fields);
  const secret = options.secret === undefined ? TEST_INBOUND_SECRET : options.secret;
  return apiGatewayEvent({
    rawPath: '/webhooks/sendgrid/inbound',
    ...(secret === null ? {} : { rawQueryString: `key=${encodeURIComponent(secret)}` }),
    headers: { 'content-type': contentType, ...(options.headers ?? {}) },
    body,
    base64: true,
  });
}

/**
 * The Inbound Parse fields of a reply from `address`, with the receiving server's verdicts in
 * SendGrid's formats (`SPF: pass`, `dkim: {@example.com : pass}`); by default the sender's own
 * domain signed it and its envelope passed SPF, as for a real reply from a mailbox provider.
 */
export function inboundEmailFields(
  address: string,
  text: string,
  auth: { spf?: string; dkim?: string; envelopeFrom?: string } = {},
): Record<string, string> {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return {
    from: `Customer <${address}>`,
    to: 'replies@switchboard.test',
    subject: 'Re: news',
    text,
    envelope: JSON.stringify({ to: ['replies@switchboard.test'], from: auth.envelopeFrom ?? address }),
    SPF: auth.spf ?? 'pass',
    dkim: auth.dkim ?? `{@${domain} : pass}`,
    headers: `Message-ID: <${randomUUID()}@${domain}>\r\nFrom: ${address}\r\n`,
  };
}

/** Fixtures from Twilio's documentation of status callbacks and inbound webhooks. */
export const twilioFixtures = {
  smsStatus: (status: string, extra: Record<string, string> = {}): Record<string, string> => ({
    AccountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ApiVersion: '2010-04-01',
    From: '+15017250604',
    MessageSid: 'SM1342fe1b2c904d1ab04f0fc7a58abca9',
    MessageStatus: status,
    SmsSid: 'SM1342fe1b2c904d1ab04f0fc7a58abca9',
    SmsStatus: status,
    To: '+15558675310',
    ...extra,
  }),
  whatsappStatus: (status: string, extra: Record<string, string> = {}): Record<string, string> => ({
    AccountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ApiVersion: '2010-04-01',
    ChannelInstallSid: 'XEXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ChannelPrefix: 'whatsapp',
    ChannelToAddress: '+1555867XXXX',
    EventType: status.toUpperCase(),
    From: 'whatsapp:+14155238886',
    MessageSid: 'SM5f7b1c2e8a1d4e0012c3b4a5d6e7f809',
    MessageStatus: status,
    SmsSid: 'SM5f7b1c2e8a1d4e0012c3b4a5d6e7f809',
    SmsStatus: status,
    To: 'whatsapp:+15558675310',
    ...extra,
  }),
  inboundSms: (body: string, extra: Record<string, string> = {}): Record<string, string> => ({
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: 'SM9a1b2c3d4e5f60718293a4b5c6d7e8f9',
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: 'SM9a1b2c3d4e5f60718293a4b5c6d7e8f9',
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: '',
    Body: body,
    FromCountry: 'US',
    To: '+15017250604',
    MessagingServiceSid: 'MGXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ToZip: '',
    NumSegments: '1',
    MessageSid: 'SM9a1b2c3d4e5f60718293a4b5c6d7e8f9',
    AccountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    From: '+15558675310',
    ApiVersion: '2010-04-01',
    ...extra,
  }),
  inboundWhatsApp: (body: string, extra: Record<string, string> = {}): Record<string, string> => ({
    SmsMessageSid: 'SMa1b2c3d4e5f60718293a4b5c6d7e8f90',
    NumMedia: '0',
    ProfileName: 'Ada',
    WaId: '15558675310',
    SmsSid: 'SMa1b2c3d4e5f60718293a4b5c6d7e8f90',
    SmsStatus: 'received',
    Body: body,
    To: 'whatsapp:+14155238886',
    NumSegments: '1',
    MessageSid: 'SMa1b2c3d4e5f60718293a4b5c6d7e8f90',
    AccountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    From: 'whatsapp:+15558675310',
    ApiVersion: '2010-04-01',
    ...extra,
  }),
};

/** Fixtures shaped like SendGrid's Event Webhook reference, with Switchboard's custom_args. */
export function sendGridEvent(event: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email: 'example@test.com',
    timestamp: 1513299569,
    'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
    event,
    category: 'cat facts',
    sg_event_id: `sg-${event}-${Math.random().toString(36).slice(2, 10)}`,
    sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
    messageId: 'msg-1',
    customerId: 'c-1',
    attempt: '1',
    ...extra,
  };
}
