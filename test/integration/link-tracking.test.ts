/**
 * Link tracking end to end on DynamoDB Local and fauxqs: the real router queues an SMS with a
 * link, the real SMS sender rewrites it and sends it to Prism (Twilio's official OpenAPI
 * description) through a recording proxy, and the local runtime's `GET /c/{token}` records the
 * click on the attempt and the timeline and redirects to the original URL.
 */

import { createTwilioSmsSender } from '../../functions/adapters/twilio/sms-sender';
import type { ChannelMessage, MessageRequestInput } from '../../functions/contract';
import { RetryLaterError } from '../../functions/domain/errors';
import type { LinkTrackingSettings } from '../../functions/domain/links/link-tracking';
import type { ChannelSender } from '../../functions/domain/ports';
import { smsSegments } from '../../functions/domain/sms-segments';
import type { LocalResources } from '../../local/emulators';
import type { LocalRuntime } from '../../local/runtime';
import { TEST_TWILIO_CREDENTIALS } from '../helpers/channel-messages';
import { channelRecord, eventOf, sendersUnderTest } from '../helpers/channel-senders';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest, consent } from '../helpers/factories';
import { attemptItem, clickItems, follow, linkItems, shortLinkTokens } from '../helpers/links';
import { startTestRuntime } from '../helpers/local-runtime';
import { contractPath, type PrismMock, ProviderContract, startPrism } from '../helpers/prism';
import { type RecordingProxy, startRecordingProxy } from '../helpers/recording-proxy';

const ORIGINAL = 'https://shop.example/o/1042';
// 147 characters as written, one GSM-7 segment; with the local short link (about 47) it passes 160.
const TEXT = `Your order 1042 has shipped and will arrive on Tuesday between 9 and 12. Track it at ${ORIGINAL} and reply STOP to opt out of texts`;

