/**
 * SendGrid Event Webhook → normalised status updates. SendGrid posts a JSON array of events per
 * request (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event). Each has
 * `event`, `email`, `timestamp` (Unix seconds), `sg_event_id` (unique, for de-duplication),
 * `sg_message_id` (the send's `X-Message-Id` followed by `.filter…`/`.recvd-…`), and the send's
 * `custom_args` as top-level fields: Switchboard sets `messageId`, `customerId` and `attempt` (the
 * attempt item's key; the channel is email), so an event is one key read away from its attempt.
 *
 * A body that is not a JSON array of objects is rejected (400). Inside an authentic batch, an event
 * that is malformed or of a kind Switchboard does not follow is skipped and counted, so that one
 * odd event never makes SendGrid retry the whole batch for 72 hours.
 */
import { z } from 'zod';
import {
  Channel,
  ConsentSource,
  ConsentStatus,
  type DeliveryError,
  MessageStatus,
  Provider,
} from '../../contract';
import { MACHINE_OPEN_EVENT } from '../../domain/engagement-from-ledger';
import { WebhookPayloadError } from '../../domain/webhook-errors';
import type { ConsentSignal, StatusUpdate } from '../../domain/webhook-inputs';

/** Most events accepted in one request (SendGrid batches far fewer, by size). */
export const MAX_SENDGRID_EVENTS = 5_000;

/** `bounce_classification` values that say the mailbox, not the address, refused for now. */
const SOFT_BOUNCE_CLASSIFICATIONS = new Set([
  'technical',
  'content',
  'reputation',
  'frequency or volume limits',
]);

const text = (max: number) =>
  z.union([z.string(), z.number()]).transform((value) => String(value).slice(0, max));

const SendGridEventSchema = z.looseObject({
  event: z.string().min(1).max(64),
  email: z.string().max(320).optional(),
  timestamp: z.number().int().positive().max(32503680000),
  sg_event_id: z.string().min(1).max(256).optional(),
  sg_message_id: z.string().min(1).max(512).optional(),
  type: z.string().max(64).optional(),
  bounce_classification: z.string().max(128).optional(),
  reason: text(1024).optional(),
  response: text(1024).optional(),
  status: text(64).optional(),
  asm_group_id: z.union([z.number(), z.string()]).optional(),
  messageId: z.string().min(1).max(128).optional(),
  customerId: z.string().min(1).max(128).optional(),
  // custom_args are strings; an odd value just leaves the event without an attempt key.
  attempt: z.unknown().optional(),
});
type SendGridEvent = z.infer<typeof SendGridEventSchema>;

/** The result of parsing one Event Webhook request. */
export interface SendGridEventBatch {
  readonly updates: StatusUpdate[];
  /** Events skipped: malformed, without a message id, or of a kind not followed. */
  readonly skipped: number;
}

/** SendGrid's `sg_message_id` without the `.filter…` suffix: the `X-Message-Id` of the send. */
export function sendGridMessageId(sgMessageId: string): string {
  const cut = sgMessageId.search(/\.(filter|recvd)/);
  return cut > 0 ? sgMessageId.slice(0, cut) : sgMessageId;
}

/** Parses an Event Webhook body; throws {@link WebhookPayloadError} when it is not an array of objects. */
export function parseSendGridEvents(body: Buffer): SendGridEventBatch {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new WebhookPayloadError('the body is not JSON', { cause: error });
  }
  if (!Array.isArray(parsed)) throw new WebhookPayloadError('the body is not a JSON array of events');
  if (parsed.length > MAX_SENDGRID_EVENTS)
    throw new WebhookPayloadError(`more than ${MAX_SENDGRID_EVENTS} events`);
  if (!parsed.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    throw new WebhookPayloadError('every event must be a JSON object');
  }
  const updates: StatusUpdate[] = [];
  let skipped = 0;
  for (const item of parsed) {
    const event = SendGridEventSchema.safeParse(item);
    const update = event.success ? normaliseSendGridEvent(event.data) : undefined;
    if (update) updates.push(update);
    else skipped++;
  }
  return { updates, skipped };
}

