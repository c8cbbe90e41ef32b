/**
 * MessageRequest, version 1: what a publisher asks Switchboard to do.
 * Field names are fixed by the design; change this only in backward-compatible ways.
 */
import { z } from 'zod';
import { identifier, metadata, timestamp, utf8Bytes, webUrl } from './fields';
import { CategorySchema, ChannelSchema } from './vocabulary';

/** Largest accepted request, serialised as JSON in UTF-8. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** Largest SMS/WhatsApp/push text (Twilio concatenates at most 1,600 characters). */
export const MAX_TEXT_CHARS = 1600;
/** Largest email HTML body carried in a request. */
export const MAX_HTML_CHARS = 48 * 1024;
/** Email subject limit (RFC 5322 line length). */
export const MAX_SUBJECT_CHARS = 998;
/** Push title limit. */
export const MAX_TITLE_CHARS = 256;
/** Fewest and most seconds to wait for a delivery receipt before falling back. */
export const RECEIPT_TIMEOUT_RANGE = { min: 30, max: 7 * 24 * 60 * 60 } as const;

/** Literal content, used instead of a template. */
export const ContentSchema = z
  .strictObject(
    {
      text: z
        .string({ error: 'must be a string' })
        .min(1, { error: 'must not be empty' })
        .max(MAX_TEXT_CHARS, { error: `must be at most ${MAX_TEXT_CHARS} characters` })
        .optional(),
      subject: z
        .string({ error: 'must be a string' })
        .min(1, { error: 'must not be empty' })
        .max(MAX_SUBJECT_CHARS, { error: `must be at most ${MAX_SUBJECT_CHARS} characters` })
        .optional(),
      html: z
        .string({ error: 'must be a string' })
        .min(1, { error: 'must not be empty' })
        .max(MAX_HTML_CHARS, { error: `must be at most ${MAX_HTML_CHARS} characters` })
        .optional(),
      title: z
        .string({ error: 'must be a string' })
        .min(1, { error: 'must not be empty' })
        .max(MAX_TITLE_CHARS, { error: `must be at most ${MAX_TITLE_CHARS} characters` })
        .optional(),
      url: webUrl.optional(),
    },
    { error: 'must be an object with text, subject, html, title or url' },
  )
  .refine((content) => content.text !== undefined || content.html !== undefined, {
    error: 'must have a text or an html body',
  });

/** Literal content of a message. */
export type Content = z.infer<typeof ContentSchema>;

/** Every routing strategy: the customer's ranking, every channel at once, or the learned choice. */
export const ROUTING_STRATEGIES = ['preferred', 'all', 'learned'] as const;
/** A routing strategy. */
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** How to choose among the customer's channels. */
export const RoutingSchema = z.strictObject(
  {
    // No zod default: an absent strategy takes the category's configured default (`preferred`
    // unless configured otherwise), which a default here would hide.
    strategy: z
      .enum(ROUTING_STRATEGIES, {
        error:
          'must be "preferred" (the best channel, the others as fallback), "all" (every channel) or "learned" (the channel this customer engages with most for its cost, the others as fallback)',
      })
      .optional()
      .meta({
        description:
          'preferred: the customer ranking; all: every allowed channel at once; learned: the allowed channel this customer engages with most for its cost (docs/customers-and-routing.md). Absent: the category default from configuration, else preferred.',
      }),
    channels: z
      .array(ChannelSchema, { error: 'must be a list of channels' })
      .min(1, { error: 'must name at least one channel' })
      .max(4)
      .refine((channels) => new Set(channels).size === channels.length, {
        error: 'must not repeat a channel',
      })
      .optional(),
    fallback: z.boolean({ error: 'must be true or false' }).default(true),
    receiptTimeoutSeconds: z
      .number({ error: 'must be a number of seconds' })
      .int({ error: 'must be a whole number of seconds' })
      .min(RECEIPT_TIMEOUT_RANGE.min, { error: `must be at least ${RECEIPT_TIMEOUT_RANGE.min} seconds` })
      .max(RECEIPT_TIMEOUT_RANGE.max, {
        error: `must be at most ${RECEIPT_TIMEOUT_RANGE.max} seconds (7 days)`,
      })
      .optional(),
  },
  { error: 'must be an object with strategy, channels, fallback or receiptTimeoutSeconds' },
);

/** Routing options of a request. */
export type Routing = z.infer<typeof RoutingSchema>;

/** What Switchboard tracks of a message (docs/links.md); everything is tracked unless switched off. */
export const TrackingSchema = z.strictObject(
  {
    links: z.boolean({ error: 'must be true or false' }).optional().meta({
      description:
        'false leaves the links of SMS, WhatsApp and push as written instead of short Switchboard links that record clicks (docs/links.md). Absent: tracked unless the category is configured off.',
    }),
  },
  { error: 'must be an object with links' },
);

/** Tracking options of a request. */
export type Tracking = z.infer<typeof TrackingSchema>;

/** Name of a template: lower-case words separated by - _ or /. */
export const TemplateNameSchema = z
  .string({ error: 'must be a template name' })
  .regex(/^[a-z0-9][a-z0-9_/-]{0,127}$/, {
    error: 'must be 1 to 128 characters of a-z 0-9 _ - / (the name of a template folder)',
  });

/** How a message weighs against frequency caps (docs/customers-and-routing.md, "Frequency caps"). */
export const MESSAGE_PRIORITIES = ['low', 'normal', 'high'] as const;
/** A priority: `high` is never held back by a cap (only counted), `low` is dropped rather than deferred. */
export type MessagePriority = (typeof MESSAGE_PRIORITIES)[number];

/** MessageRequest version 1. */
export const MessageRequestSchema = z
  .strictObject(
    {
      schemaVersion: z.literal(1, { error: 'must be 1 (this is version 1 of the contract)' }),
      requestId: identifier('publisher idempotency key'),
      customerId: identifier('customer id'),
      category: CategorySchema,
      template: TemplateNameSchema.optional(),
      data: z
        .record(z.string(), z.unknown(), {
          error: (issue) =>
            issue.code === 'invalid_type' ? 'must be an object of template variables' : undefined,
        })
        .optional(),
      content: ContentSchema.optional(),
      routing: RoutingSchema.optional(),
      tracking: TrackingSchema.optional(),
      sendAt: timestamp.optional(),
      expiresAt: timestamp.optional(),
      metadata: metadata.optional(),
      priority: z.enum(MESSAGE_PRIORITIES, { error: 'must be low, normal or high' }).optional(),
    },
    { error: 'must be a JSON object (a MessageRequest)' },
  )
  .superRefine((request, ctx) => {
    if (request.template === undefined && request.content === undefined) {
      ctx.addIssue({ code: 'custom', path: ['template'], message: 'a request needs a template or content' });
    }
    if (request.template !== undefined && request.content !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: 'give either a template or content, not both',
      });
    }
    if (request.data !== undefined && request.template === undefined) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'is only used with a template' });
    }
    if (request.sendAt && request.expiresAt && Date.parse(request.expiresAt) <= Date.parse(request.sendAt)) {
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be after sendAt' });
    }
    const bytes = utf8Bytes(JSON.stringify(request));
    if (bytes > MAX_REQUEST_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `the request is ${bytes} bytes as JSON; the limit is ${MAX_REQUEST_BYTES}`,
      });
    }
  });

/** A validated MessageRequest, with defaults applied. */
export type MessageRequest = z.infer<typeof MessageRequestSchema>;
/** A MessageRequest as a publisher writes it (defaults optional). */
export type MessageRequestInput = z.input<typeof MessageRequestSchema>;
