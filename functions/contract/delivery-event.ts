/**
 * DeliveryEvent: a normalised status change, whatever the provider said.
 */
import { z } from 'zod';
import { eventId, identifier, metadata, timestamp } from './fields';
import { ChannelSchema, MESSAGE_STATUSES, MessageStatusSchema, ProviderSchema } from './vocabulary';

/** Why an attempt failed. `permanent` means this channel will not reach the person now. */
export const DeliveryErrorSchema = z.strictObject({
  code: z.string().max(64),
  message: z.string().max(1024),
  permanent: z.boolean(),
});
/** A delivery error. */
export type DeliveryError = z.infer<typeof DeliveryErrorSchema>;

/**
 * Why the router chose the channel of a `learned` request, carried by the message's `message.queued`
 * event so that anyone can evaluate the policy offline (inverse propensity weighting needs the
 * probability with which the channel was chosen).
 */
export const RoutingChoiceSchema = z.strictObject({
  strategy: z.literal('learned'),
  /** Probability with which the policy chose this channel (1 when it did not explore). */
  propensity: z.number().min(0).max(1),
  /** Whether the channel was not the one with the best expected worth. */
  explored: z.boolean(),
  /** The one-line reason the timeline shows. */
  explanation: z.string().max(1024),
});
/** A routing choice as an event carries it. */
export type RoutingChoiceOnEvent = z.infer<typeof RoutingChoiceSchema>;

/** Event types: `message.<status>`. */
export const DELIVERY_EVENT_TYPES = MESSAGE_STATUSES.map((status) => `message.${status}` as const);

/** A delivery event. */
export const DeliveryEventSchema = z
  .strictObject({
    type: z.enum(DELIVERY_EVENT_TYPES as [string, ...string[]]),
    /** Stable id of this status change (`<messageId>#<attempt>#<channel>#<status>`): de-duplicate on it. */
    eventId: eventId.optional(),
    requestId: identifier('publisher idempotency key'),
    messageId: z.string().min(1).max(128),
    customerId: identifier('customer id'),
    channel: ChannelSchema.optional(),
    provider: ProviderSchema.optional(),
    providerMessageId: z.string().max(256).optional(),
    status: MessageStatusSchema,
    /**
     * The status's place in `queued → sent → delivered → read` (failures rank highest): statuses of
     * one attempt only move up, so a subscriber orders events of one message by it, then by `at`.
     */
    statusRank: z.number().int().min(0).optional(),
    at: timestamp,
    error: DeliveryErrorSchema.optional(),
    /** On the `message.queued` event of a `learned` request: the choice and its propensity. */
    choice: RoutingChoiceSchema.optional(),
    metadata: metadata.default({}),
  })
  .refine((event) => event.type === `message.${event.status}`, {
    path: ['type'],
    error: 'must be message.<status>',
  });
/** A delivery event. */
export type DeliveryEvent = z.infer<typeof DeliveryEventSchema>;
