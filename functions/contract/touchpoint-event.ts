/**
 * Touchpoint events: what a customer did outside Switchboard's messages, in the Segment spec's
 * shape (https://segment.com/docs/connections/spec/), so that Segment and RudderStack payloads work
 * unchanged. Switchboard reads `track`, `identify` and `page`; fields it does not use (`writeKey`,
 * `sentAt`, `integrations`, `_metadata`, `context.library`, …) are accepted and ignored, while the
 * fields it does use are checked and reported field by field.
 */
import { z } from 'zod';
import { identifier, locale, timestamp, utf8Bytes } from './fields';
import { type FieldIssue, fieldPath, type ParseResult, safeParseWith } from './validation';

/** The Segment calls Switchboard records. */
export const TOUCHPOINT_TYPES = ['track', 'identify', 'page'] as const;
/** A recorded Segment call type. */
export const TouchpointTypeSchema = z.enum(TOUCHPOINT_TYPES, {
  error: `must be one of ${TOUCHPOINT_TYPES.join(', ')}`,
});
/** A recorded Segment call type. */
export type TouchpointType = z.infer<typeof TouchpointTypeSchema>;

/** Where the customer was when it happened (`context.channel`). */
export const TOUCHPOINT_CHANNELS = ['web', 'mobile', 'server', 'store', 'pos', 'call_center'] as const;
/** Where the customer was when it happened. */
export const TouchpointChannelSchema = z.enum(TOUCHPOINT_CHANNELS, {
  error: `must be one of ${TOUCHPOINT_CHANNELS.join(', ')}`,
});
/** Where the customer was when it happened. */
export type TouchpointChannel = z.infer<typeof TouchpointChannelSchema>;

/** Most events in one `{ batch }` (Segment's own HTTP API limit is 500 KB, not a count). */
export const TOUCHPOINT_BATCH_MAX_EVENTS = 100;
/** Largest `{ batch }` body in UTF-8 bytes, as Segment's HTTP API. */
export const TOUCHPOINT_BATCH_MAX_BYTES = 500 * 1024;
/** Largest single event in UTF-8 bytes, as Segment's HTTP API. */
export const TOUCHPOINT_EVENT_MAX_BYTES = 32 * 1024;

// Ids that become part of DynamoDB keys: printable ASCII without spaces. Segment's own ids are
// UUIDs or library-prefixed random strings (`ajs-next-…`), which this admits.
const printableId = (what: string, max: number) =>
  z.string({ error: `must be a string (the ${what})` }).regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), {
    error: `must be 1 to ${max} printable characters without spaces (the ${what})`,
  });

const shortText = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

/** A free-form JSON object (`properties`, `traits`). */
const freeObject = z.record(z.string(), z.unknown(), { error: 'must be an object' });

/** UTM parameters (`context.campaign`), as Segment's libraries read them from the landing URL. */
export const CampaignSchema = z.looseObject({
  name: shortText(256).optional(),
  source: shortText(256).optional(),
  medium: shortText(256).optional(),
  term: shortText(256).optional(),
  content: shortText(256).optional(),
});

/** The page the event happened on (`context.page`). */
export const PageContextSchema = z.looseObject({
  path: z.string().max(2048).optional(),
  referrer: z.string().max(2048).optional(),
  search: z.string().max(2048).optional(),
  title: z.string().max(1024).optional(),
  url: z.string().max(2048).optional(),
});

/**
 * Identity verification of a client source's event: HMAC-SHA256 of the userId with the source's
 * secret, in hex (domain/sources/user-hash.ts). Top level, or in `context` for the libraries that
 * pass only `context` through.
 */
export const UserHashSchema = z
  .string({ error: 'must be a string (HMAC-SHA256 of the userId, hex)' })
  .regex(/^[0-9a-fA-F]{64}$/, { error: 'must be 64 hex digits (HMAC-SHA256 of the userId)' });

/** The context fields Switchboard reads; the rest of Segment's context passes unchecked. */
export const TouchpointContextSchema = z.looseObject({
  channel: TouchpointChannelSchema.optional(),
  userHash: UserHashSchema.optional(),
  campaign: CampaignSchema.optional(),
  locale: locale.optional(),
  page: PageContextSchema.optional(),
});

