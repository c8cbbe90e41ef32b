/**
 * ConsentChangedEvent: a customer's consent on one channel changed, with when and why.
 * Published on the events topic with the `type` attribute `customer.consent_changed`.
 */
import { z } from 'zod';
import { eventId, identifier, metadata, timestamp } from './fields';
import { CategorySchema, ChannelSchema, ConsentStatusSchema } from './vocabulary';

/** The event type, also the SNS `type` message attribute. */
export const CONSENT_CHANGED_EVENT_TYPE = 'customer.consent_changed' as const;

/** Where a consent change came from; the same names are stored as the consent record's `source`. */
export const ConsentSource = {
  /** The customer replied with a keyword (STOP, START, …) by SMS. */
  SMS_KEYWORD: 'sms-keyword',
  /** The customer replied with a keyword on WhatsApp. */
  WHATSAPP_KEYWORD: 'whatsapp-keyword',
  /** A plain-language request ("please stop texting me") that configuration treats as an opt-out. */
  PLAIN_LANGUAGE: 'plain-language',
  /** Twilio refused to send because the number had replied STOP (error 21610). */
  CARRIER_OPT_OUT: 'carrier-opt-out',
  /** The SendGrid unsubscribe link (global unsubscribe). */
  EMAIL_UNSUBSCRIBE: 'email-unsubscribe',
  /** A SendGrid unsubscribe group (ASM) link. */
  EMAIL_GROUP_UNSUBSCRIBE: 'email-group-unsubscribe',
  /** The recipient marked the email as spam. */
  EMAIL_SPAM_REPORT: 'email-spamreport',
} as const;
/** A consent source. */
export type ConsentSource = (typeof ConsentSource)[keyof typeof ConsentSource];

/** A consent change: one customer, one channel, the categories it applies to, the new status. */
export const ConsentChangedEventSchema = z.strictObject({
  type: z.literal(CONSENT_CHANGED_EVENT_TYPE),
  /** Stable id of this change (customer, channel, status, time, source): de-duplicate on it. */
  eventId: eventId.optional(),
  customerId: identifier('customer id'),
  channel: ChannelSchema,
  /** Every category whose consent on this channel was set (a STOP covers them all). */
  categories: z.array(CategorySchema).min(1).max(64),
  status: ConsentStatusSchema,
  /** Where it came from: one of {@link ConsentSource}. */
  source: z.enum(Object.values(ConsentSource) as [ConsentSource, ...ConsentSource[]]),
  /** Why, in words: the keyword, the provider event or the phrase rule. Never the message text. */
  reason: z.string().min(1).max(256),
  at: timestamp,
  /** The message that caused it: the inbound reply, or the outbound email unsubscribed from. */
  messageId: z.string().min(1).max(128).optional(),
  /** The provider's id of that message. */
  providerMessageId: z.string().max(256).optional(),
  /** The original request's metadata when the change came from an outbound message. */
  metadata: metadata.default({}),
});
/** A consent change event. */
export type ConsentChangedEvent = z.infer<typeof ConsentChangedEventSchema>;
