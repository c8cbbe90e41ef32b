/**
 * Field schemas shared by the contract's documents, each with an error a publisher can act on.
 */
import { z } from 'zod';

/** Characters allowed in identifiers that also appear in DynamoDB keys and URLs. */
const SAFE_ID = /^[A-Za-z0-9_.:@-]{1,128}$/;

/** A publisher's or customer's identifier: 1–128 safe characters. */
export const identifier = (what: string) =>
  z
    .string({ error: `must be a string (the ${what})` })
    .regex(SAFE_ID, { error: `must be 1 to 128 characters of letters, digits and _ . : @ - (the ${what})` });

/**
 * A phone number in E.164 form, shape only: for documents whose numbers were already checked
 * against the numbering plan (`e164PhoneNumber` in phone-numbers.ts) when the request or the profile
 * was accepted, such as the channel messages the router writes.
 */
export const e164Address = z
  .string({ error: 'must be a phone number in E.164 form, such as +33612345678' })
  .regex(/^\+[1-9]\d{1,14}$/, {
    error: 'must be a phone number in E.164 form: "+", country code, number, no spaces',
  });

/** An email address. */
export const emailAddress = z
  .email({ error: 'must be an email address, such as ada@example.com' })
  .max(254, { error: 'must be at most 254 characters' });

/**
 * The stable id of one event, the same on every copy of it: events are delivered at least once,
 * so a subscriber de-duplicates on this id.
 */
export const eventId = z.string().min(1).max(512);

/** An ISO 8601 timestamp with a time zone designator. */
export const timestamp = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, such as 2026-11-23T14:00:00Z',
});

/** Most keys in `metadata`. */
export const METADATA_MAX_KEYS = 20;

/** A small string map echoed on every event, for attribution. */
export const metadata = z
  .record(
    z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, {
      error: 'keys must be 1 to 64 characters of letters, digits and _ . -',
    }),
    z
      .string({ error: 'values must be strings' })
      .max(256, { error: 'values must be at most 256 characters' }),
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? 'must be an object of string keys to string values' : undefined,
    },
  )
  .refine((value) => Object.keys(value).length <= METADATA_MAX_KEYS, {
    error: `must have at most ${METADATA_MAX_KEYS} keys`,
  });

/** An IANA time zone name that this runtime knows, such as Europe/Paris. */
export const timeZone = z
  .string({ error: 'must be an IANA time zone name, such as Europe/Paris' })
  .max(64)
  .refine(isKnownTimeZone, { error: 'must be an IANA time zone name, such as Europe/Paris' });

/** A BCP 47 language tag, such as fr-CA. */
export const locale = z
  .string({ error: 'must be a language tag, such as fr-CA' })
  .max(35)
  .refine(isLanguageTag, { error: 'must be a BCP 47 language tag, such as en, fr or fr-CA' });

/** A time of day, `HH:MM` on a 24-hour clock. */
export const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
  error: 'must be a time of day HH:MM on a 24-hour clock, such as 21:00',
});

/** Hours during which non-transactional messages wait, in the customer's time zone. */
export const QuietHoursSchema = z.strictObject({ start: timeOfDay, end: timeOfDay });
/** Quiet hours. */
export type QuietHours = z.infer<typeof QuietHoursSchema>;

/** An https URL (or http for local testing), at most 2048 characters. */
export const webUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2048, { error: 'must be at most 2048 characters' });

function isKnownTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

const encoder = new TextEncoder();

/** Size of a string in UTF-8 bytes. */
export function utf8Bytes(value: string): number {
  return encoder.encode(value).length;
}
