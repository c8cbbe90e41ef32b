import {
  ChannelMessageSchema,
  DeliveryEventSchema,
  InboundMessageSchema,
  MAX_CHANNEL_MESSAGE_BYTES,
  safeParseWith,
} from '../../../functions/contract';

const aDeliveryEvent = (overrides: Record<string, unknown> = {}) => ({
  type: 'message.delivered',
  requestId: 'order-1042-shipped',
  messageId: 'msg_01',
  customerId: 'cus_8f2k1',
  channel: 'sms',
  provider: 'twilio',
  providerMessageId: 'SM123',
  status: 'delivered',
  at: '2026-11-23T10:00:00Z',
  metadata: { campaign: 'shipping' },
  ...overrides,
});

const aChannelMessage = (overrides: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  messageId: 'msg_01',
  requestId: 'order-1042-shipped',
  customerId: 'cus_8f2k1',
  category: 'transactional',
  attempt: 1,
  channel: 'sms',
  to: '+33612345678',
  content: { text: 'Shipped' },
  queuedAt: '2026-11-23T10:00:00Z',
  ...overrides,
});

describe('Contract: DeliveryEvent, InboundMessage and ChannelMessage', () => {
  it('accepts a delivery event and one with a permanent error', () => {
    expect(safeParseWith(DeliveryEventSchema, aDeliveryEvent()).success).toBe(true);
    expect(
      safeParseWith(
        DeliveryEventSchema,
        aDeliveryEvent({
          type: 'message.failed',
          status: 'failed',
          error: { code: '21211', message: 'Invalid To number', permanent: true },
        }),
      ).success,
    ).toBe(true);
  });

  it('rejects a delivery event whose type does not match its status', () => {
    const result = safeParseWith(DeliveryEventSchema, aDeliveryEvent({ type: 'message.sent' }));
    expect(result.success ? [] : result.issues).toEqual([
      { field: 'type', message: 'must be message.<status>' },
    ]);
  });

  it('accepts an inbound message from an unknown sender with media', () => {
    const result = safeParseWith(InboundMessageSchema, {
      type: 'message.inbound',
      channel: 'whatsapp',
      from: '+33612345678',
      text: 'Is it in stock in Lyon?',
      media: [{ url: 'https://api.twilio.com/media/ME1', contentType: 'image/jpeg' }],
      receivedAt: '2026-11-23T10:00:00Z',
      provider: 'twilio',
      providerMessageId: 'SM999',
    });
    expect(result.success).toBe(true);
  });

  it.each([
    ['sms to an email address', { to: 'lea@example.com' }, 'to'],
    ['email to a phone number', { channel: 'email', to: '+33612345678' }, 'to'],
    ['push to no device', { channel: 'push', to: [] }, 'to'],
    ['attempt zero', { attempt: 0 }, 'attempt'],
    [
      'a bad WhatsApp Content SID',
      { channel: 'whatsapp', content: { whatsappTemplate: { contentSid: 'HX1' } } },
      'content.whatsappTemplate.contentSid',
    ],
  ])('rejects a channel message with %s', (_case, overrides, field) => {
    const result = safeParseWith(ChannelMessageSchema, aChannelMessage(overrides));
    expect(result.success ? [] : result.issues.map((issue) => issue.field)).toContain(field);
  });

  it('rejects a channel message that would not fit in an SQS message', () => {
    const html = 'x'.repeat(200 * 1024);
    const result = safeParseWith(
      ChannelMessageSchema,
      aChannelMessage({
        channel: 'email',
        to: 'lea@example.com',
        content: { html, text: 'y'.repeat(60 * 1024) },
      }),
    );
    expect(result.success ? [] : result.issues.map((issue) => issue.message)).toEqual([
      `must be at most ${MAX_CHANNEL_MESSAGE_BYTES} bytes as JSON`,
    ]);
  });
});
