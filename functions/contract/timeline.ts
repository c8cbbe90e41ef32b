/**
 * The customer timeline as `GET /v1/customers/{customerId}/timeline` returns it: one stream of typed
 * entries, newest first, a discriminated union on `type`. A new kind is one
 * more schema in {@link TimelineEntrySchema}'s list and one more name in {@link TIMELINE_ENTRY_TYPES}.
 */
import { z } from 'zod';
import { DeliveryErrorSchema, RoutingChoiceSchema } from './delivery-event';
import { timestamp } from './fields';
import { InboundMessageSchema } from './inbound-message';
import { MessageRequestSchema } from './message-request';
import { TOUCHPOINT_CHANNELS, TouchpointChannelSchema, TouchpointTypeSchema } from './touchpoint-event';
import { CHANNELS, ChannelSchema, ConsentStatusSchema, MessageStatusSchema } from './vocabulary';

/** Every kind of timeline entry, as `types=` names them. */
export const TIMELINE_ENTRY_TYPES = [
  'message',
  'inbound',
  'consent',
  'touchpoint',
  'conversion',
  'click',
  'journey',
] as const;
/** A kind of timeline entry. */
export type TimelineEntryType = (typeof TIMELINE_ENTRY_TYPES)[number];

/**
 * Every channel `channels=` takes: the message channels (messages, replies, clicks, consent) and
 * where a touchpoint happened (touchpoints, conversions).
 */
export const TIMELINE_CHANNELS = [...CHANNELS, ...TOUCHPOINT_CHANNELS] as const;
/** A channel a timeline entry can be filtered by. */
export type TimelineChannel = (typeof TIMELINE_CHANNELS)[number];

const at = timestamp.meta({ description: 'When it happened; entries are ordered by it, newest first.' });

/** One status a message or an attempt went through. */
export const TimelineStatusChangeSchema = z.object({
  status: MessageStatusSchema,
  at: timestamp,
  reason: z.string().optional(),
  channel: ChannelSchema.optional(),
});
/** One status change on a timeline. */
export type TimelineStatusChange = z.infer<typeof TimelineStatusChangeSchema>;

/** One attempt of a message on one channel, with its own status and history. */
export const TimelineAttemptSchema = z.object({
  channel: ChannelSchema,
  attempt: z
    .number()
    .int()
    .min(1)
    .meta({ description: '1 for the first channel, 2 for the first fallback, …' }),
  status: MessageStatusSchema,
  queuedAt: z.string(),
  provider: z.string().optional(),
  providerMessageId: z.string().optional(),
  history: z.array(TimelineStatusChangeSchema),
  error: DeliveryErrorSchema.optional(),
  details: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
    .optional()
    .meta({ description: 'Provider facts such as SMS segments.' }),
});
/** One attempt of a message on a timeline. */
export type TimelineAttempt = z.infer<typeof TimelineAttemptSchema>;

/** An outbound message, its status rolled up from its attempts. */
export const TimelineMessageEntrySchema = z.object({
  type: z.literal('message'),
  at,
  messageId: z.string(),
  requestId: z.string(),
  category: z.string().optional(),
  status: MessageStatusSchema.meta({
    description:
      "The message's status over its attempts: the furthest one (an email `opened` makes the message `opened`), a failure only when every attempt failed, or the router's own when it ended the message.",
  }),
  routerStatus: MessageStatusSchema.meta({
    description:
      "The router's status: scheduled, capped, queued, rejected, expired, undeliverable or cancelled (a journey's message stopped because its run exited).",
  }),
  history: z.array(TimelineStatusChangeSchema).meta({ description: "The router's status changes." }),
  request: MessageRequestSchema.optional().meta({
    description: 'Absent for a request rejected before it parsed.',
  }),
  reasons: z.array(z.string()),
  deliverAt: timestamp.optional(),
  skipped: z
    .partialRecord(ChannelSchema, z.string())
    .meta({ description: 'Channels the router skipped, with why.' }),
  fallbackChannels: z.array(ChannelSchema),
  attempts: z.array(TimelineAttemptSchema),
  metadata: z.record(z.string(), z.string()),
  choice: RoutingChoiceSchema.extend({ channel: ChannelSchema }).optional(),
});
/** An outbound message on a timeline. */
export type TimelineMessageEntry = z.infer<typeof TimelineMessageEntrySchema>;

/** A customer's inbound message (a reply), with what it meant for consent. */
export const TimelineInboundEntrySchema = InboundMessageSchema.omit({ type: true, eventId: true }).extend({
  type: z.literal('inbound'),
  at,
  consentIntent: z.string().optional().meta({ description: '`opt_out`, `opt_in`, `help`, `review`, …' }),
  consentMatched: z.string().optional(),
  subject: z.string().optional(),
  senderVerified: z.literal(false).optional(),
  senderUnverifiedReason: z.string().optional(),
});
/** An inbound message on a timeline. */
export type TimelineInboundEntry = z.infer<typeof TimelineInboundEntrySchema>;

/** One consent change from the profile's history. */
export const TimelineConsentEntrySchema = z.object({
  type: z.literal('consent'),
  at,
  category: z.string(),
  channel: ChannelSchema,
  status: ConsentStatusSchema,
  source: z.string(),
  reason: z.string().optional(),
  messageId: z.string().optional().meta({ description: 'The message the signal came with, when known.' }),
});
/** A consent change on a timeline. */
export type TimelineConsentEntry = z.infer<typeof TimelineConsentEntrySchema>;

