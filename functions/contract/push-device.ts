/**
 * Push devices: FCM registration tokens and Web Push subscriptions. Apart from customer.ts so that
 * channel messages can carry devices without pulling in the profile's phone-number validation.
 */
import { z } from 'zod';

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
