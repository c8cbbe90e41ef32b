/**
 * The customer and message HTTP API's bodies (`/v1/...`): what clients send and get back, beside
 * the Customer and MessageRequest documents themselves.
 */
import { z } from 'zod';
import { CustomerSchema } from './customer';
import { timestamp } from './fields';
import { FieldIssueSchema } from './validation';
import { CategorySchema, ChannelSchema, ConsentStatusSchema } from './vocabulary';

/** One consent decision to record. `at` defaults to now and `source` to `api`. */
export const ConsentChangeSchema = z.strictObject({
  category: CategorySchema,
  channel: ChannelSchema,
  status: ConsentStatusSchema,
  at: timestamp.optional(),
  source: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, {
      error: 'must be a short lower-case name, such as api or sms-keyword',
    })
    .optional(),
});
/** A consent change as a client writes it. */
export type ConsentChange = z.infer<typeof ConsentChangeSchema>;

/** A stored customer as the API returns it: the profile plus its version and last change. */
export const CustomerBodySchema = CustomerSchema.extend({
  /** Goes up on every change. */
  version: z.number().int().min(1),
  updatedAt: timestamp,
});
/** A stored customer as the API returns it. */
export type CustomerBody = z.infer<typeof CustomerBodySchema>;

/** `POST /v1/messages` accepted the request: it is on the outbound queue. */
export const MessageAcceptedSchema = z.strictObject({
  messageId: z.string().meta({
    description: 'The id the message will have on the timeline and in every delivery event.',
  }),
  requestId: z.string(),
});
/** `POST /v1/messages` accepted the request. */
export type MessageAccepted = Readonly<z.infer<typeof MessageAcceptedSchema>>;

/** The codes an API error carries. */
export const API_ERROR_CODES = [
  'invalid_request',
  'not_found',
  'address_in_use',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'unauthorized',
  'rate_limited',
  'internal_error',
] as const;

/** Every error the API returns: a code, a sentence, and per-field issues for a 400. */
export const ApiErrorBodySchema = z.strictObject({
  error: z.enum(API_ERROR_CODES),
  message: z.string(),
  issues: z.array(FieldIssueSchema).readonly().optional(),
});
/** An error body of the API. */
export type ApiErrorBody = Readonly<z.infer<typeof ApiErrorBodySchema>>;
