import {
  buildChannelMessage,
  buildDispatch,
} from '../../../../functions/domain/routing/build-channel-message';
import { aCustomer, aRequest } from '../../../helpers/factories';

const now = new Date('2026-03-02T10:00:00Z');

describe('Function: buildChannelMessage', () => {
  it('carries the request ids, options and metadata, and the address of the channel', () => {
    // Prepare
    const customer = aCustomer();
    const request = aRequest(customer.customerId, {
      metadata: { campaign: 'spring' },
      expiresAt: '2026-03-03T00:00:00Z',
      routing: { receiptTimeoutSeconds: 600 },
    });
    // Act
    const message = buildChannelMessage({
      request,
      profile: { customer, state: { invalidAddresses: {} } },
      messageId: 'msg_1',
      channel: 'sms',
      attempt: 2,
      content: { text: 'Hi' },
      fallbackChannels: ['email'],
      now,
    });
    // Assess
    expect(message).toMatchObject({
      schemaVersion: 1,
      channel: 'sms',
      to: customer.addresses.sms,
      messageId: 'msg_1',
      requestId: request.requestId,
      customerId: customer.customerId,
      attempt: 2,
      content: { text: 'Hi' },
      fallbackChannels: ['email'],
      receiptTimeoutSeconds: 600,
      expiresAt: request.expiresAt,
      metadata: { campaign: 'spring' },
      queuedAt: now.toISOString(),
    });
  });

  it.each([
    ['open', '2026-03-02T12:00:00.000Z', { windowOpenUntil: '2026-03-02T12:00:00.000Z' }],
    ['closed', '2026-03-02T09:00:00.000Z', {}],
  ])('tells the WhatsApp sender the window only while it is %s', (_state, until, expected) => {
    // Prepare
    const customer = aCustomer();
    // Act
    const message = buildChannelMessage({
      request: aRequest(customer.customerId),
      profile: { customer, state: { invalidAddresses: {}, whatsappWindowUntil: until } },
      messageId: 'msg_1',
      channel: 'whatsapp',
      attempt: 1,
      content: { text: 'Hi' },
      fallbackChannels: [],
      now,
    });
    // Assess
    expect(message.channel).toBe('whatsapp');
    expect('windowOpenUntil' in message ? { windowOpenUntil: message.windowOpenUntil } : {}).toEqual(
      expected,
    );
  });

  it('keys a dispatch by the attempt it belongs to', () => {
    // Prepare
    const customer = aCustomer();
    // Act
    const dispatch = buildDispatch('record-1:push', 30, {
      request: aRequest(customer.customerId),
      profile: { customer, state: { invalidAddresses: {} } },
      messageId: 'msg_1',
      channel: 'push',
      attempt: 1,
      content: { title: 'Code', text: 'Hi' },
      fallbackChannels: [],
      now,
    });
    // Assess
    expect(dispatch).toMatchObject({
      id: 'record-1:push',
      delaySeconds: 30,
      key: { customerId: customer.customerId, messageId: 'msg_1', channel: 'push', attempt: 1 },
      message: { channel: 'push', to: customer.addresses.push },
    });
  });
});
