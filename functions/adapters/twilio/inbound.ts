/**
 * Twilio inbound messages (SMS, MMS and WhatsApp) → normalised inbound receipts. Twilio posts
 * `MessageSid`, `From`, `To`, `Body`, `NumMedia`, `MediaUrl{N}`, `MediaContentType{N}` (N from 0),
 * and for WhatsApp `whatsapp:`-prefixed addresses plus `ProfileName`, `WaId`
 * (https://www.twilio.com/docs/messaging/guides/webhook-request).
 */
import { Channel, Provider } from '../../contract';
import { WebhookPayloadError } from '../../domain/webhook-errors';
import type { InboundMedia, InboundReceipt } from '../../domain/webhook-inputs';
import { isWhatsAppAddress, single, withoutChannelPrefix } from './status';

/** Most media Twilio attaches to one message. */
export const TWILIO_MAX_MEDIA = 10;

/** Normalises one inbound message; throws {@link WebhookPayloadError} when it is not one. */
export function parseTwilioInbound(
  params: Readonly<Record<string, string | string[]>>,
  context: { readonly idempotencyToken?: string; readonly receivedAt: Date },
): InboundReceipt {
  const sid = single(params, 'MessageSid') ?? single(params, 'SmsMessageSid');
  if (!sid || !/^(SM|MM)[0-9a-fA-F]{32}$/.test(sid))
    throw new WebhookPayloadError('MessageSid is missing or malformed');
  const rawFrom = single(params, 'From');
  const rawTo = single(params, 'To');
  if (!rawFrom) throw new WebhookPayloadError('From is missing');
  if (!rawTo) throw new WebhookPayloadError('To is missing');
  const from = withoutChannelPrefix(rawFrom);
  if (from.length === 0 || from.length > 320) throw new WebhookPayloadError('From is not an address');
  const text = single(params, 'Body') ?? '';
  const numMediaRaw = single(params, 'NumMedia') ?? '0';
  if (!/^\d{1,2}$/.test(numMediaRaw) || Number(numMediaRaw) > TWILIO_MAX_MEDIA) {
    throw new WebhookPayloadError(`NumMedia must be 0 to ${TWILIO_MAX_MEDIA}`);
  }
  const media: InboundMedia[] = [];
  for (let index = 0; index < Number(numMediaRaw); index++) {
    const url = single(params, `MediaUrl${index}`);
    if (!url || !/^https?:\/\//i.test(url) || url.length > 2048) {
      throw new WebhookPayloadError(`MediaUrl${index} is missing or not a URL`);
    }
    const contentType = single(params, `MediaContentType${index}`);
    media.push({ url, ...(contentType ? { contentType: contentType.slice(0, 128) } : {}) });
  }
  return {
    provider: Provider.TWILIO,
    channel: isWhatsAppAddress(rawFrom) ? Channel.WHATSAPP : Channel.SMS,
    from,
    to: withoutChannelPrefix(rawTo),
    text,
    replyText: text,
    media,
    receivedAt: context.receivedAt.toISOString(),
    providerMessageId: sid,
    eventId: `twilio:${context.idempotencyToken ?? sid}`,
  };
}
