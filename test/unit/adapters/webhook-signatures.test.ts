import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { formParameters, rawBody } from '../../../functions/adapters/http/api-gateway-request';
import { verifyInboundParseSecret } from '../../../functions/adapters/sendgrid/inbound-secret';
import { createSendGridSignatureVerifier } from '../../../functions/adapters/sendgrid/signature';
import { twilioPublicUrl, verifyTwilioSignature } from '../../../functions/adapters/twilio/signature';
import { WebhookAuthenticationError } from '../../../functions/domain/webhook-errors';
import {
  apiGatewayEvent,
  inboundParseRequest,
  sendGridEvent,
  sendGridEventsRequest,
  sendGridKeyPair,
  TEST_FUNCTION_URL_HOST,
  TEST_HOST,
  TEST_INBOUND_SECRET,
  TEST_TWILIO_AUTH_TOKEN,
  twilioFixtures,
  twilioRequest,
  twilioStatusRequest,
} from '../../helpers/webhook-requests';

const verifyTwilio = (event: ReturnType<typeof twilioRequest>, publicBaseUrl?: string) =>
  verifyTwilioSignature(event, formParameters(rawBody(event)), {
    authToken: TEST_TWILIO_AUTH_TOKEN,
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
  });

describe('Function: twilioPublicUrl', () => {
  it.each([
    ['', '', undefined, `https://${TEST_HOST}/webhooks/twilio/status`],
    ['', 'a=1&b=%27x%27', undefined, `https://${TEST_HOST}/webhooks/twilio/status?a=1&b=%27x%27`],
    ['/prod', '', undefined, `https://${TEST_HOST}/prod/webhooks/twilio/status`],
    ['', 'k=v', 'https://hooks.example.com/sb/', 'https://hooks.example.com/sb/webhooks/twilio/status?k=v'],
  ])('rebuilds the URL Twilio called (stage %j, query %j, base %j)', (stage, query, base, expected) => {
    // Prepare
    const event = apiGatewayEvent({ rawPath: `${stage}/webhooks/twilio/status`, rawQueryString: query });

    // Act
    const url = twilioPublicUrl(event, base);

    // Assess
    expect(url).toBe(expected);
  });
});

