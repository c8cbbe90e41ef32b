/**
 * The customer and message HTTP API's bodies (`/v1/...`): what clients send and get back, beside
 * the Customer and MessageRequest documents themselves.
 */
import { z } from 'zod';
import type { Customer } from './customer';
import { timestamp } from './fields';
import type { FieldIssue } from './validation';
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

/** A stored customer as the API returns it. */
export type CustomerBody = Customer & {
  /** Goes up on every change. */
  readonly version: number;
  readonly updatedAt: string;
};

/** `POST /v1/messages` accepted the request: it is on the outbound queue. */
export interface MessageAccepted {
  /** The id the message will have on the timeline and in every delivery event. */
  readonly messageId: string;
  readonly requestId: string;
}

/** Every error the API returns: a code, a sentence, and per-field issues for a 400. */
export interface ApiErrorBody {
  readonly error:
    | 'invalid_request'
    | 'not_found'
    | 'address_in_use'
    | 'method_not_allowed'
    | 'conflict'
    | 'internal_error';
  readonly message: string;
  readonly issues?: readonly FieldIssue[];
}
