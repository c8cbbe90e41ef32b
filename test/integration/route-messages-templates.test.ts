/**
 * The router renders named templates end to end: a request naming a template reaches each channel
 * queue in the form that channel shows, in the customer's language.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplateSet } from '../../functions/adapters/files/template-files';
import type { Channel } from '../../functions/contract';
import { TemplateRenderer } from '../../functions/domain/templates/template-renderer';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest } from '../helpers/factories';
import { routerUnderTest } from '../helpers/router';
import { entriesOf } from '../helpers/timeline';

const AFTERNOON = new Date('2026-11-26T13:00:00Z');
const sample = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'templates', 'order-thank-you', 'template.json'), 'utf8'),
).sample as { data: Record<string, unknown> };

describe('Function: route-messages handler with templates', () => {
  const clients = testClients();
  const templates = new TemplateRenderer({ templates: loadTemplateSet(), defaultTimeZone: 'Europe/Paris' });
  let resources: LocalResources;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
  });

  async function route(channel: Channel, locale: string) {
    const { handler, store, channelMessages } = routerUnderTest(resources, clients, {
      now: () => AFTERNOON,
      templates,
    });
    const customer = aCustomer({
      locale,
      preferences: { channels: [channel] },
      attributes: { firstName: 'Camille' },
    });
    await store.put(customer);
    const request = aRequest(customer.customerId, {
      content: undefined,
      template: 'order-thank-you',
      data: sample.data,
    });
    const response = await handler(anSqsEvent([request]));
    expect(response.batchItemFailures).toEqual([]);
    const messages = await channelMessages(channel);
    expect(messages).toHaveLength(1);
    return messages[0]!;
  }

  it('renders the SMS text in French for a French-speaking customer', async () => {
    const message = await route('sms', 'fr-FR');
    // SMS gets plain spaces (no-break spaces would force UCS-2 and halve the segment size).
    expect(message.content.text).toBe(
      'Lumière Store : merci Camille ! Commande LS-20261126-0042, 88,91 €. Détails : https://shop.example.com/orders/LS-20261126-0042',
    );
  });

  it('renders the email subject, HTML with the brand layout, and a plain-text part', async () => {
    const message = await route('email', 'en-GB');
    expect(message.content.subject).toBe('Thank you for your order LS-20261126-0042');
    expect(message.content.html).toContain('LS-20261126-0042');
    expect(message.content.html).toMatch(/<html/i);
    expect(message.content.text).toContain('LS-20261126-0042');
    // A transactional email carries no unsubscribe footer.
    expect(message.content.html?.toLowerCase()).not.toContain('unsubscribe');
  });

  it('renders the push title and body', async () => {
    const message = await route('push', 'en');
    expect(message.content.title).toBe('Thank you for your order');
    expect(message.content.text).toContain('Order LS-20261126-0042 at Lumière Opéra');
  });

  it('uses the approved WhatsApp template with its variables when the 24-hour window is closed', async () => {
    const message = await route('whatsapp', 'fr');
    expect(message.content.whatsappTemplate).toEqual({
      contentSid: 'HX00000000000000000000000000000302',
      variables: {
        '1': 'Camille',
        '2': 'LS-20261126-0042',
        '3': expect.stringMatching(/^88,91\s€$/u),
        '4': 'https://shop.example.com/orders/LS-20261126-0042',
      },
    });
  });

  it('records a request for an unknown template as rejected with the reason', async () => {
    // Prepare
    const { handler, store, timeline } = routerUnderTest(resources, clients, {
      now: () => AFTERNOON,
      templates,
    });
    const customer = aCustomer();
    await store.put(customer);

    // Act
    await handler(
      anSqsEvent([aRequest(customer.customerId, { content: undefined, template: 'no-such-template' })]),
    );

    // Assess
    const messages = await entriesOf(timeline, customer.customerId, 'message');
    expect(messages).toMatchObject([{ status: 'rejected' }]);
    expect(JSON.stringify(messages[0])).toContain('no-such-template');
  });
});