describe('Function: verifyTwilioSignature', () => {
  const params = twilioFixtures.smsStatus('delivered');

  it('accepts a request signed with the auth token over the public URL and form', () => {
    // Prepare
    const event = twilioRequest('/webhooks/twilio/status', params);

    // Act + Assess
    expect(() => verifyTwilio(event)).not.toThrow();
  });

  it('accepts a status callback delivered by a Lambda function URL, signed over its URL and query', () => {
    // Prepare
    const event = twilioStatusRequest(params, undefined, { functionUrl: true });

    // Act
    const url = twilioPublicUrl(event);

    // Assess
    expect(url).toBe(
      `https://${TEST_FUNCTION_URL_HOST}/webhooks/twilio/status?customerId=c-1&messageId=msg-1&attempt=1`,
    );
    expect(event.requestContext.domainName).toBe(TEST_FUNCTION_URL_HOST);
    expect(() => verifyTwilio(event)).not.toThrow();
  });

  it('rejects a function URL callback whose attempt key was changed after signing', () => {
    // Prepare
    const signed = twilioStatusRequest(params, undefined, { functionUrl: true });
    const event = { ...signed, rawQueryString: signed.rawQueryString.replace('attempt=1', 'attempt=2') };

    // Act + Assess
    expect(() => verifyTwilio(event)).toThrow(WebhookAuthenticationError);
  });

  it('accepts a signed request whose query string must not be re-encoded', () => {
    // Prepare
    const event = twilioRequest('/webhooks/twilio/status', params, { rawQueryString: "tenant=o'neil&x=%7E" });

    // Act + Assess
    expect(() => verifyTwilio(event)).not.toThrow();
  });

  it('accepts a base64-encoded body, as API Gateway may deliver it', () => {
    // Prepare
    const event = twilioRequest('/webhooks/twilio/status', params, { base64: true });

    // Act + Assess
    expect(() => verifyTwilio(event)).not.toThrow();
  });

  it('accepts a request behind a configured public base URL', () => {
    // Prepare
    const url = 'https://hooks.example.com/switchboard/webhooks/twilio/status';
    const event = twilioRequest('/webhooks/twilio/status', params, {
      headers: { 'x-twilio-signature': getExpectedTwilioSignature(TEST_TWILIO_AUTH_TOKEN, url, params) },
    });

    // Act + Assess
    expect(() => verifyTwilio(event, 'https://hooks.example.com/switchboard')).not.toThrow();
    expect(() => verifyTwilio(event)).toThrow(WebhookAuthenticationError);
  });

  it.each([
    [
      'signed with another token',
      () => twilioRequest('/webhooks/twilio/status', params, { authToken: 'f'.repeat(32) }),
    ],
    [
      'with a tampered body',
      () => {
        const event = twilioRequest('/webhooks/twilio/status', params);
        return { ...event, body: event.body?.replace('delivered', 'failed') };
      },
    ],
    [
      'with a tampered query string',
      () => ({
        ...twilioRequest('/webhooks/twilio/status', params, { rawQueryString: 'a=1' }),
        rawQueryString: 'a=2',
      }),
    ],
    [
      'sent to another path than the one signed',
      () => ({ ...twilioRequest('/webhooks/twilio/status', params), rawPath: '/webhooks/twilio/inbound' }),
    ],
    [
      'without a signature',
      () => {
        const event = twilioRequest('/webhooks/twilio/status', params);
        const { 'x-twilio-signature': _dropped, ...headers } = event.headers;
        return { ...event, headers };
      },
    ],
    [
      'with a garbage signature',
      () =>
        twilioRequest('/webhooks/twilio/status', params, {
          headers: { 'x-twilio-signature': '%%%not base64' },
        }),
    ],
    [
      'with a nonsensical Host header',
      () => twilioRequest('/webhooks/twilio/status', params, { headers: { host: 'exa mple.com:99999' } }),
    ],
  ])('rejects a request %s', (_name, build) => {
    // Prepare
    const event = build();

    // Act + Assess
    expect(() => verifyTwilio(event)).toThrow(WebhookAuthenticationError);
  });
});

