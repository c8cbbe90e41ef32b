/** Factories for ChannelMessages, parsed through the contract so a test never builds an invalid one. */
import { type ChannelMessage, parseChannelMessage } from '../../functions/contract';

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
