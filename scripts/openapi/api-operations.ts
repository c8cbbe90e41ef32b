/**
 * The `/v1` API's operations, keyed by API Gateway's route key (`METHOD path`), as in
 * infra/routes.ts. To describe a new route, add it there and one entry here; the OpenAPI tests fail
 * until both lists agree.
 */

import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from 'zod-openapi';
import {
  ApiErrorBodySchema,
  AttributionReportQuerySchema,
  AttributionReportSchema,
  ConsentChangeSchema,
  CustomerBodySchema,
  CustomerSchema,
  identifier,
  JourneyCancelRequestSchema,
  JourneyIdSchema,
  JourneyListSchema,
  JourneyRunsCancelledSchema,
  JourneyStatsSchema,
  MessageAcceptedSchema,
  MessageRequestSchema,
  TIMELINE_CHANNELS,
  TIMELINE_ENTRY_TYPES,
  TimelinePageSchema,
  TOUCHPOINT_BATCH_MAX_BYTES,
  TouchpointEventSchema,
  TouchpointsAcceptedSchema,
} from '../../functions/contract';
import { TouchpointBatchDocumentSchema } from '../json-schemas';

const customerPath = z.object({
  customerId: identifier('customer id').meta({ description: 'The customer id, as in the profile.' }),
});

const journeyPath = z.object({
  journeyId: JourneyIdSchema.meta({ description: "The journey's id: its file's name in journeys/." }),
});

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

/** An error answer with the API's error body. */
function problem(description: string): ZodOpenApiResponseObject {
  return { description, content: json(ApiErrorBodySchema) };
}

const invalid = problem('The request does not match the contract: `issues` names every bad field.');
const notFound = problem('No such customer.');
const noJourney = problem('No deployed journey has this id.');
const customer = (description: string): ZodOpenApiResponseObject => ({
  description,
  content: json(CustomerBodySchema),
});

