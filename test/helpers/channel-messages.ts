/**
 * Factories for channel messages (the envelope on the channel queues), valid by the contract.
 */
import {
  type ChannelMessage,
  ChannelMessageSchema,
  type PushDevice,
  parseChannelMessage,
  type RenderedContent,
} from '../../functions/contract';

type Common = Partial<Omit<ChannelMessage, 'channel' | 'to' | 'content'>> & { content?: RenderedContent };

const common = (overrides: Common) => ({
  schemaVersion: 1 as const,
  messageId: 'msg-0001',
  requestId: 'req-0001',
  customerId: 'cust-0001',
  category: 'transactional',
  attempt: 1,
  fallbackChannels: [],
  metadata: {},
  queuedAt: '2026-11-23T14:00:00Z',
  ...overrides,
});

/** An SMS channel message. */
export function smsMessage(overrides: Common & { to?: string } = {}): ChannelMessage {
  const { to = '+33612345678', content = { text: 'Your code is 123456' }, ...rest } = overrides;
  return ChannelMessageSchema.parse({ ...common(rest), channel: 'sms', to, content });
}

/** A WhatsApp channel message; the window is closed unless `windowOpenUntil` is given. */
export function whatsappMessage(
  overrides: Common & { to?: string; windowOpenUntil?: string } = {},
): ChannelMessage {
  const { to = '+33612345678', content = { text: 'Your order has shipped' }, ...rest } = overrides;
  return ChannelMessageSchema.parse({ ...common(rest), channel: 'whatsapp', to, content });
}

/** An email channel message. */
export function emailMessage(overrides: Common & { to?: string } = {}): ChannelMessage {
  const {
    to = 'ada@example.com',
    content = {
      subject: 'Your receipt',
      text: 'Thanks for your order',
      html: '<p>Thanks for your order</p>',
    },
    ...rest
  } = overrides;
  return ChannelMessageSchema.parse({ ...common(rest), channel: 'email', to, content });
}

/** A push channel message to the given devices. */
export function pushMessage(devices: PushDevice[], overrides: Common = {}): ChannelMessage {
  const {
    content = { title: 'Order shipped', text: 'It arrives Tuesday', url: 'https://example.com/o/1' },
    ...rest
  } = overrides;
  return ChannelMessageSchema.parse({ ...common(rest), channel: 'push', to: devices, content });
}

/** A Twilio account SID and auth token that only a mock accepts. */
export const TEST_TWILIO_CREDENTIALS = {
  accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
  authToken: 'test-auth-token',
} as const;

/** A Twilio Content SID of the right shape. */
export const TEST_CONTENT_SID = `HX${'abcdef0123456789'.repeat(2)}`;
/** A Messaging Service SID of the right shape. */
export const TEST_MESSAGING_SERVICE_SID = `MG${'0123456789abcdef'.repeat(2)}`;
let sequence = 0;

/** A valid ChannelMessage for `channel` to `to`, with optional field overrides. */
export function channelMessage(
  channel: ChannelMessage['channel'],
  to: unknown,
  overrides: Record<string, unknown> = {},
): ChannelMessage {
  sequence++;
  const content =
    channel === 'email'
      ? { subject: 'Your order', html: '<p>Thanks for your order</p>', text: 'Thanks for your order' }
      : channel === 'push'
        ? { title: 'Still thinking?', text: '10% off your cart today' }
        : { text: 'Your order has shipped' };
  return parseChannelMessage({
    schemaVersion: 1,
    messageId: `msg-${sequence}`,
    requestId: `req-${sequence}`,
    customerId: 'cust-1',
    category: 'transactional',
    attempt: 1,
    content,
    queuedAt: new Date().toISOString(),
    channel,
    to,
    ...overrides,
  });
}
