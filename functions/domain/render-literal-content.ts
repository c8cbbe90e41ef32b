/**
 * Literal content rendering: a request's `content` shaped for one channel, with no template.
 * SMS and WhatsApp carry text; email carries a subject with HTML and/or text; push carries a
 * title, a text and a link.
 */
import type { Channel, Content, RenderedContent } from '../contract';
import { ChannelUnusableError } from './errors';

/** Shapes literal content for a channel; throws ChannelUnusableError when it has nothing to show there. */
export function renderLiteralContent(content: Content, channel: Channel): RenderedContent {
  switch (channel) {
    case 'sms':
    case 'whatsapp':
      if (content.text === undefined) {
        throw new ChannelUnusableError(`${channel} needs content.text`, { code: 'no_text_content' });
      }
      return { text: content.text };
    case 'email':
      return compact({
        subject: content.subject ?? content.title,
        html: content.html,
        text: content.text,
      });
    case 'push':
      if (content.text === undefined && content.title === undefined) {
        throw new ChannelUnusableError('push needs content.text or content.title', {
          code: 'no_push_content',
        });
      }
      return compact({ title: content.title ?? content.subject, text: content.text, url: content.url });
  }
}

function compact(content: RenderedContent): RenderedContent {
  return Object.fromEntries(
    Object.entries(content).filter(([, value]) => value !== undefined),
  ) as RenderedContent;
}
