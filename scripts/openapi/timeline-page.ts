/**
 * The timeline page as `GET /v1/customers/{customerId}/timeline` returns it. The ledger's types
 * (functions/domain/ports.ts `TimelinePage`) are TypeScript only, so this describes their main
 * fields for readers and leaves the rest open; issue 17 replaces the page with typed entries from
 * a zod contract, and this file with it.
 */
import { z } from 'zod';
import {
  ChannelSchema,
  InboundMessageSchema,
  MessageStatusSchema,
  TouchpointChannelSchema,
  TouchpointTypeSchema,
  timestamp,
} from '../../functions/contract';

const AttemptSchema = z.looseObject({
  channel: ChannelSchema,
  attempt: z.number().int(),
  status: MessageStatusSchema,
  queuedAt: timestamp,
  provider: z.string().optional(),
  providerMessageId: z.string().optional(),
});

const TimelineMessageSchema = z.looseObject({
  messageId: z.string(),
  requestId: z.string(),
  customerId: z.string(),
  createdAt: timestamp,
  status: MessageStatusSchema.meta({ description: "The router's status: scheduled, queued, rejected, …" }),
  reasons: z.array(z.string()),
  summaryStatus: MessageStatusSchema.meta({ description: "The message's status over its attempts." }),
  attemptRecords: z.array(AttemptSchema),
});

const TimelineTouchpointSchema = z.looseObject({
  messageId: z.string().meta({ description: "The publisher's de-duplication key (Segment `messageId`)." }),
  type: TouchpointTypeSchema,
  name: z.string().optional().meta({ description: '`event` of a track, `name` of a page.' }),
  customerId: z.string().optional(),
  anonymousId: z.string().optional(),
  occurredAt: timestamp,
  receivedAt: timestamp,
  channel: TouchpointChannelSchema.optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  traits: z.record(z.string(), z.unknown()).optional(),
  context: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'channel, campaign (UTM), locale, page.' }),
});

/** One page of a customer's timeline. */
export const TimelinePageSchema = z.strictObject({
  items: z.array(TimelineMessageSchema).meta({ description: 'Messages, newest first.' }),
  inbound: z
    .array(InboundMessageSchema.loose())
    .meta({ description: "The customer's inbound messages in the same stretch of time, newest first." }),
  touchpoints: z.array(TimelineTouchpointSchema).meta({
    description:
      'What the customer did on the web, in the app or a store, in the same stretch of time, newest first.',
  }),
  nextCursor: z.string().optional().meta({ description: 'Pass back as `cursor`; absent on the last page.' }),
});
