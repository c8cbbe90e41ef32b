/**
 * Phone-number validation against the numbering plan, with libphonenumber-js's full metadata
 * (about 190 KB). Apart from fields.ts so that only the documents that accept raw numbers from
 * publishers (customer profiles) bring it into a function's bundle: the channel senders and the
 * webhooks, which only handle numbers already checked, load neither the library nor its metadata
 * (docs/BENCHMARKS.md, "Cold start").
 */
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { z } from 'zod';

/** A phone number in E.164 form that libphonenumber-js accepts as a valid number. */
export const e164PhoneNumber = z
  .string({ error: 'must be a phone number in E.164 form, such as +33612345678' })
  .regex(/^\+[1-9]\d{1,14}$/, {
    error: 'must be a phone number in E.164 form: "+", country code, number, no spaces',
  })
  .refine((value) => isValidPhoneNumber(value), {
    error: 'is not a valid phone number for its country',
  });
