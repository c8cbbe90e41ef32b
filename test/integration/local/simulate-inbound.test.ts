import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import twilio from 'twilio';
import { parseSendGridInbound } from '../../../functions/adapters/sendgrid/inbound-parse';
import { senderEvidence } from '../../../functions/domain/sender-evidence';
import { type LocalHttpServer, startHttpServer } from '../../../local/http-server';
import { generateSandboxCredentials } from '../../../local/sandbox/credentials';
import { simulateSendGridInbound, simulateTwilioInbound } from '../../../local/simulate-inbound';

describe('Function: simulateTwilioInbound / simulateSendGridInbound', () => {
  const credentials = generateSandboxCredentials();
  const events: APIGatewayProxyEventV2[] = [];
  let server: LocalHttpServer;

  beforeAll(async () => {
    const record = async (event: APIGatewayProxyEventV2) => {
      events.push(event);
      return { statusCode: 200, body: '<Response/>', headers: { 'content-type': 'text/xml' } };
    };
    server = await startHttpServer({
      routes: [
        { method: 'POST', path: '/webhooks/twilio/inbound', functionName: 'twilio-webhook', handler: record },
        {
          method: 'POST',
          path: '/webhooks/sendgrid/inbound',
          functionName: 'sendgrid-webhook',
          handler: record,
        },
      ],
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    events.length = 0;
  });

  it('posts a WhatsApp reply signed so that Twilio’s own validation accepts it', async () => {
    // Act
    const result = await simulateTwilioInbound({
      httpUrl: server.url,
      authToken: credentials.twilioAuthToken,
      channel: 'whatsapp',
      from: '+14155550100',
      text: 'Is it in stock in the Leeds store?',
      inReplyToProviderMessageId: 'SM0123456789abcdef0123456789abcdef',
    });

    // Assess
    const event = events[0] as APIGatewayProxyEventV2;
    const params = Object.fromEntries(
      new URLSearchParams(Buffer.from(event.body ?? '', 'base64').toString('utf8')),
    );
    expect(result.status).toBe(200);
    expect(params).toMatchObject({
      From: 'whatsapp:+14155550100',
      Body: 'Is it in stock in the Leeds store?',
      OriginalRepliedMessageSid: 'SM0123456789abcdef0123456789abcdef',
      MessageSid: result.providerMessageId,
    });
    const url = `${server.url}${event.rawPath}`;
    expect(
      twilio.validateRequest(
        credentials.twilioAuthToken,
        event.headers['x-twilio-signature'] ?? '',
        url,
        params,
      ),
    ).toBe(true);
    expect(
      twilio.validateRequest('wrong-token', event.headers['x-twilio-signature'] ?? '', url, params),
    ).toBe(false);
  });

  it('posts an inbound email as a multipart form, base64-encoded as API Gateway passes it on', async () => {
    // Act
    const result = await simulateSendGridInbound({
      httpUrl: server.url,
      from: 'ana@example.com',
      text: 'STOP',
    });

    // Assess
    const event = events[0] as APIGatewayProxyEventV2;
    expect(result.status).toBe(200);
    expect(event.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(event.isBase64Encoded).toBe(true);
    const form = await new Response(Buffer.from(event.body ?? '', 'base64'), {
      headers: { 'content-type': event.headers['content-type'] ?? '' },
    }).formData();
    expect(form.get('from')).toBe('ana@example.com');
    expect(form.get('text')).toBe('STOP');
  });

  const postedReceipt = async () => {
    const event = events[0] as APIGatewayProxyEventV2;
    const body = Buffer.from(event.body ?? '', 'base64');
    return parseSendGridInbound(body, event.headers['content-type'], new Date());
  };

  it('signs an inbound email so that its sender counts as verified for an opt-in', async () => {
    // Act
    await simulateSendGridInbound({ httpUrl: server.url, from: 'ana@example.com', text: 'YES' });

    // Assess
    expect(senderEvidence(await postedReceipt())).toEqual({
      verified: true,
      basis: 'dkim pass for example.com',
    });
  });

  it('sends failing SPF and no DKIM for a forged email', async () => {
    // Act
    await simulateSendGridInbound({
      httpUrl: server.url,
      from: 'ana@example.com',
      text: 'YES',
      forged: true,
    });

    // Assess
    expect(senderEvidence(await postedReceipt())).toEqual({
      verified: false,
      reason: 'no aligned pass (spf fail; dkim none)',
    });
  });
});