/** One SendGrid event → a status update, or undefined when it is not one Switchboard follows. */
function normaliseSendGridEvent(event: SendGridEvent): StatusUpdate | undefined {
  if (!event.sg_message_id) return undefined;
  const mapped = mapEvent(event);
  if (!mapped) return undefined;
  const providerMessageId = sendGridMessageId(event.sg_message_id);
  return {
    provider: Provider.SENDGRID,
    channel: Channel.EMAIL,
    providerMessageId,
    // Older dropped events carry no sg_event_id; their message, kind and time identify them.
    eventId: `sendgrid:${event.sg_event_id ?? `${providerMessageId}:${event.event}:${event.timestamp}`}`,
    at: new Date(event.timestamp * 1000).toISOString(),
    ...(event.messageId ? { messageId: event.messageId } : {}),
    ...(event.customerId ? { customerId: event.customerId } : {}),
    ...attemptOf(event.attempt),
    ...(event.email ? { recipient: event.email } : {}),
    ...mapped,
    providerEvent: mapped.providerEvent ?? event.event,
  };
}

function attemptOf(value: unknown): { attempt: number } | Record<string, never> {
  const attempt = typeof value === 'string' && /^[1-8]$/.test(value) ? Number(value) : value;
  return typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 1 && attempt <= 8
    ? { attempt }
    : {};
}

type Mapped = Pick<StatusUpdate, 'status' | 'error' | 'consent' | 'addressInvalid'> &
  Partial<Pick<StatusUpdate, 'providerEvent'>>;

function mapEvent(event: SendGridEvent): Mapped | undefined {
  switch (event.event) {
    case 'processed':
      return { status: MessageStatus.SENT };
    case 'deferred':
      // The receiving server said "later"; SendGrid keeps trying for up to 72 hours.
      return {
        status: MessageStatus.SENT,
        error: failure('deferred', event.response ?? 'deferred by the receiving server', false),
      };
    case 'delivered':
      return { status: MessageStatus.DELIVERED };
    case 'bounce': {
      const hard = isHardBounce(event);
      const code = hard ? 'bounce' : 'blocked';
      return {
        status: MessageStatus.BOUNCED,
        error: failure(code, event.reason ?? event.bounce_classification ?? code, hard),
        ...(hard ? { addressInvalid: true } : {}),
      };
    }
    case 'dropped': {
      const reason = event.reason ?? 'dropped';
      return {
        status: MessageStatus.DROPPED,
        error: failure('dropped', reason, true),
        ...(/bounced address|invalid/i.test(reason) ? { addressInvalid: true } : {}),
      };
    }
    case 'open':
      // A machine open (Apple Mail Privacy Protection) is kept apart: it is no sign of a reader.
      return {
        status: MessageStatus.OPENED,
        ...(event.sg_machine_open === true ? { providerEvent: MACHINE_OPEN_EVENT } : {}),
      };
    case 'click':
      return { status: MessageStatus.CLICKED };
    case 'spamreport':
      return { consent: optOut(ConsentSource.EMAIL_SPAM_REPORT, 'sendgrid spamreport') };
    case 'unsubscribe':
      return { consent: optOut(ConsentSource.EMAIL_UNSUBSCRIBE, 'sendgrid unsubscribe') };
    case 'group_unsubscribe':
      return {
        consent: optOut(
          ConsentSource.EMAIL_GROUP_UNSUBSCRIBE,
          `sendgrid group_unsubscribe ${groupOf(event)}`.trim(),
        ),
      };
    case 'group_resubscribe':
      return {
        consent: {
          status: ConsentStatus.OPTED_IN,
          source: ConsentSource.EMAIL_GROUP_UNSUBSCRIBE,
          reason: `sendgrid group_resubscribe ${groupOf(event)}`.trim(),
          scope: 'message-category',
        },
      };
    default:
      return undefined;
  }
}

/**
 * SendGrid's `type` is `bounce` (hard) or `blocked` (soft). A `bounce` whose classification says
 * the receiving side refused for now (technical, content, reputation, volume) is treated as soft:
 * the address is not marked invalid for what is really a block.
 */
export function isHardBounce(event: Pick<SendGridEvent, 'type' | 'bounce_classification'>): boolean {
  if (event.type === 'blocked') return false;
  const classification = event.bounce_classification?.toLowerCase();
  return !(classification && SOFT_BOUNCE_CLASSIFICATIONS.has(classification));
}

function failure(code: string, message: string, permanent: boolean): DeliveryError {
  return { code, message: message.slice(0, 1024), permanent };
}

function optOut(source: ConsentSignal['source'], reason: string): ConsentSignal {
  return { status: ConsentStatus.OPTED_OUT, source, reason, scope: 'message-category' };
}

function groupOf(event: SendGridEvent): string {
  return event.asm_group_id === undefined ? '' : `(group ${String(event.asm_group_id).slice(0, 32)})`;
}
