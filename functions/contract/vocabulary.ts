/**
 * The words every part of Switchboard shares: channels, providers and statuses.
 * Plain `as const` objects (no TypeScript enums), each with a zod schema and a type.
 */
import { z } from 'zod';

/** How a message reaches a person. */
export const Channel = { SMS: 'sms', WHATSAPP: 'whatsapp', EMAIL: 'email', PUSH: 'push' } as const;
/** A channel name. */
export type Channel = (typeof Channel)[keyof typeof Channel];
/** Every channel, in the default preference order. */
export const CHANNELS = [Channel.SMS, Channel.WHATSAPP, Channel.EMAIL, Channel.PUSH] as const;
/** Schema of a channel name. */
export const ChannelSchema = z.enum(CHANNELS, {
  error: () => `must be one of ${CHANNELS.join(', ')}`,
});

/** Who carries a channel. */
export const Provider = {
  TWILIO: 'twilio',
  SENDGRID: 'sendgrid',
  FCM: 'fcm',
  WEB_PUSH: 'webpush',
  SANDBOX: 'sandbox',
} as const;
/** A provider name. */
export type Provider = (typeof Provider)[keyof typeof Provider];
/** Schema of a provider name. */
export const ProviderSchema = z.enum(Object.values(Provider) as [Provider, ...Provider[]]);

/**
 * Every status a message or one of its attempts can have.
 * Progress: `queued → sent → delivered → read`; email engagement (`opened`, `clicked`) after
 * `delivered`. Failures (`failed`, `undelivered`, `bounced`, `dropped`) end an attempt.
 * `scheduled`, `capped`, `rejected`, `expired`, `undeliverable` and `cancelled` are decided by the
 * router, not a provider; `capped` is a message held back by a frequency cap, deferred (it moves on
 * to `queued` when its window allows) or dropped (it stays `capped`); `cancelled` is a journey's
 * message whose run no longer lets it go (the run exited, say on a purchase), never sent.
 */
export const MessageStatus = {
  SCHEDULED: 'scheduled',
  CAPPED: 'capped',
  QUEUED: 'queued',
  SENT: 'sent',
  DELIVERED: 'delivered',
  READ: 'read',
  OPENED: 'opened',
  CLICKED: 'clicked',
  FAILED: 'failed',
  UNDELIVERED: 'undelivered',
  BOUNCED: 'bounced',
  DROPPED: 'dropped',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  UNDELIVERABLE: 'undeliverable',
  CANCELLED: 'cancelled',
} as const;
/** A status name. */
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];
/** Every status. */
export const MESSAGE_STATUSES = Object.values(MessageStatus) as [MessageStatus, ...MessageStatus[]];
/** Schema of a status name. */
export const MessageStatusSchema = z.enum(MESSAGE_STATUSES);

/** Statuses a provider reports that end an attempt without reaching the person. */
export const FAILURE_STATUSES: readonly MessageStatus[] = [
  MessageStatus.FAILED,
  MessageStatus.UNDELIVERED,
  MessageStatus.BOUNCED,
  MessageStatus.DROPPED,
];

/** What a message is for. Consent is kept per category and channel. */
export const Category = { TRANSACTIONAL: 'transactional', MARKETING: 'marketing' } as const;
/** Schema of a category: the two built-in ones or the user's own lower-case name. */
export const CategorySchema = z
  .string({ error: 'must be a string such as "transactional" or "marketing"' })
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, {
    error:
      'must be "transactional", "marketing" or your own name: a lower-case letter, then up to 63 of a-z 0-9 _ -',
  });

/** Consent states per category and channel. */
export const ConsentStatus = { OPTED_IN: 'opted_in', OPTED_OUT: 'opted_out', UNKNOWN: 'unknown' } as const;
/** A consent state. */
export type ConsentStatus = (typeof ConsentStatus)[keyof typeof ConsentStatus];
/** Schema of a consent state. */
export const ConsentStatusSchema = z.enum(
  [ConsentStatus.OPTED_IN, ConsentStatus.OPTED_OUT, ConsentStatus.UNKNOWN],
  {
    error: 'must be opted_in, opted_out or unknown',
  },
);
