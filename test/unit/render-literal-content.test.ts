import type { Channel, Content } from '../../functions/contract';
import { ChannelUnusableError } from '../../functions/domain/errors';
import { renderLiteralContent } from '../../functions/domain/render-literal-content';

describe('Function: renderLiteralContent', () => {
  const full: Content = {
    text: 'Your order shipped',
    subject: 'Shipped',
    html: '<p>Your order shipped</p>',
    title: 'Order',
    url: 'https://example.com/o/1',
  };

  it.each<[Channel, Content, object]>([
    ['sms', full, { text: 'Your order shipped' }],
    ['whatsapp', full, { text: 'Your order shipped' }],
    ['email', full, { subject: 'Shipped', html: '<p>Your order shipped</p>', text: 'Your order shipped' }],
    ['email', { text: 'Hi', title: 'Hello' }, { subject: 'Hello', text: 'Hi' }],
    ['push', full, { title: 'Order', text: 'Your order shipped', url: 'https://example.com/o/1' }],
    ['push', { text: 'Hi', subject: 'Hello' }, { title: 'Hello', text: 'Hi' }],
  ])('renders %s from %j', (channel, content, expected) => {
    // Act and assess
    expect(renderLiteralContent(content, channel)).toEqual(expected);
  });

  it.each<Channel>(['sms', 'whatsapp', 'push'])('finds %s unusable for HTML-only content', (channel) => {
    // Act and assess
    expect(() => renderLiteralContent({ html: '<p>Hi</p>' }, channel)).toThrow(ChannelUnusableError);
  });
});
