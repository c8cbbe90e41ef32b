/**
 * The provider webhooks' operations, by path (all POST), as in infra/routes.ts `WEBHOOK_ROUTES`.
 * The bodies are the providers' formats: their main fields are named, the rest left open, since
 * the providers add fields over time and the parsers (functions/adapters/) ignore what they do not use.
 */

import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from 'zod-openapi';

const twilioForm = (fields: Record<string, z.ZodType>) => ({
  'application/x-www-form-urlencoded': { schema: z.looseObject(fields) },
});

const unauthorized: ZodOpenApiResponseObject = {
  description: 'The signature (or secret) is missing, forged or stale; nothing was changed.',
  content: { 'application/json': { schema: z.object({ error: z.literal('unauthorized') }) } },
};
const malformed: ZodOpenApiResponseObject = {
  description: 'Authentic but unreadable; answered 400 (not 5xx) so the provider does not retry it.',
  content: {
    'application/json': { schema: z.object({ error: z.literal('bad request'), reason: z.string() }) },
  },
};
const failed: ZodOpenApiResponseObject = {
  description: 'Switchboard failed; the provider retries.',
  content: { 'application/json': { schema: z.object({ error: z.literal('internal error') }) } },
};
const tooLarge: ZodOpenApiResponseObject = { description: 'The body is over 10 MiB.' };
const outcome = (description: string): ZodOpenApiResponseObject => ({
  description,
  content: { 'application/json': { schema: z.object({ outcome: z.string() }) } },
});

const errors = { '400': malformed, '401': unauthorized, '413': tooLarge, '500': failed } as const;
const twilioSecurity = [{ twilioSignature: [] }];

/** Every webhook operation, by path. */
export const WEBHOOK_OPERATIONS: Record<string, ZodOpenApiOperationObject> = {
  '/webhooks/twilio/status': {
    operationId: 'twilioStatusCallback',
    summary: 'Twilio message status callback (SMS and WhatsApp)',
    description:
      'Signed by Twilio over the full URL, query included: the query carries the attempt (`customerId`, `messageId`, `attempt`) set when the message was sent.',
    tags: ['Webhooks'],
    security: twilioSecurity,
    requestParams: {
      header: z.object({
        'I-Twilio-Idempotency-Token': z
          .string()
          .optional()
          .meta({ description: "Twilio's id for this webhook, the same across its retries." }),
      }),
      query: z.object({
        customerId: z.string().optional(),
        messageId: z.string().optional(),
        attempt: z.string().optional(),
      }),
    },
    requestBody: {
      required: true,
      content: twilioForm({
        MessageSid: z.string(),
        MessageStatus: z.string().meta({ examples: ['delivered'] }),
        ErrorCode: z.string().optional(),
        To: z.string().optional(),
        From: z.string().optional(),
      }),
    },
    responses: {
      '200': outcome(
        'Handled: `advanced`, `unchanged`, `duplicate`, `unknown-message`, `advanced-and-fell-back`, `consent-only`, or `ignored` for a status Switchboard does not track.',
      ),
      ...errors,
    },
  },
  '/webhooks/twilio/inbound': {
    operationId: 'twilioInbound',
    summary: 'Inbound SMS, MMS or WhatsApp message',
    description: 'Consent keywords (STOP, START, …) are applied; the message joins the sender’s timeline.',
    tags: ['Webhooks'],
    security: twilioSecurity,
    requestBody: {
      required: true,
      content: twilioForm({
        MessageSid: z.string(),
        From: z.string().meta({ examples: ['+33612345678', 'whatsapp:+33612345678'] }),
        To: z.string(),
        Body: z.string().optional(),
        NumMedia: z.string().optional(),
      }),
    },
    responses: {
      '200': {
        description: 'Received; an empty TwiML answer (no automatic reply).',
        content: { 'text/xml': { schema: z.string() } },
      },
      ...errors,
    },
  },
  '/webhooks/sendgrid/events': {
    operationId: 'sendgridEvents',
    summary: 'SendGrid Event Webhook (a batch of email events)',
    description:
      'Signed with ECDSA over the timestamp and the raw body; a timestamp outside the tolerance is refused.',
    tags: ['Webhooks'],
    security: [{ sendgridSignature: [], sendgridTimestamp: [] }],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: z.array(
            z.looseObject({
              event: z.string().meta({ examples: ['delivered', 'open', 'bounce'] }),
              email: z.string().optional(),
              timestamp: z.number().int().meta({ description: 'Unix seconds.' }),
              sg_event_id: z.string().optional(),
              sg_message_id: z.string().optional(),
              messageId: z.string().optional().meta({ description: 'Custom argument set by Switchboard.' }),
              customerId: z.string().optional().meta({ description: 'Custom argument set by Switchboard.' }),
              attempt: z.unknown().optional().meta({ description: 'Custom argument set by Switchboard.' }),
            }),
          ),
        },
      },
    },
    responses: {
      '200': {
        description: 'Applied: how many events were read and how many skipped.',
        content: {
          'application/json': { schema: z.object({ events: z.number().int(), skipped: z.number().int() }) },
        },
      },
      ...errors,
    },
  },
  '/webhooks/sendgrid/inbound': {
    operationId: 'sendgridInboundParse',
    summary: 'SendGrid Inbound Parse (a received email)',
    description:
      'Inbound Parse does not sign: the URL carries a shared secret, as the `key` query parameter or as the password of HTTP Basic auth. "POST the raw, full MIME message" must stay off.',
    tags: ['Webhooks'],
    security: [{ inboundParseKey: [] }, { inboundParseBasic: [] }],
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.looseObject({
            from: z.string(),
            to: z.string(),
            subject: z.string().optional(),
            text: z.string().optional(),
            html: z.string().optional(),
            envelope: z.string().meta({ description: 'JSON: `{ "to": [...], "from": "..." }`.' }),
          }),
        },
      },
    },
    responses: { '200': outcome('Received: `recorded` or `duplicate`.'), ...errors },
  },
};