describe('Use case: track the links of an SMS', () => {
  const clients = testClients();
  let prism: PrismMock;
  let twilio: RecordingProxy;
  let resources: LocalResources;
  let runtime: LocalRuntime;
  let world: ReturnType<typeof sendersUnderTest>;
  let tracking: LinkTrackingSettings;

  beforeAll(async () => {
    prism = await startPrism(contractPath(ProviderContract.TWILIO));
    twilio = await startRecordingProxy(prism.url);
    resources = await isolatedResources();
    runtime = await startTestRuntime({ handlers: ['click-redirect'], resources });
    world = sendersUnderTest(resources, clients);
    tracking = { baseUrl: runtime.localJson.httpUrl, categories: { marketing: false } };
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await Promise.all([twilio?.stop(), prism?.stop()]);
    clients.destroy();
  });

  const twilioSms = (): ChannelSender =>
    createTwilioSmsSender({
      credentials: async () => TEST_TWILIO_CREDENTIALS,
      settings: { from: '+14155552345', apiBaseUrl: twilio.url },
    });

  /** A customer, a request routed by the real router, and the SMS it queued. */
  async function routedSms(
    request: Partial<MessageRequestInput> = {},
    customerOverrides: Parameters<typeof aCustomer>[0] = {},
  ): Promise<ChannelMessage> {
    const customer = aCustomer({ preferences: { channels: ['sms'] }, ...customerOverrides });
    await world.router.store.put(customer);
    const response = await world.router.handler(
      anSqsEvent([
        aRequest(customer.customerId, {
          content: { text: TEXT },
          routing: { channels: ['sms'] },
          ...request,
        }),
      ]),
    );
    expect(response.batchItemFailures).toEqual([]);
    const message = (await world.channelMessagesOf('sms')).find((m) => m.customerId === customer.customerId);
    if (!message) throw new Error('the router queued no SMS');
    return message;
  }

  /** The body of the SMS Twilio received for a message (by its status callback's message id). */
  const sentBody = (message: ChannelMessage): string => {
    const bodies = twilio.requests
      .map((request) => new URLSearchParams(request.body))
      .filter((form) => form.get('To') === message.to)
      .map((form) => form.get('Body') ?? '');
    expect(bodies.length).toBeGreaterThan(0);
    return bodies[bodies.length - 1] as string;
  };

  it('sends the SMS with its link rewritten and counts the segments of the rewritten text', async () => {
    // Prepare
    const message = await routedSms();
    const handler = world.handlerFor('sms', twilioSms(), { linkTracking: tracking });

    // Act
    const response = await handler(eventOf(channelRecord(message)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const body = sentBody(message);
    const [token] = shortLinkTokens(body);
    expect(body).toBe(TEXT.replace(ORIGINAL, `${runtime.localJson.httpUrl}/c/${token}`));
    expect(smsSegments(TEXT).segments).toBe(1);
    const attempt = await attemptItem(clients.dynamodb, resources.tables.messages, message);
    expect(attempt).toMatchObject({
      status: 'sent',
      linkTokens: [token],
      details: { encoding: 'GSM-7', segments: 2, units: body.length },
    });
    const links = await linkItems(clients.dynamodb, resources.tables.messages);
    expect(links.filter((link) => link.messageId === message.messageId)).toEqual([
      expect.objectContaining({
        pk: `link#${token}`,
        customerId: message.customerId,
        attempt: 1,
        channel: 'sms',
        url: ORIGINAL,
        expiresAt: expect.any(Number),
      }),
    ]);
  });

  it('redirects a click to the original URL, marks the attempt clicked and puts one click on the timeline', async () => {
    // Prepare
    const message = await routedSms();
    await world.handlerFor('sms', twilioSms(), { linkTracking: tracking })(eventOf(channelRecord(message)));
    const [token] = shortLinkTokens(sentBody(message));

    // Act
    const first = await follow(`${runtime.localJson.httpUrl}/c/${token}`);
    // A query parameter never chooses the target.
    const second = await follow(`${runtime.localJson.httpUrl}/c/${token}?url=https://evil.example.net/`);

    // Assess
    expect(first).toEqual({ status: 302, location: ORIGINAL });
    expect(second).toEqual({ status: 302, location: ORIGINAL });
    const attempt = await attemptItem(clients.dynamodb, resources.tables.messages, message);
    expect(attempt).toMatchObject({ status: 'clicked' });
    const clicks = await clickItems(clients.dynamodb, resources.tables.messages, message.customerId);
    expect(clicks).toEqual([
      expect.objectContaining({
        kind: 'click',
        token,
        messageId: message.messageId,
        attempt: 1,
        channel: 'sms',
        url: ORIGINAL,
        clickedAt: expect.any(String),
        gsi1pk: `timeline#${message.customerId}`,
        gsi1sk: `${clicks[0]?.clickedAt}#click#${token}`,
        expiresAt: expect.any(Number),
      }),
    ]);
    const [link] = (await linkItems(clients.dynamodb, resources.tables.messages)).filter(
      (item) => item.token === token,
    );
    expect(link).toMatchObject({ clicks: 2, firstClickedAt: clicks[0]?.clickedAt });
  });

  it('answers a HEAD request (a link preview) with the redirect but counts no click', async () => {
    // Prepare
    const message = await routedSms();
    await world.handlerFor('sms', twilioSms(), { linkTracking: tracking })(eventOf(channelRecord(message)));
    const [token] = shortLinkTokens(sentBody(message));

    // Act
    const response = await fetch(`${runtime.localJson.httpUrl}/c/${token}`, {
      method: 'HEAD',
      redirect: 'manual',
    });

    // Assess
    expect([response.status, response.headers.get('location')]).toEqual([302, ORIGINAL]);
    expect(await attemptItem(clients.dynamodb, resources.tables.messages, message)).toMatchObject({
      status: 'sent',
    });
    expect(await clickItems(clients.dynamodb, resources.tables.messages, message.customerId)).toEqual([]);
  });

  it.each([
    ['an unknown token', `/c/${'A'.repeat(22)}`],
    ['a malformed token', '/c/not-a-token'],
    ['a path under the token', `/c/${'A'.repeat(22)}/more`],
  ])('answers 404 to %s and redirects nowhere', async (_name, path) => {
    // Act
    const answer = await follow(`${runtime.localJson.httpUrl}${path}?url=https://evil.example.net/`);

    // Assess
    expect(answer).toEqual({ status: 404, location: null });
  });

  it.each([
    ['the request opts out', { tracking: { links: false } }],
    ['its category is configured off', { category: 'marketing', content: { text: TEXT } }],
  ] as const)('leaves the link untouched when %s', async (_name, request) => {
    // Prepare
    const customerConsent = { marketing: { sms: consent('opted_in') } };
    const message = await routedSms(request, { consent: customerConsent });
    const handler = world.handlerFor('sms', twilioSms(), { linkTracking: tracking });

    // Act
    const response = await handler(eventOf(channelRecord(message)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(sentBody(message)).toBe(TEXT);
    const attempt = await attemptItem(clients.dynamodb, resources.tables.messages, message);
    expect(attempt).toMatchObject({ status: 'sent', details: { segments: 1 } });
    expect(attempt?.linkTokens).toBeUndefined();
    const links = await linkItems(clients.dynamodb, resources.tables.messages);
    expect(links.filter((link) => link.messageId === message.messageId)).toEqual([]);
  });

  it('reuses the short links of the first try when a send is retried, writing no second link item', async () => {
    // Prepare: the first try's provider call fails transiently, after the links were written.
    const message = await routedSms();
    const real = twilioSms();
    let tries = 0;
    const flaky: ChannelSender = {
      ...real,
      send: async (outgoing) => {
        tries += 1;
        if (tries === 1) throw new RetryLaterError('Twilio is throttling', { code: '20429' });
        return real.send(outgoing);
      },
    };
    const first = world.handlerFor('sms', flaky, { linkTracking: tracking });
    const later = new Date(Date.now() + 120_000);
    const second = world.handlerFor('sms', flaky, { linkTracking: tracking, now: () => later });
    const firstTry = await first(eventOf(channelRecord(message, 1)));
    const stored = (await attemptItem(clients.dynamodb, resources.tables.messages, message))?.linkTokens;

    // Act
    const secondTry = await second(eventOf(channelRecord(message, 2)));

    // Assess
    expect(firstTry.batchItemFailures).toHaveLength(1);
    expect(secondTry.batchItemFailures).toEqual([]);
    expect(stored).toHaveLength(1);
    expect(shortLinkTokens(sentBody(message))).toEqual(stored);
    const links = await linkItems(clients.dynamodb, resources.tables.messages);
    expect(links.filter((link) => link.messageId === message.messageId)).toHaveLength(1);
  });
});