/** Every `/v1` operation, by route key. */
export const API_OPERATIONS: Record<string, ZodOpenApiOperationObject> = {
  'PUT /v1/customers/{customerId}': {
    operationId: 'putCustomer',
    summary: 'Create or replace a customer profile',
    description:
      'The body is a Customer; its `customerId` may be left out and, when given, must match the path.',
    tags: ['Customers'],
    requestParams: { path: customerPath },
    requestBody: { required: true, content: json(CustomerSchema.partial({ customerId: true })) },
    responses: {
      '200': customer('The profile was replaced.'),
      '201': customer('The profile was created.'),
      '400': invalid,
      '409': problem('An address is already used by another customer (`address_in_use`).'),
    },
  },
  'GET /v1/customers/{customerId}': {
    operationId: 'getCustomer',
    summary: 'Read a customer profile',
    tags: ['Customers'],
    requestParams: { path: customerPath },
    responses: { '200': customer('The profile.'), '400': invalid, '404': notFound },
  },
  'DELETE /v1/customers/{customerId}': {
    operationId: 'eraseCustomer',
    summary: 'Erase a customer and their timeline',
    description: 'Hashed opt-outs are kept, so an erased customer is never messaged against a refusal.',
    tags: ['Customers'],
    requestParams: { path: customerPath },
    responses: { '204': { description: 'Erased (also when there was nothing to erase).' }, '400': invalid },
  },
  'PUT /v1/customers/{customerId}/consent': {
    operationId: 'putConsent',
    summary: 'Record one consent decision',
    description: '`at` defaults to now and `source` to `api`.',
    tags: ['Customers'],
    requestParams: { path: customerPath },
    requestBody: { required: true, content: json(ConsentChangeSchema) },
    responses: { '200': customer('The profile with the decision.'), '400': invalid, '404': notFound },
  },
  'GET /v1/customers/{customerId}/timeline': {
    operationId: 'getTimeline',
    summary: "One page of a customer's timeline: typed entries, newest first",
    description:
      'One stream of entries, each with a `type`: `message` (its `status` rolled up from its attempts), `inbound`, `consent`, `touchpoint`, `conversion`, `click`, `journey` (a moment of a journey run: entered, held-out, a step taken with its outcome, waiting, exited with why); more kinds may be added, so skip a `type` you do not know. A filtered page is filled from further down the timeline where it can be; a page may come back short (even empty) with a `nextCursor` when the filters dropped everything within the items one request reads.',
    tags: ['Customers'],
    requestParams: {
      path: customerPath,
      query: z.object({
        limit: z.coerce
          .number()
          .int()
          .min(1)
          .max(100)
          .default(25)
          .optional()
          .meta({ description: 'Entries per page.' }),
        cursor: z.string().optional().meta({ description: "The previous page's `nextCursor`." }),
        types: z
          .string()
          .optional()
          .meta({
            description: `Only these kinds, comma-separated: ${TIMELINE_ENTRY_TYPES.join(', ')}.`,
            example: 'message,conversion',
          }),
        channels: z
          .string()
          .optional()
          .meta({
            description: `Only entries on these channels, comma-separated: ${TIMELINE_CHANNELS.join(', ')}. A message is on the channels of its attempts; a reply, click or consent change on its channel; a touchpoint or conversion where it happened; a journey entry on none.`,
            example: 'whatsapp,store',
          }),
        since: z.string().optional().meta({
          description: 'Only entries at or after this ISO 8601 date-time (with a time zone).',
          example: '2026-11-23T00:00:00Z',
        }),
      }),
    },
    responses: {
      '200': { description: 'One page.', content: json(TimelinePageSchema) },
      '400': invalid,
    },
  },
  'POST /v1/messages': {
    operationId: 'sendMessage',
    summary: 'Validate a MessageRequest and put it on the outbound queue',
    description:
      'Give either `template` (with `data`) or `content`, not both. A repeated `requestId` for the same customer is the same message.',
    tags: ['Messages'],
    requestBody: { required: true, content: json(MessageRequestSchema) },
    responses: {
      '202': {
        description: 'Accepted: the message is on the outbound queue.',
        content: json(MessageAcceptedSchema),
      },
      '400': invalid,
    },
  },
  'POST /v1/events': {
    operationId: 'recordEvents',
    summary: 'Record Segment-spec touchpoint events (track, identify, page), one or a batch',
    description:
      'One event, or `{ "batch": [...] }` with at most 100 events and 500 KB. Each event needs a `messageId` ' +
      '(the de-duplication key) and a `userId` (the customer id) or an `anonymousId`; a track needs `event`. ' +
      'Fields Switchboard does not use (`writeKey`, `sentAt`, `integrations`, `_metadata`, `context.library`, …) ' +
      'are accepted and ignored. Each event is parsed on its own: the valid ones are kept and a bad one is ' +
      'reported with its index and field issues. An `identify` with both ids stitches the anonymous history ' +
      'onto the customer; its `traits` update `attributes` (never addresses or consent).',
    tags: ['Events'],
    requestBody: {
      required: true,
      content: json(z.union([TouchpointEventSchema, TouchpointBatchDocumentSchema])),
    },
    responses: {
      '202': {
        description: 'At least one event was kept (accepted or a duplicate); one result per event, in order.',
        content: json(TouchpointsAcceptedSchema),
      },
      '400': problem(
        'No event could be kept, or the body is neither an event nor a batch: `issues` names every bad field.',
      ),
      '413': problem(`The body is over ${TOUCHPOINT_BATCH_MAX_BYTES} bytes (\`payload_too_large\`).`),
    },
  },
  'GET /v1/reports/attribution': {
    operationId: 'getAttributionReport',
    summary: 'Sent, delivered, engaged, conversions and revenue per channel, template or campaign',
    description:
      'Read from aggregates kept as events arrive (one Query per aggregate shard, whatever the number of ' +
      'events): conversions are credited to the message touches before them within the window, under the ' +
      '`last` (default), `first` or `linear` model. `from` and `to` are inclusive UTC days, at most 366 apart.',
    tags: ['Reports'],
    requestParams: { query: AttributionReportQuerySchema },
    responses: {
      '200': {
        description: 'One row per group, most conversions first.',
        content: json(AttributionReportSchema),
      },
      '400': invalid,
    },
  },
  'GET /v1/journeys': {
    operationId: 'listJourneys',
    summary: 'The deployed journeys, each with its current version and steps',
    tags: ['Journeys'],
    responses: { '200': { description: 'Every deployed journey.', content: json(JourneyListSchema) } },
  },
  'GET /v1/journeys/{journeyId}/stats': {
    operationId: 'getJourneyStats',
    summary: "A journey's counts: entered, held out, waiting, exited per reason, converted, and per step",
    description:
      'Every version of the journey summed, read from sharded counters (one Query per shard, whatever the ' +
      "number of runs). `converted` counts runs ended by a goal (`exitOn`); a step's `outcomes` split its " +
      '`taken` by what happened there.',
    tags: ['Journeys'],
    requestParams: { path: journeyPath },
    responses: {
      '200': { description: 'The counts.', content: json(JourneyStatsSchema) },
      '400': invalid,
      '404': noJourney,
    },
  },
  'POST /v1/journeys/{journeyId}/cancel': {
    operationId: 'cancelJourneyRuns',
    summary: "Cancel a customer's active runs of a journey, or the run of one business key",
    description:
      'Each cancelled run exits with the reason `cancelled` (shown on the timeline); a send it asked for ' +
      'and the router has not dispatched yet is not sent. Cancelling again, or when nothing is active, ' +
      'answers `{ "cancelled": 0 }`.',
    tags: ['Journeys'],
    requestParams: { path: journeyPath },
    requestBody: { required: true, content: json(JourneyCancelRequestSchema) },
    responses: {
      '200': {
        description: 'How many active runs were cancelled.',
        content: json(JourneyRunsCancelledSchema),
      },
      '400': invalid,
      '404': noJourney,
    },
  },
};
