/**
 * The JSON Schema documents generated from the zod contract, by file name.
 * Input shapes (what a publisher writes: defaults optional), draft 2020-12.
 */
import { z } from 'zod';
import {
  ConsentChangedEventSchema,
  CustomerSchema,
  DeliveryEventSchema,
  InboundMessageSchema,
  JourneySchema,
  MessageRequestSchema,
  TOUCHPOINT_BATCH_MAX_EVENTS,
  TouchpointEventSchema,
} from '../functions/contract';

const BASE_ID = 'https://switchboard.dev/schemas/v1';

/**
 * A cross-field rule the zod refinement of MessageRequest enforces and JSON Schema can express too:
 * a template or content, not both. Also added to the OpenAPI document's MessageRequest.
 */
export function templateOrContent(): Record<string, unknown>[] {
  return [
    { required: ['template'], not: { required: ['content'] } },
    { required: ['content'], not: { required: ['template'] } },
  ];
}

/**
 * The cross-field rules of a touchpoint event that JSON Schema can express: a userId or an
 * anonymousId, and an `event` name on a track. Also added to the OpenAPI document's event.
 */
export function touchpointEventRules(): Record<string, unknown> {
  return {
    anyOf: [{ required: ['userId'] }, { required: ['anonymousId'] }],
    if: { properties: { type: { const: 'track' } }, required: ['type'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
    then: { required: ['event'] },
  };
}

/** Several touchpoint events in one body, with each event described (the API parses them one by one). */
export const TouchpointBatchDocumentSchema = z.looseObject({
  batch: z.array(TouchpointEventSchema).min(1).max(TOUCHPOINT_BATCH_MAX_EVENTS),
});

/** Every published schema, keyed by its file name under schemas/. */
export function contractJsonSchemas(): Record<string, Record<string, unknown>> {
  const documents = {
    'message-request.schema.json': ['MessageRequest', MessageRequestSchema],
    'customer.schema.json': ['Customer', CustomerSchema],
    'delivery-event.schema.json': ['DeliveryEvent', DeliveryEventSchema],
    'inbound-message.schema.json': ['InboundMessage', InboundMessageSchema],
    'consent-changed-event.schema.json': ['ConsentChangedEvent', ConsentChangedEventSchema],
    'touchpoint-event.schema.json': ['TouchpointEvent', TouchpointEventSchema],
    'touchpoint-batch.schema.json': ['TouchpointBatch', TouchpointBatchDocumentSchema],
    'journey.schema.json': ['Journey', JourneySchema],
  } as const;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [file, [title, schema]] of Object.entries(documents)) {
    out[file] = {
      $id: `${BASE_ID}/${file}`,
      title,
      ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    };
  }
  const request = out['message-request.schema.json'];
  if (request) request.oneOf = templateOrContent();
  const event = out['touchpoint-event.schema.json'];
  if (event) Object.assign(event, touchpointEventRules());
  const batch = out['touchpoint-batch.schema.json'] as
    | { properties?: { batch?: { items?: object } } }
    | undefined;
  const items = batch?.properties?.batch?.items;
  if (items) Object.assign(items, touchpointEventRules());
  return out;
}
