/**
 * A WhatsApp message whose 24-hour window closes while it waits in the queue: the real router
 * renders both forms when an approved template exists, and the real WhatsApp sender, asking the
 * one window rule at send time, sends the template through Prism (Twilio's OpenAPI description).
 * A freeform-only message in the same situation fails as before, permanently, and falls back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDbConsentStore } from '../../functions/adapters/dynamodb/consent-store';
import { loadTemplateSet } from '../../functions/adapters/files/template-files';
import { addressKeyerFromEnv } from '../../functions/adapters/secrets/keyed-hash';
import { createTwilioWhatsAppSender } from '../../functions/adapters/twilio/whatsapp-sender';
import type { ChannelMessage, MessageRequestInput } from '../../functions/contract';
import { TemplateRenderer } from '../../functions/domain/templates/template-renderer';
import { WHATSAPP_WINDOW_SAFETY_MARGIN_MS } from '../../functions/domain/whatsapp-window';
import type { LocalResources } from '../../local/emulators';
import { TEST_TWILIO_CREDENTIALS } from '../helpers/channel-messages';
import { channelRecord, eventOf, sendersUnderTest } from '../helpers/channel-senders';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest } from '../helpers/factories';
import { contractPath, type PrismMock, ProviderContract, startPrism } from '../helpers/prism';
import { entriesOf } from '../helpers/timeline';

const ROUTED_AT = new Date('2026-11-26T13:00:00Z');
const WINDOW_ENDS = new Date(ROUTED_AT.getTime() + 30 * 60_000);
const SENT_AT = new Date(WINDOW_ENDS.getTime() + 5 * 60_000);
const TWILIO_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const sample = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'templates', 'order-thank-you', 'template.json'), 'utf8'),
).sample as { data: Record<string, unknown> };

describe('Function: WhatsApp window closing while a message is queued', () => {
  const clients = testClients();
  const templates = new TemplateRenderer({ templates: loadTemplateSet(), defaultTimeZone: 'Europe/Paris' });
  let twilioPrism: PrismMock;
  let resources: LocalResources;
  let world: ReturnType<typeof sendersUnderTest>;

  beforeAll(async () => {
    twilioPrism = await startPrism(contractPath(ProviderContract.TWILIO));
  }, 120_000);

  afterAll(async () => {
    await twilioPrism?.stop();
    clients.destroy();
  });

  beforeEach(async () => {
    resources = await isolatedResources();
    world = sendersUnderTest(resources, clients, { templates, now: () => ROUTED_AT });
  });

  /** Routes a request for a customer whose window is open at routing time and ends at WINDOW_ENDS. */
  async function routedWhileOpen(request: Partial<MessageRequestInput>): Promise<ChannelMessage> {
    const customer = aCustomer({ locale: 'fr', attributes: { firstName: 'Camille' } });
    await world.router.store.put(customer);
    const consent = new DynamoDbConsentStore({
      client: clients.dynamodb,
      tableName: resources.tables.customers,
      keyer: addressKeyerFromEnv(),
    });
    await consent.openWhatsAppWindow(customer.customerId, WINDOW_ENDS.toISOString());
    const response = await world.router.handler(
      anSqsEvent([aRequest(customer.customerId, { routing: { channels: ['whatsapp', 'sms'] }, ...request })]),
    );
    expect(response.batchItemFailures).toEqual([]);
    const [message] = await world.channelMessagesOf('whatsapp');
    if (!message) throw new Error('the router queued no whatsapp message');
    return message;
  }

  const senderHandler = () =>
    world.handlerFor(
      'whatsapp',
      createTwilioWhatsAppSender({
        credentials: async () => TEST_TWILIO_CREDENTIALS,
        settings: { from: '+14155552345', apiBaseUrl: twilioPrism.url },
        now: () => SENT_AT,
      }),
      { now: () => SENT_AT },
    );

  const attemptOf = async (message: ChannelMessage) =>
    (await entriesOf(world.router.timeline, message.customerId, 'message'))
      .find((entry) => entry.messageId === message.messageId)
      ?.attempts.find((record) => record.attempt === message.attempt && record.channel === 'whatsapp');

  it('sends the approved template when the window closed after routing', async () => {
    // Prepare
    const message = await routedWhileOpen({
      content: undefined,
      template: 'order-thank-you',
      data: sample.data,
    });

    // Act
    const response = await senderHandler()(eventOf(channelRecord(message)));

    // Assess
    expect(message).toMatchObject({ windowOpenUntil: WINDOW_ENDS.toISOString() });
    expect(message.content.text).toContain('LS-20261126-0042');
    expect(message.content.whatsappTemplate?.contentSid).toBe('HX00000000000000000000000000000302');
    expect(response.batchItemFailures).toEqual([]);
    const attempt = await attemptOf(message);
    expect(attempt).toMatchObject({
      status: 'sent',
      provider: 'twilio',
      details: { mode: 'template', contentSid: 'HX00000000000000000000000000000302' },
    });
    expect(attempt?.providerMessageId).toMatch(TWILIO_SID);
  });

  it('sends freeform when the message leaves before the window’s margin', async () => {
    // Prepare
    const message = await routedWhileOpen({
      content: undefined,
      template: 'order-thank-you',
      data: sample.data,
    });
    const early = new Date(WINDOW_ENDS.getTime() - WHATSAPP_WINDOW_SAFETY_MARGIN_MS - 1);
    const handler = world.handlerFor(
      'whatsapp',
      createTwilioWhatsAppSender({
        credentials: async () => TEST_TWILIO_CREDENTIALS,
        settings: { from: '+14155552345', apiBaseUrl: twilioPrism.url },
        now: () => early,
      }),
      { now: () => early },
    );

    // Act
    const response = await handler(eventOf(channelRecord(message)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await attemptOf(message)).toMatchObject({ status: 'sent', details: { mode: 'freeform' } });
  });

  it('fails a freeform-only message permanently and falls back when the window closed while queued', async () => {
    // Prepare
    const message = await routedWhileOpen({ content: { text: 'Votre commande est prête' } });

    // Act
    const response = await senderHandler()(eventOf(channelRecord(message)));

    // Assess
    expect(message.content.whatsappTemplate).toBeUndefined();
    expect(response.batchItemFailures).toEqual([]);
    expect(await attemptOf(message)).toMatchObject({
      status: 'failed',
      error: { code: 'whatsapp_window_closed', permanent: true },
    });
    const fallbacks = await world.fallbackRequests();
    expect(fallbacks.map((f) => f.request)).toMatchObject([
      { kind: 'fallback', messageId: message.messageId, triedChannels: ['whatsapp'] },
    ]);
  });
});