describe('Function: createSendGridSignatureVerifier', () => {
  const keys = sendGridKeyPair();
  const now = new Date('2026-11-23T14:00:00Z');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const verify = createSendGridSignatureVerifier({ publicKey: keys.publicKey, now: () => now });
  const events = [sendGridEvent('delivered')];

  it('accepts events signed with the private key over timestamp and body', () => {
    // Prepare
    const event = sendGridEventsRequest(keys.privateKey, events, { now });

    // Act + Assess
    expect(() => verify(event, rawBody(event))).not.toThrow();
  });

  it('accepts a PEM verification key too', () => {
    // Prepare
    const pem = `-----BEGIN PUBLIC KEY-----\n${keys.publicKey}\n-----END PUBLIC KEY-----\n`;
    const verifyPem = createSendGridSignatureVerifier({ publicKey: pem, now: () => now });
    const event = sendGridEventsRequest(keys.privateKey, events, { now });

    // Act + Assess
    expect(() => verifyPem(event, rawBody(event))).not.toThrow();
  });

  it.each([
    ['signed with another key', () => sendGridEventsRequest(sendGridKeyPair().privateKey, events, { now })],
    [
      'with a tampered body',
      () => {
        const event = sendGridEventsRequest(keys.privateKey, events, { now });
        return { ...event, body: event.body?.replace('delivered', 'bounce') };
      },
    ],
    [
      'with a timestamp changed after signing',
      () => {
        const event = sendGridEventsRequest(keys.privateKey, events, { now });
        return {
          ...event,
          headers: { ...event.headers, 'x-twilio-email-event-webhook-timestamp': String(nowSeconds - 1) },
        };
      },
    ],
    [
      'signed six minutes ago (stale)',
      () => sendGridEventsRequest(keys.privateKey, events, { timestamp: nowSeconds - 360 }),
    ],
    [
      'signed ten minutes in the future',
      () => sendGridEventsRequest(keys.privateKey, events, { timestamp: nowSeconds + 600 }),
    ],
    [
      'without a signature',
      () => {
        const event = sendGridEventsRequest(keys.privateKey, events, { now });
        const { 'x-twilio-email-event-webhook-signature': _dropped, ...headers } = event.headers;
        return { ...event, headers };
      },
    ],
    [
      'without a timestamp',
      () => {
        const event = sendGridEventsRequest(keys.privateKey, events, { now });
        const { 'x-twilio-email-event-webhook-timestamp': _dropped, ...headers } = event.headers;
        return { ...event, headers };
      },
    ],
    [
      'with a malformed signature',
      () => {
        const event = sendGridEventsRequest(keys.privateKey, events, { now });
        return {
          ...event,
          headers: { ...event.headers, 'x-twilio-email-event-webhook-signature': 'bm90IGRlcg==' },
        };
      },
    ],
    [
      'with a timestamp that is not a number',
      () => {
        const event = sendGridEventsRequest(keys.privateKey, events, { now });
        return { ...event, headers: { ...event.headers, 'x-twilio-email-event-webhook-timestamp': '1e9' } };
      },
    ],
  ])('rejects a request %s', (_name, build) => {
    // Prepare
    const event = build();

    // Act + Assess
    expect(() => verify(event, rawBody(event))).toThrow(WebhookAuthenticationError);
  });

  it('honours a configured tolerance', () => {
    // Prepare
    const lenient = createSendGridSignatureVerifier({
      publicKey: keys.publicKey,
      toleranceSeconds: 600,
      now: () => now,
    });
    const event = sendGridEventsRequest(keys.privateKey, events, { timestamp: nowSeconds - 360 });

    // Act + Assess
    expect(() => lenient(event, rawBody(event))).not.toThrow();
  });
});

describe('Function: verifyInboundParseSecret', () => {
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it.each([
    ['in the query string', inboundParseRequest({ from: 'a@b.c' })],
    [
      'as the basic auth password',
      inboundParseRequest(
        { from: 'a@b.c' },
        { secret: null, headers: { authorization: basic('parse', TEST_INBOUND_SECRET) } },
      ),
    ],
  ])('accepts the secret %s', (_name, event) => {
    // Act + Assess
    expect(() => verifyInboundParseSecret(event, TEST_INBOUND_SECRET)).not.toThrow();
  });

  it.each([
    ['no secret', inboundParseRequest({ from: 'a@b.c' }, { secret: null })],
    ['a wrong secret', inboundParseRequest({ from: 'a@b.c' }, { secret: 'inbound-parse-secret-0123456788' })],
    [
      'a prefix of the secret',
      inboundParseRequest({ from: 'a@b.c' }, { secret: TEST_INBOUND_SECRET.slice(0, 20) }),
    ],
    [
      'a wrong basic auth password',
      inboundParseRequest(
        { from: 'a@b.c' },
        { secret: null, headers: { authorization: basic('parse', 'nope') } },
      ),
    ],
    [
      'a malformed authorization header',
      inboundParseRequest({ from: 'a@b.c' }, { secret: null, headers: { authorization: 'Basic !!!' } }),
    ],
  ])('rejects a request with %s', (_name, event) => {
    // Act + Assess
    expect(() => verifyInboundParseSecret(event, TEST_INBOUND_SECRET)).toThrow(WebhookAuthenticationError);
  });

  it('refuses to run with a guessable secret', () => {
    // Prepare
    const event = inboundParseRequest({ from: 'a@b.c' }, { secret: 'short' });

    // Act + Assess
    expect(() => verifyInboundParseSecret(event, 'short')).toThrow(WebhookAuthenticationError);
  });
});
