/**
 * InboundMessage: a customer's reply or message on any channel.
 */
import { z } from 'zod';
import { eventId, identifier, timestamp } from './fields';
import { ChannelSchema, ProviderSchema } from './vocabulary';

/** A media attachment of an inbound message. */
export const InboundMediaSchema = z.strictObject({
  url: z.string().max(2048),
  contentType: z.string().max(128).optional(),
});

/** An inbound message. */
export const InboundMessageSchema = z.strictObject({
  type: z.literal('message.inbound'),
  /** Stable id (`inbound#<provider>#<providerMessageId>`): de-duplicate on it. */
  eventId: eventId.optional(),
  customerId: identifier('customer id').optional(),
  channel: ChannelSchema,
  from: z.string().min(1).max(320),
  text: z.string().max(64 * 1024),
  media: z.array(InboundMediaSchema).max(10).default([]),
  receivedAt: timestamp,
  inReplyTo: z.string().max(128).optional(),
  provider: ProviderSchema,
  providerMessageId: z.string().max(256),
});
/** An inbound message. */
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
