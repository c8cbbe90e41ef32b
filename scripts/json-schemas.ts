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
  // Cross-field rules the zod refinements enforce and JSON Schema can express too.
  const request = out['message-request.schema.json'];
  if (request) {
    request.oneOf = [
      { required: ['template'], not: { required: ['content'] } },
      { required: ['content'], not: { required: ['template'] } },
    ];
  }
  return out;
}
