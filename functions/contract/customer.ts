/**
 * Customer: one person, one profile across every channel.
 */
import { z } from 'zod';
import { e164PhoneNumber, emailAddress, identifier, locale, timeOfDay, timestamp, timeZone } from './fields';
import { CategorySchema, ChannelSchema, ConsentStatusSchema } from './vocabulary';

/** Most push devices kept per customer. */
export const MAX_PUSH_DEVICES = 10;

/** A mobile device registered with Firebase Cloud Messaging. */
export const FcmDeviceSchema = z.strictObject({
  kind: z.literal('fcm'),
  token: z.string({ error: 'must be the FCM registration token' }).min(1).max(4096),
  platform: z.enum(['android', 'ios', 'web']).optional(),
});

/** A browser subscription for Web Push (RFC 8030), as `PushSubscription.toJSON()` gives it. */
export const WebPushDeviceSchema = z.strictObject({
  kind: z.literal('webpush'),
  subscription: z.object({
    endpoint: z
      .url({ protocol: /^https?$/, error: 'must be the push service URL of the subscription' })
      .max(2048),
    keys: z.object({
      p256dh: z.string({ error: 'must be the subscription public key' }).min(1).max(256),
      auth: z.string({ error: 'must be the subscription auth secret' }).min(1).max(64),
    }),
  }),
});

/** A push device: FCM token or Web Push subscription. */
export const PushDeviceSchema = z.discriminatedUnion('kind', [FcmDeviceSchema, WebPushDeviceSchema], {
  error: 'must be {"kind":"fcm","token":…} or {"kind":"webpush","subscription":{…}}',
});
/** A push device. */
export type PushDevice = z.infer<typeof PushDeviceSchema>;

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

/** Hours during which non-transactional messages wait, in the customer's time zone. */
export const QuietHoursSchema = z.strictObject({ start: timeOfDay, end: timeOfDay });
/** Quiet hours. */
export type QuietHours = z.infer<typeof QuietHoursSchema>;

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
