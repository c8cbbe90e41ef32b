/**
 * FallbackRequest: the internal envelope a channel consumer or webhook puts on the outbound queue
 * when a channel will not reach the person, so that the router plans the next channel with fresh
 * consent and preferences. Internal, like ChannelMessage; the router also accepts MessageRequests
 * on the same queue and tells the two apart by `kind`.
 */
import { z } from 'zod';
import { identifier, timestamp } from './fields';
import { ChannelSchema } from './vocabulary';

/** A request to try the next channel of a message. */
export const FallbackRequestSchema = z.strictObject({
  kind: z.literal('fallback'),
  schemaVersion: z.literal(1),
  messageId: z.string().min(1).max(128),
  customerId: identifier('customer id'),
  /** Every channel already tried for this message; the router never tries one of them again. */
  triedChannels: z.array(ChannelSchema).min(1).max(4),
  /** Why the last channel gave up, in plain words (recorded on the timeline). */
  reason: z.string().max(1024),
  requestedAt: timestamp,
});
/** A fallback request. */
export type FallbackRequest = z.infer<typeof FallbackRequestSchema>;
