/**
 * Customer: one person, one profile across every channel.
 */
import { z } from 'zod';
import { emailAddress, identifier, locale, QuietHoursSchema, timestamp, timeZone } from './fields';
import { e164PhoneNumber } from './phone-numbers';
import { MAX_PUSH_DEVICES, PushDeviceSchema } from './push-device';
import { CategorySchema, ChannelSchema, ConsentStatusSchema } from './vocabulary';

/** Where a customer can be reached, per channel. */
export const AddressesSchema = z.strictObject({
  sms: e164PhoneNumber.optional(),
  whatsapp: e164PhoneNumber.optional(),
  email: emailAddress.optional(),
  push: z
    .array(PushDeviceSchema)
    .max(MAX_PUSH_DEVICES, { error: `must have at most ${MAX_PUSH_DEVICES} devices` })
    .optional(),
});
/** A customer's addresses. */
export type Addresses = z.infer<typeof AddressesSchema>;

/** One consent decision: its state, when it was made and where it came from. */
export const ConsentRecordSchema = z.strictObject({
  status: ConsentStatusSchema,
  at: timestamp,
  source: z
    .string({ error: 'must say where the consent came from, such as api or sms-keyword' })
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, {
      error: 'must be a short lower-case name, such as api or sms-keyword',
    }),
});
/** A consent decision. */
export type ConsentRecord = z.infer<typeof ConsentRecordSchema>;

/** Consent per category, then per channel. */
export const ConsentSchema = z.record(CategorySchema, z.partialRecord(ChannelSchema, ConsentRecordSchema));
/** Consent per category and channel. */
export type Consent = z.infer<typeof ConsentSchema>;

/** Free-form attributes for personalisation: at most 50 scalar values. */
export const AttributesSchema = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'keys must be identifiers such as firstName' }),
    z.union([z.string().max(1024), z.number(), z.boolean(), z.null()], {
      error: 'values must be strings (up to 1024 characters), numbers, booleans or null',
    }),
  )
  .refine((value) => Object.keys(value).length <= 50, { error: 'must have at most 50 attributes' });

/** A customer profile. */
export const CustomerSchema = z.strictObject({
  customerId: identifier('customer id'),
  addresses: AddressesSchema.default({}),
  preferences: z
    .strictObject({
      channels: z
        .array(ChannelSchema)
        .max(4)
        .refine((channels) => new Set(channels).size === channels.length, {
          error: 'must not repeat a channel',
        })
        .default([]),
      quietHours: QuietHoursSchema.optional(),
    })
    .default({ channels: [] }),
  consent: ConsentSchema.default({}),
  locale: locale.optional(),
  timezone: timeZone.optional(),
  attributes: AttributesSchema.default({}),
});
/** A validated customer profile. */
export type Customer = z.infer<typeof CustomerSchema>;
/** A customer profile as written by a client (defaults optional). */
export type CustomerInput = z.input<typeof CustomerSchema>;
