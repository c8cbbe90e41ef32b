/**
 * Factories for contract documents: valid by default, overridable field by field.
 */
import type { CustomerInput, MessageRequestInput } from '../../functions/contract';

/** A valid MessageRequest with literal content. */
export function aMessageRequest(overrides: Partial<MessageRequestInput> = {}): MessageRequestInput {
  return {
    schemaVersion: 1,
    requestId: 'order-1042-shipped',
    customerId: 'cus_8f2k1',
    category: 'transactional',
    content: { text: 'Your order 1042 has shipped.', subject: 'Order 1042 shipped', title: 'Shipped' },
    ...overrides,
  };
}

/** A valid MessageRequest that names a template. */
export function aTemplatedMessageRequest(overrides: Partial<MessageRequestInput> = {}): MessageRequestInput {
  const { content: _content, ...base } = aMessageRequest();
  return { ...base, template: 'order-thank-you', data: { orderNumber: '1042' }, ...overrides };
}

/** A valid customer profile. */
export function aCustomer(overrides: Partial<CustomerInput> = {}): CustomerInput {
  return {
    customerId: 'cus_8f2k1',
    addresses: { sms: '+33612345678', whatsapp: '+33612345678', email: 'lea@example.com' },
    preferences: { channels: ['whatsapp', 'sms', 'email'] },
    consent: {},
    locale: 'fr-FR',
    timezone: 'Europe/Paris',
    attributes: { firstName: 'Léa' },
    ...overrides,
  };
}
