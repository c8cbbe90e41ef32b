/**
 * Twilio message status callbacks (SMS and WhatsApp) → normalised status updates. Twilio posts
 * `application/x-www-form-urlencoded` with `MessageSid`, `MessageStatus`, `From`, `To`,
 * `AccountSid`, `ApiVersion`, `SmsSid`, `SmsStatus`, and on failure `ErrorCode` (`ErrorMessage`
 * sometimes); WhatsApp adds `ChannelPrefix`, `ChannelToAddress`, `EventType`
 * (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status). Twilio adds
 * parameters without notice, so unknown ones are ignored (the signature still covers them).
 */
import { Channel, ConsentSource, type DeliveryError, MessageStatus, Provider } from '../../contract';
import { WebhookPayloadError } from '../../domain/webhook-errors';
import type { StatusUpdate } from '../../domain/webhook-inputs';

/** Twilio's `MessageStatus` values → Switchboard statuses; absent ones change nothing. */
export const TWILIO_STATUS_MAP: Readonly<Record<string, MessageStatus>> = {
  accepted: MessageStatus.QUEUED,
  scheduled: MessageStatus.QUEUED,
  queued: MessageStatus.QUEUED,
  sending: MessageStatus.SENT,
  sent: MessageStatus.SENT,
  delivered: MessageStatus.DELIVERED,
  read: MessageStatus.READ,
  undelivered: MessageStatus.UNDELIVERED,
  failed: MessageStatus.FAILED,
  canceled: MessageStatus.FAILED,
};

/** Twilio's error when the recipient has replied STOP: the number is blocked until START. */
export const TWILIO_OPTED_OUT_ERROR = '21610';

/**
 * Twilio error codes that mean this channel will not reach this person now (bad or unreachable
 * address, blocked, opted out, not on WhatsApp, window closed); other codes are transient
 * (carrier outage, queue overflow, unknown error) and worth trying again later or elsewhere.
 */
const PERMANENT_ERRORS: Readonly<Record<string, string>> = {
  '21211': 'Invalid To phone number',
  '21408': 'Permission to send to this region is not enabled',
  '21610': 'The recipient replied STOP',
  '21612': 'The To number cannot be reached from this sender',
  '21614': 'The To number is not a mobile number',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30034': 'Sender not registered for US A2P 10DLC',
  '63003': 'The recipient is not a WhatsApp user',
  '63016': 'Outside the WhatsApp 24-hour window: a template is needed',
  '63024': 'Invalid WhatsApp recipient',
};
const TRANSIENT_ERRORS: Readonly<Record<string, string>> = {
  '30001': 'Queue overflow',
  '30003': 'Unreachable destination handset',
  '30008': 'Unknown error',
  '30009': 'Missing segment',
  '30010': 'Message price exceeds max price',
};

/** Twilio's error code → delivery error, with whether it is permanent for this channel. */
export function twilioDeliveryError(code: string, message?: string): DeliveryError {
  const known = PERMANENT_ERRORS[code] ?? TRANSIENT_ERRORS[code];
  return {
    code: code.slice(0, 64),
    message: (message || known || `Twilio error ${code}`).slice(0, 1024),
    permanent: code in PERMANENT_ERRORS,
  };
}

/** Whether a Twilio address is a WhatsApp one (`whatsapp:+14155238886`). */
export function isWhatsAppAddress(address: string): boolean {
  return /^whatsapp:/i.test(address);
}

/** An address without its channel prefix. */
export function withoutChannelPrefix(address: string): string {
  return address.replace(/^[a-z]+:/i, '');
}

/**
 * Normalises one status callback. Returns undefined for statuses that are not about delivery of an
 * outbound message (`receiving`, `received`, new ones Twilio may add); throws
 * {@link WebhookPayloadError} when the callback lacks what every status callback has.
 */
export function parseTwilioStatusCallback(
  params: Readonly<Record<string, string | string[]>>,
  context: {
    readonly idempotencyToken?: string;
    readonly receivedAt: Date;
    /** The query of the (signed) callback URL: the attempt's key as statusCallbackFor put it. */
    readonly query?: URLSearchParams;
  },
): StatusUpdate | undefined {
  const sid = single(params, 'MessageSid') ?? single(params, 'SmsSid');
  const twilioStatus = single(params, 'MessageStatus') ?? single(params, 'SmsStatus');
  if (!sid || !/^(SM|MM)[0-9a-fA-F]{32}$/.test(sid))
    throw new WebhookPayloadError('MessageSid is missing or malformed');
  if (!twilioStatus) throw new WebhookPayloadError('MessageStatus is missing');
  const normalisedStatus = twilioStatus.toLowerCase();
  const status = TWILIO_STATUS_MAP[normalisedStatus];
  if (!status) return undefined;

  const to = single(params, 'To') ?? '';
  const from = single(params, 'From') ?? '';
  const whatsapp =
    single(params, 'ChannelPrefix')?.toLowerCase() === 'whatsapp' ||
    isWhatsAppAddress(to) ||
    isWhatsAppAddress(from);
  const channel = whatsapp ? Channel.WHATSAPP : Channel.SMS;
  const errorCode = single(params, 'ErrorCode');
  const error =
    errorCode && /^\d{1,10}$/.test(errorCode) && errorCode !== '0'
      ? twilioDeliveryError(errorCode, single(params, 'ErrorMessage'))
      : undefined;
  const recipient = to ? withoutChannelPrefix(to) : undefined;
  const key = attemptKeyOf(context.query);
  return {
    provider: Provider.TWILIO,
    channel,
    providerMessageId: sid,
    // Twilio sends the token on every webhook; without it, one callback per SID and status.
    eventId: `twilio:${context.idempotencyToken ?? `${sid}:${normalisedStatus}`}`,
    providerEvent: normalisedStatus,
    status,
    at: context.receivedAt.toISOString(),
    ...(error ? { error } : {}),
    ...(recipient ? { recipient } : {}),
    ...key,
    ...(errorCode === TWILIO_OPTED_OUT_ERROR
      ? {
          consent: {
            status: 'opted_out',
            source: ConsentSource.CARRIER_OPT_OUT,
            reason: `twilio error ${TWILIO_OPTED_OUT_ERROR}`,
            scope: 'channel',
          },
        }
      : {}),
  };
}

/** The single value of a form parameter; a repeated one is malformed for Twilio's fixed fields. */
export function single(
  params: Readonly<Record<string, string | string[]>>,
  name: string,
): string | undefined {
  const value = params[name];
  if (Array.isArray(value)) throw new WebhookPayloadError(`${name} is repeated`);
  return value === undefined || value === '' ? undefined : value;
}

/** The attempt key from a status callback URL's query, or nothing when any part is missing or odd. */
export function attemptKeyOf(
  query: URLSearchParams | undefined,
): { customerId: string; messageId: string; attempt: number } | Record<string, never> {
  const customerId = query?.get('customerId') ?? '';
  const messageId = query?.get('messageId') ?? '';
  const attempt = Number(query?.get('attempt') ?? '');
  const fits = (value: string) => value.length > 0 && value.length <= 128;
  if (!fits(customerId) || !fits(messageId) || !Number.isInteger(attempt) || attempt < 1 || attempt > 8) {
    return {};
  }
  return { customerId, messageId, attempt };
}
