/**
 * SendGrid Inbound Parse → normalised inbound receipts. SendGrid posts `multipart/form-data` with
 * `from`, `to`, `subject`, `text`, `html`, `headers`, `envelope` (JSON: `to`, `from`), `charsets`,
 * `SPF`, `dkim` (read by email-authentication.ts), `attachments` and the attachment files (https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook).
 * The "POST the raw, full MIME message" option must stay off: this parser reads the parsed form.
 *
 * Multipart is read by the runtime's own WHATWG `Response.formData()` (undici, part of Node), so no
 * extra dependency is needed. Fields are decoded as UTF-8, which is what SendGrid sends for
 * UTF-8 mail; other charsets listed in `charsets` are not re-decoded. Attachments are not kept.
 */
import { createHash } from 'node:crypto';
import { Channel, Provider } from '../../contract';
import { WebhookPayloadError } from '../../domain/webhook-errors';
import type { InboundReceipt } from '../../domain/webhook-inputs';
import { readEmailAuthentication } from './email-authentication';

/** Largest body read (SendGrid's own limit for a parsed message is 30 MB; text is what we need). */
export const MAX_INBOUND_PARSE_BYTES = 10 * 1024 * 1024;

/** Parses an Inbound Parse POST; throws {@link WebhookPayloadError} when it is not one. */
export async function parseSendGridInbound(
  body: Buffer,
  contentType: string | undefined,
  receivedAt: Date,
): Promise<InboundReceipt> {
  if (!contentType || !/^multipart\/form-data\s*;.*boundary=/i.test(contentType)) {
    throw new WebhookPayloadError('the body must be multipart/form-data with a boundary');
  }
  if (body.length > MAX_INBOUND_PARSE_BYTES) throw new WebhookPayloadError('the body is too large');
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    throw new WebhookPayloadError('the multipart body cannot be read', { cause: error });
  }
  const field = (name: string): string | undefined => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };

  const envelope = readEnvelope(field('envelope'));
  const headerFrom = addressOf(field('from') ?? '');
  const from = envelope.from ?? headerFrom;
  if (!from) throw new WebhookPayloadError('no sender address in from or envelope');
  const to = envelope.to ?? addressOf(field('to') ?? '') ?? '';
  const html = field('html');
  const text = field('text') ?? (html ? htmlToText(html) : '');
  const subject = field('subject');
  const headers = field('headers') ?? '';
  const messageIdHeader = /^message-id:\s*(<[^>\r\n]{1,250}>)/im.exec(headers)?.[1];
  // Without a Message-ID, the content identifies the message, so a retried POST is still a duplicate.
  const providerMessageId =
    messageIdHeader ?? `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 40)}`;
  return {
    provider: Provider.SENDGRID,
    channel: Channel.EMAIL,
    from,
    to,
    text,
    replyText: latestReply(text),
    ...(subject !== undefined ? { subject: subject.slice(0, 998) } : {}),
    media: [],
    receivedAt: receivedAt.toISOString(),
    providerMessageId,
    eventId: `sendgrid-inbound:${providerMessageId}`,
    emailAuthentication: readEmailAuthentication({
      spf: field('SPF'),
      dkim: field('dkim'),
      headerFrom,
      envelopeFrom: envelope.from,
    }),
  };
}

/** The bare address of `Ada Lovelace <ada@example.com>` or `ada@example.com`, lower-cased. */
export function addressOf(value: string): string | undefined {
  const angle = /<([^<>\s@]+@[^<>\s@]+)>/.exec(value)?.[1];
  const bare = angle ?? /([^\s<>,;:"]+@[^\s<>,;:"]+)/.exec(value)?.[1];
  return bare && bare.length <= 320 ? bare.toLowerCase() : undefined;
}

/** The text before the quoted history of a reply ("On … wrote:", "> …", "-----Original Message-----"). */
export function latestReply(text: string): string {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  for (const line of lines) {
    if (/^\s*>/.test(line) || /^On .{1,300} wrote:\s*$/.test(line) || /^-{2,}\s*Original Message/i.test(line))
      break;
    if (/^Le .{1,300} a écrit\s*:\s*$/.test(line)) break;
    kept.push(line);
  }
  return kept.join('\n').trim();
}

function readEnvelope(raw: string | undefined): { from?: string; to?: string } {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { from, to } = parsed as { from?: unknown; to?: unknown };
    const fromAddress = typeof from === 'string' ? addressOf(from) : undefined;
    const firstTo = Array.isArray(to) ? to[0] : to;
    const toAddress = typeof firstTo === 'string' ? addressOf(firstTo) : undefined;
    return { ...(fromAddress ? { from: fromAddress } : {}), ...(toAddress ? { to: toAddress } : {}) };
  } catch {
    // The envelope is a convenience; the from/to fields are the fallback.
    return {};
  }
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