/** One Segment-spec event as Switchboard reads it. */
export const TouchpointEventSchema = z
  .looseObject({
    type: TouchpointTypeSchema,
    messageId: printableId('de-duplication key', 200),
    userId: identifier('customer id').optional(),
    anonymousId: printableId('anonymous id', 128).optional(),
    userHash: UserHashSchema.optional(),
    event: shortText(200).optional(),
    name: shortText(200).optional(),
    timestamp: timestamp.optional(),
    properties: freeObject.optional(),
    traits: freeObject.optional(),
    context: TouchpointContextSchema.optional(),
  })
  // `when`: these run even when another field is wrong, so that every problem is reported at once.
  .refine((value) => value.userId !== undefined || value.anonymousId !== undefined, {
    path: ['userId'],
    message: 'is required when anonymousId is absent',
    when: (payload) => isRecord(payload.value),
  })
  .refine((value) => value.type !== 'track' || value.event !== undefined, {
    path: ['event'],
    message: 'is required for a track event',
    when: (payload) => isRecord(payload.value),
  });
/** One Segment-spec event. */
export type TouchpointEvent = z.infer<typeof TouchpointEventSchema>;
/** One Segment-spec event as a publisher writes it. */
export type TouchpointEventInput = z.input<typeof TouchpointEventSchema>;

/** Several events in one body, as Segment's `/v1/batch`; other top-level fields are ignored. */
export const TouchpointBatchSchema = z.looseObject({
  batch: z
    .array(z.unknown(), { error: 'must be an array of events' })
    .min(1, { error: 'must hold at least one event' })
    .max(TOUCHPOINT_BATCH_MAX_EVENTS, { error: `must hold at most ${TOUCHPOINT_BATCH_MAX_EVENTS} events` }),
});

/** What happened to one event of a body. */
export const TouchpointResultSchema = z.discriminatedUnion('status', [
  z.strictObject({
    index: z.number().int().min(0),
    messageId: z.string(),
    status: z.enum(['accepted', 'duplicate']).meta({
      description: '`duplicate`: an event with this messageId was already recorded; nothing changed.',
    }),
  }),
  z.strictObject({
    index: z.number().int().min(0),
    messageId: z.string().optional(),
    status: z.literal('rejected'),
    issues: z.array(z.strictObject({ field: z.string(), message: z.string() })),
  }),
]);
/** What happened to one event of a body. */
export type TouchpointResult = z.infer<typeof TouchpointResultSchema>;

/** `POST /v1/events` answer (202): one result per event, in input order. */
export const TouchpointsAcceptedSchema = z.strictObject({
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.number().int().min(0),
  results: z.array(TouchpointResultSchema),
});
/** `POST /v1/events` answer. */
export type TouchpointsAccepted = z.infer<typeof TouchpointsAcceptedSchema>;

/** One event of a body, parsed on its own so that a bad one does not sink the others. */
export type ParsedTouchpoint =
  | { readonly index: number; readonly ok: true; readonly event: TouchpointEvent }
  | {
      readonly index: number;
      readonly ok: false;
      readonly messageId?: string;
      readonly issues: readonly FieldIssue[];
    };

/**
 * Splits a body (one event or `{ batch: [...] }`) into events parsed one by one. A body that is
 * neither fails as a whole; a bad event fails alone, its issues prefixed with `batch[i].`.
 */
export function parseTouchpointBody(
  body: unknown,
): ParseResult<{ readonly events: readonly ParsedTouchpoint[]; readonly batch: boolean }> {
  const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'batch' in body;
  if (!isBatch) {
    const single = parseOne(body, 0, '');
    return { success: true, data: { events: [single], batch: false } };
  }
  const envelope = safeParseWith(TouchpointBatchSchema, body);
  if (!envelope.success) return envelope;
  const events = envelope.data.batch.map((event, index) =>
    parseOne(event, index, fieldPath(['batch', index])),
  );
  return { success: true, data: { events, batch: true } };
}

function parseOne(input: unknown, index: number, prefix: string): ParsedTouchpoint {
  const messageId =
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { messageId?: unknown }).messageId === 'string'
      ? (input as { messageId: string }).messageId
      : undefined;
  const prefixed = (issues: readonly FieldIssue[]) =>
    prefix
      ? issues.map((issue) => ({
          field: issue.field === '(request)' ? prefix : `${prefix}.${issue.field}`,
          message: issue.message,
        }))
      : issues;
  // Measured on the event as sent, like Segment's per-event limit.
  if (input !== undefined && utf8Bytes(JSON.stringify(input) ?? '') > TOUCHPOINT_EVENT_MAX_BYTES) {
    return {
      index,
      ok: false,
      ...(messageId ? { messageId } : {}),
      issues: prefixed([
        { field: '(request)', message: `must be at most ${TOUCHPOINT_EVENT_MAX_BYTES} bytes` },
      ]),
    };
  }
  const parsed = safeParseWith(TouchpointEventSchema, input);
  if (parsed.success) return { index, ok: true, event: parsed.data };
  return { index, ok: false, ...(messageId ? { messageId } : {}), issues: prefixed(parsed.issues) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
