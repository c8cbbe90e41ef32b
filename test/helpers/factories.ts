/**
 * Test data factories: customers, message requests, ledger messages and SQS events, with sensible
 * defaults that a test overrides only where it matters.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { HmacAddressKeyer } from '../../functions/adapters/secrets/keyed-hash';
import {
  type Customer,
  type CustomerInput,
  CustomerSchema,
  type MessageRequest,
  type MessageRequestInput,
  MessageRequestSchema,
} from '../../functions/contract';
import type { NewMessage } from '../../functions/domain/ledger-model';

/** A customer reachable on every channel, opted in to marketing on none. */
export function aCustomer(overrides: Partial<CustomerInput> = {}): Customer {
  const phone = aMobileNumber();
  return CustomerSchema.parse({
    customerId: `c-${randomUUID()}`,
    addresses: {
      sms: phone,
      whatsapp: phone,
      email: `ada-${randomUUID().slice(0, 8)}@example.com`,
      push: [{ kind: 'fcm', token: `token-${randomUUID()}` }],
    },
    preferences: { channels: ['whatsapp', 'sms', 'email', 'push'] },
    consent: {},
    timezone: 'Europe/Paris',
    ...overrides,
  });
}

/** A consent record as the API would write it. */
export function consent(status: 'opted_in' | 'opted_out' | 'unknown', at = '2026-01-01T00:00:00Z') {
  return { status, at, source: 'api' } as const;
}

/** A valid transactional request with literal content for a customer. */
export function aRequest(customerId: string, overrides: Partial<MessageRequestInput> = {}): MessageRequest {
  return MessageRequestSchema.parse({
    schemaVersion: 1,
    requestId: `r-${randomUUID()}`,
    customerId,
    category: 'transactional',
    content: { text: 'Your code is 123456', subject: 'Your code', title: 'Code' },
    ...overrides,
  });
}

/** An SQS record as Lambda delivers it. */
export function anSqsRecord(body: string, messageId: string = randomUUID()): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:switchboard-outbound',
    awsRegion: 'us-east-1',
  };
}

/** An SQS event from bodies (objects are JSON-encoded). */
export function anSqsEvent(bodies: readonly (string | object)[]): SQSEvent {
  return {
    Records: bodies.map((body) => anSqsRecord(typeof body === 'string' ? body : JSON.stringify(body))),
  };
}

/** A valid French mobile number, different on each call (so address index entries never clash). */
export function aMobileNumber(): string {
  return `+33612${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

/** A valid MessageRequest as a publisher writes it, with literal content (fixed ids: for contract tests). */
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

/** A valid customer profile as a client writes it (fixed ids: for contract tests). */
export function aCustomerInput(overrides: Partial<CustomerInput> = {}): CustomerInput {
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

/**
 * A shopper's profile as the journeys need her: reachable on push, WhatsApp, SMS and email, opted in
 * to marketing on each, with no quiet hours (so that a reminder goes out whenever the test runs).
 */
export function aShopperInput(customerId: string, overrides: Partial<CustomerInput> = {}): CustomerInput {
  const optedIn = { status: 'opted_in', at: new Date().toISOString(), source: 'test' } as const;
  return aCustomerInput({
    customerId,
    preferences: {
      channels: ['push', 'whatsapp', 'sms', 'email'],
      quietHours: { start: '00:00', end: '00:00' },
    },
    consent: { marketing: { push: optedIn, whatsapp: optedIn, sms: optedIn, email: optedIn } },
    attributes: { firstName: 'Camille' },
    ...overrides,
  });
}

/** An address keyer under a fresh random pepper, or the given one. */
export function anAddressKeyer(
  pepper: string = randomBytes(32).toString('hex'),
  options: { readsLegacy?: boolean } = {},
): HmacAddressKeyer {
  return new HmacAddressKeyer(pepper, options);
}

/** A queued message as the router records it: one SMS attempt, email left to fall back to. */
export function aNewMessage(
  customerId: string,
  messageId: string,
  overrides: Partial<NewMessage> = {},
): NewMessage {
  return {
    messageId,
    customerId,
    requestId: `r-${messageId}`,
    category: 'transactional',
    status: 'queued',
    reasons: [],
    skipped: {},
    fallbackChannels: ['email'],
    attempts: [{ channel: 'sms', attempt: 1 }],
    metadata: { campaign: 'c1' },
    at: '2026-11-23T13:00:00.000Z',
    ...overrides,
  };
}