/** What the customer did on the web, in the app, in a store (a Segment-spec call). */
export const TimelineTouchpointEntrySchema = z.object({
  type: z.literal('touchpoint'),
  at,
  messageId: z.string().meta({ description: "The publisher's de-duplication key (Segment `messageId`)." }),
  call: TouchpointTypeSchema.meta({ description: 'The Segment call: track, identify or page.' }),
  name: z.string().optional().meta({ description: '`event` of a track, `name` of a page.' }),
  channel: TouchpointChannelSchema.optional(),
  customerId: z.string().optional(),
  anonymousId: z.string().optional(),
  occurredAt: timestamp,
  receivedAt: z.string(),
  properties: z.record(z.string(), z.unknown()).optional(),
  traits: z.record(z.string(), z.unknown()).optional(),
  context: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'channel, campaign (UTM), locale, page.' }),
  source: z.object({ sourceId: z.string(), kind: z.enum(['client', 'server']) }).optional(),
});
/** A touchpoint on a timeline. */
export type TimelineTouchpointEntry = z.infer<typeof TimelineTouchpointEntrySchema>;

/** How much of a conversion one message touch is credited with, under each attribution model. */
export const ConversionCreditSchema = z.object({
  messageId: z.string(),
  channel: ChannelSchema,
  template: z.string().optional(),
  campaign: z.string().optional(),
  weight: z.object({ last: z.number(), first: z.number(), linear: z.number() }),
});
/** A message credited with a conversion. */
export type ConversionCredit = z.infer<typeof ConversionCreditSchema>;

/** A touchpoint that counted as a goal, with the messages credited for it. */
export const TimelineConversionEntrySchema = z.object({
  type: z.literal('conversion'),
  at,
  conversionId: z.string().meta({ description: "The converting touchpoint's messageId." }),
  event: z.string(),
  occurredAt: timestamp,
  channel: TouchpointChannelSchema.optional(),
  revenue: z.number().optional(),
  currency: z.string().optional(),
  sourceKind: z
    .enum(['client', 'server'])
    .optional()
    .meta({ description: '`client` when a public (browser, app) key sent it.' }),
  credits: z.array(ConversionCreditSchema),
});
/** A conversion on a timeline. */
export type TimelineConversionEntry = z.infer<typeof TimelineConversionEntrySchema>;

/** A click on a tracked link of a message. */
export const TimelineClickEntrySchema = z.object({
  type: z.literal('click'),
  at,
  token: z.string(),
  messageId: z.string(),
  attempt: z.number().int(),
  channel: ChannelSchema.meta({ description: "The message's channel." }),
  url: z.string().meta({ description: 'The original URL.' }),
  clickedAt: timestamp,
});
/** A click on a timeline. */
export type TimelineClickEntry = z.infer<typeof TimelineClickEntrySchema>;

/** What a `journey` entry records: the run entered, was held out, took a step, waits, or ended. */
export const JOURNEY_TIMELINE_EVENTS = ['entered', 'held-out', 'step', 'waiting', 'exited'] as const;

/**
 * One moment of a customer's run through a journey: derived from the run as stored (its path, where
 * it waits and how it ended), so it says why each of the journey's messages was sent.
 */
export const TimelineJourneyEntrySchema = z.object({
  type: z.literal('journey'),
  at,
  event: z.enum(JOURNEY_TIMELINE_EVENTS).meta({
    description:
      '`entered`, `held-out` (in the holdout group: takes every step, sends nothing), `step` (a step taken, with its `outcome`), `waiting` (in a wait or waitFor step), `exited` (with `reason`).',
  }),
  journeyId: z.string(),
  journeyVersion: z.number().int().meta({ description: 'The document version the run started on.' }),
  runId: z.string(),
  key: z.string().meta({ description: 'The business key the run is for (`cartId` value), `-` without one.' }),
  entryEvent: z.string().optional().meta({ description: 'For `entered`: the event that started the run.' }),
  stepId: z.string().optional(),
  outcome: z.string().optional().meta({
    description:
      'For `step`: what happened there (`sent cart-reminder`, `held-out: not sent`, `timeout`, `event Order Completed`, `waited`, `case 1`, `otherwise`, `path 2`).',
  }),
  requestId: z
    .string()
    .optional()
    .meta({ description: "For a `step` that sent: the message's requestId (its metadata names the step)." }),
  until: timestamp.optional().meta({
    description:
      'For `waiting`: when the wait ends unless an event comes first; given for the wait the run is in now.',
  }),
  reason: z
    .enum(['completed', 'goal', 'cancelled'])
    .optional()
    .meta({ description: 'For `exited`: an exit step, a goal event, or a cancel.' }),
  detail: z
    .string()
    .optional()
    .meta({ description: "For `exited`: the exit step's reason, the goal event, or the cancel's detail." }),
});
/** A moment of a journey run on a timeline. */
export type TimelineJourneyEntry = z.infer<typeof TimelineJourneyEntrySchema>;

/** One entry of a customer's timeline. */
export const TimelineEntrySchema = z.discriminatedUnion('type', [
  TimelineMessageEntrySchema,
  TimelineInboundEntrySchema,
  TimelineConsentEntrySchema,
  TimelineTouchpointEntrySchema,
  TimelineConversionEntrySchema,
  TimelineClickEntrySchema,
  TimelineJourneyEntrySchema,
]);
/** One entry of a customer's timeline. */
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/** One page of a customer's timeline, newest first. */
export const TimelinePageSchema = z.object({
  entries: z.array(TimelineEntrySchema).meta({ description: 'Newest first.' }),
  nextCursor: z.string().optional().meta({ description: 'Pass back as `cursor`; absent on the last page.' }),
});
/** One page of a customer's timeline. */
export type TimelinePage = z.infer<typeof TimelinePageSchema>;
