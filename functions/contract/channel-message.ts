/**
 * ChannelMessage: the internal envelope the router puts on a channel queue. One per attempt.
 * Internal, so it may change between releases; it is still parsed by every channel consumer.
 */
import { z } from 'zod';
import { e164Address, emailAddress, identifier, metadata, timestamp, utf8Bytes, webUrl } from './fields';
import { TemplateNameSchema, TrackingSchema } from './message-request';
import { PushDeviceSchema } from './push-device';
import { CategorySchema, ChannelSchema } from './vocabulary';

/** SQS's message size limit, less headroom for attributes. */
export const MAX_CHANNEL_MESSAGE_BYTES = 240 * 1024;

/** An approved WhatsApp template (Twilio Content API) with its variables. */
export const WhatsAppTemplateSchema = z.strictObject({
  contentSid: z
    .string()
    .regex(/^HX[0-9a-fA-F]{32}$/, { error: 'must be a Twilio Content SID (HX + 32 hex)' }),
  variables: z.record(z.string().regex(/^\w{1,32}$/), z.string().max(1024)).default({}),
});
/** A WhatsApp template reference. */
export type WhatsAppTemplate = z.infer<typeof WhatsAppTemplateSchema>;

/** What the person will see, rendered for the channel. */
export const RenderedContentSchema = z.strictObject({
  text: z
    .string()
    .max(64 * 1024)
    .optional(),
  subject: z.string().max(998).optional(),
  html: z
    .string()
    .max(200 * 1024)
    .optional(),
  title: z.string().max(256).optional(),
  url: webUrl.optional(),
  imageUrl: webUrl.optional(),
  /** For WhatsApp outside the 24-hour window. */
  whatsappTemplate: WhatsAppTemplateSchema.optional(),
});
/** Rendered content. */
export type RenderedContent = z.infer<typeof RenderedContentSchema>;

const base = {
  schemaVersion: z.literal(1),
  messageId: z.string().min(1).max(128),
  requestId: identifier('publisher idempotency key'),
  customerId: identifier('customer id'),
  category: CategorySchema,
  /** 1 for the first channel tried, 2 for the first fallback, … */
  attempt: z.number().int().min(1).max(8),
  content: RenderedContentSchema,
  /** Channels still to try if this one fails and the request allows fallback. */
  fallbackChannels: z.array(ChannelSchema).max(4).default([]),
  receiptTimeoutSeconds: z.number().int().positive().optional(),
  expiresAt: timestamp.optional(),
  metadata: metadata.default({}),
  /** The request's tracking options (domain/links/link-tracking.ts decides with the category's). */
  tracking: TrackingSchema.optional(),
  /** The request's template, kept on the attempt so the ledger stream can count by template (docs/attribution.md). */
  template: TemplateNameSchema.optional(),
  queuedAt: timestamp,
};

/** A message for one channel. */
export const ChannelMessageSchema = z
  .discriminatedUnion('channel', [
    z.strictObject({ ...base, channel: z.literal('sms'), to: e164Address }),
    z.strictObject({
      ...base,
      channel: z.literal('whatsapp'),
      to: e164Address,
      /** Until when the customer's 24-hour service window is open, if it is. */
      windowOpenUntil: timestamp.optional(),
    }),
    z.strictObject({ ...base, channel: z.literal('email'), to: emailAddress }),
    z.strictObject({ ...base, channel: z.literal('push'), to: z.array(PushDeviceSchema).min(1).max(10) }),
  ])
  .refine((message) => utf8Bytes(JSON.stringify(message)) <= MAX_CHANNEL_MESSAGE_BYTES, {
    error: `must be at most ${MAX_CHANNEL_MESSAGE_BYTES} bytes as JSON`,
  });
/** A message for one channel. */
export type ChannelMessage = z.infer<typeof ChannelMessageSchema>;
