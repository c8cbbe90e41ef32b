/**
 * A request naming a template, from the outbound queue to the provider: the real router renders it
 * for the channel it picks, the real sender handler sends it through the real provider adapter, and
 * the provider receives the rendered form (captured on 127.0.0.1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplateSet } from '../../functions/adapters/files/template-files';
import { createSendGridEmailSender } from '../../functions/adapters/sendgrid/email-sender';
import { createTwilioSmsSender } from '../../functions/adapters/twilio/sms-sender';
import type { Channel } from '../../functions/contract';
import { TemplateRenderer } from '../../functions/domain/templates/template-renderer';
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server';
import { TEST_TWILIO_CREDENTIALS } from '../helpers/channel-messages';
import { channelRecord, eventOf, sendersUnderTest } from '../helpers/channel-senders';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest } from '../helpers/factories';

const AFTERNOON = new Date('2026-11-26T13:00:00Z');
const sample = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'templates', 'order-thank-you', 'template.json'), 'utf8'),
).sample as { data: Record<string, unknown> };

describe('Templates end to end: outbound queue → router → sender handler → provider', () => {
  const clients = testClients();
  const templates = new TemplateRenderer({ templates: loadTemplateSet(), defaultTimeZone: 'Europe/Paris' });
  let provider: CaptureServer;

  beforeAll(async () => {
    provider = await startCaptureServer();
  });
  afterAll(async () => {
    await provider.stop();
    clients.destroy();
  });
  beforeEach(() => {
    provider.requests.length = 0;
  });

  async function deliver(
    channel: Channel,
    locale: string,
    sender: Parameters<ReturnType<typeof sendersUnderTest>['handlerFor']>[1],
  ) {
    const resources = await isolatedResources();
    const world = sendersUnderTest(resources, clients, { templates, now: () => AFTERNOON });
    const customer = aCustomer({
      locale,
      preferences: { channels: [channel] },
      attributes: { firstName: 'Camille' },
    });
    await world.router.store.put(customer);
    const routed = await world.router.handler(
      anSqsEvent([
        aRequest(customer.customerId, { content: undefined, template: 'order-thank-you', data: sample.data }),
      ]),
    );
    expect(routed.batchItemFailures).toEqual([]);
    const [message] = await world.channelMessagesOf(channel);
    if (!message) throw new Error(`the router queued no ${channel} message`);
    const sent = await world.handlerFor(channel, sender)(eventOf(channelRecord(message)));
    expect(sent.batchItemFailures).toEqual([]);
    expect(provider.requests).toHaveLength(1);
    return provider.requests[0]!;
  }

  it('sends the French SMS text to Twilio', async () => {
    // Prepare
    provider.respondWith({ status: 201, body: { sid: `SM${'5'.repeat(32)}`, status: 'queued' } });
    const sms = createTwilioSmsSender({
      credentials: async () => TEST_TWILIO_CREDENTIALS,
      settings: {
        from: '+14155552345',
        statusCallbackUrl: 'https://hooks.example.com/webhooks/twilio/status',
        apiBaseUrl: provider.url,
      },
    });

    // Act
    const request = await deliver('sms', 'fr-FR', sms);

    // Assess
    const form = new URLSearchParams(request.body);
    expect(form.get('Body')).toBe(
      'Lumière Store : merci Camille ! Commande LS-20261126-0042, 88,91 €. Détails : https://shop.example.com/orders/LS-20261126-0042',
    );
  });

  it('sends the English email, subject, HTML and text, to SendGrid', async () => {
    // Prepare
    provider.respondWith({ status: 202, headers: { 'x-message-id': 'sg-message-1' } });
    const email = createSendGridEmailSender({
      credentials: async () => ({ apiKey: 'SG.test-key' }),
      settings: { fromEmail: 'orders@example.com', apiBaseUrl: provider.url },
    });

    // Act
    const request = await deliver('email', 'en-GB', email);

    // Assess
    const body = JSON.parse(request.body);
    expect(body.personalizations[0].to[0].email).toMatch(/@example\.com$/);
    expect(body.subject).toBe('Thank you for your order LS-20261126-0042');
    const parts = Object.fromEntries(
      body.content.map((part: { type: string; value: string }) => [part.type, part.value]),
    );
    expect(parts['text/html']).toContain('LS-20261126-0042');
    expect(parts['text/plain']).toContain('LS-20261126-0042');
  });
});
