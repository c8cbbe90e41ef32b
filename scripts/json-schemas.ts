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
  MessageRequestSchema,
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

/** Every published schema, keyed by its file name under schemas/. */
export function contractJsonSchemas(): Record<string, Record<string, unknown>> {
  const documents = {
    'message-request.schema.json': ['MessageRequest', MessageRequestSchema],
    'customer.schema.json': ['Customer', CustomerSchema],
    'delivery-event.schema.json': ['DeliveryEvent', DeliveryEventSchema],
    'inbound-message.schema.json': ['InboundMessage', InboundMessageSchema],
    'consent-changed-event.schema.json': ['ConsentChangedEvent', ConsentChangedEventSchema],
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
  return out;
}
