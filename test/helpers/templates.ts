/**
 * Factories for template tests: an in-memory template set with one small template, customers and
 * render inputs. Override any part to make the case a test is about.
 */
import type { Channel, Customer, MessageRequest } from '../../functions/contract';
import type { RenderInput } from '../../functions/domain/ports';
import type { TemplateSet, TemplateSource } from '../../functions/domain/templates';

/** A brand as `_brand.json` holds it. */
export const testBrand = {
  name: 'Test Shop',
  websiteUrl: 'https://shop.test',
  unsubscribeUrl: 'https://shop.test/unsubscribe?c={{ customer.id | url_encode }}&k={{ category }}',
};

/** A minimal brand layout: content, then the unsubscribe link only when the renderer passes one. */
export const testLayouts = {
  'email.html':
    '<main>{{ content | raw }}</main><footer>{% if unsubscribeUrl %}<a href="{{ unsubscribeUrl }}">Unsubscribe</a>{% endif %}</footer>',
};

/** A template with every channel in en and fr, and an approved WhatsApp template. */
export function greetingTemplate(overrides: Partial<TemplateSource> = {}): TemplateSource {
  return {
    manifest: {
      channels: ['sms', 'whatsapp', 'email', 'push'],
      locales: ['en', 'fr'],
      defaultLocale: 'en',
      whatsapp: {
        approvedTemplate: {
          parameters: [{ name: '1' }, { name: '2' }],
          locales: {
            en: {
              contentSid: `HX${'a'.repeat(32)}`,
              variables: { '1': '{{ customer.firstName }}', '2': '{{ data.code }}' },
            },
            fr: {
              contentSid: `HX${'f'.repeat(32)}`,
              variables: { '1': '{{ customer.firstName }}', '2': '{{ data.code }}' },
            },
          },
        },
      },
      sample: {
        category: 'marketing',
        data: { code: 'ABC', note: 'hi' },
        customer: { attributes: { firstName: 'Ada' } },
      },
    },
    files: {
      'en/sms.liquid': 'Hello {{ customer.firstName }}, code {{ data.code }}',
      'fr/sms.liquid': 'Bonjour {{ customer.firstName }}, code {{ data.code }}',
      'en/whatsapp.liquid': 'Hello {{ customer.firstName }} on WhatsApp',
      'fr/whatsapp.liquid': 'Bonjour {{ customer.firstName }} sur WhatsApp',
      'en/email.subject.liquid': 'Hello {{ customer.firstName }}',
      'en/email.html.liquid': '<p>Hello {{ customer.firstName }}: {{ data.note }}</p>',
      'fr/email.subject.liquid': 'Bonjour {{ customer.firstName }}',
      'fr/email.html.liquid': '<p>Bonjour {{ customer.firstName }} : {{ data.note }}</p>',
      'en/push.title.liquid': 'Hello {{ customer.firstName }}',
      'en/push.body.liquid': 'Code {{ data.code }}',
      'en/push.url.liquid': 'https://shop.test/c/{{ data.code }}',
      'fr/push.title.liquid': 'Bonjour {{ customer.firstName }}',
      'fr/push.body.liquid': 'Code {{ data.code }}',
    },
    ...overrides,
  };
}

/** A template set holding `templates` (default: one `greeting` template) with the test brand and layout. */
export function testTemplateSet(
  templates: Record<string, TemplateSource> = { greeting: greetingTemplate() },
): TemplateSet {
  return { brand: testBrand, layouts: testLayouts, partials: {}, templates };
}

/** A customer profile. */
export function customerFactory(overrides: Partial<Customer> = {}): Customer {
  return {
    customerId: 'cust-1',
    addresses: {},
    preferences: { channels: [] },
    consent: {},
    locale: 'en',
    timezone: 'Europe/Paris',
    attributes: { firstName: 'Ada' },
    ...overrides,
  };
}

/** A render input for a template request; `data` and `category` set the request's fields. */
export function renderInput(
  channel: Channel,
  options: {
    template?: string;
    data?: Record<string, unknown>;
    category?: string;
    customer?: Partial<Customer>;
    whatsappWindowOpen?: boolean;
    now?: Date;
  } = {},
): RenderInput {
  const customer = customerFactory(options.customer);
  const request: MessageRequest = {
    schemaVersion: 1,
    requestId: 'req-1',
    customerId: customer.customerId,
    category: options.category ?? 'marketing',
    template: options.template ?? 'greeting',
    data: options.data ?? { code: 'ABC', note: 'hi' },
  };
  return {
    request,
    customer,
    channel,
    now: options.now ?? new Date('2026-03-01T12:00:00Z'),
    whatsappWindowOpen: options.whatsappWindowOpen ?? true,
  };
}
