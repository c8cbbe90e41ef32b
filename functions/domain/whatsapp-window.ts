/**
 * The WhatsApp 24-hour window — the one home of the rule. WhatsApp allows freeform messages only
 * within 24 hours of the customer's last inbound message; outside it, only an approved template.
 * The webhooks open the window ({@link whatsappWindowEnd}); the router, the renderer and the
 * WhatsApp sender all ask {@link isWhatsAppWindowOpenUntil}, with the same safety margin, so they
 * can never disagree about whether a message may be freeform.
 */
import type { RenderedContent } from '../contract';
import type { ChannelState } from './customer-model';

/** How long the window stays open after the customer's last inbound WhatsApp message. */
export const WHATSAPP_WINDOW_HOURS = 24;

/** The window's length in milliseconds. */
export const WHATSAPP_WINDOW_MS = WHATSAPP_WINDOW_HOURS * 3_600_000;

/**
 * A window that closes this soon counts as closed. A freeform message handed to Twilio may wait
 * in Twilio's own queue before it leaves; if it leaves after the window ends WhatsApp fails it
 * with 63016. Treating the last minute as closed sends the approved template instead.
 */
export const WHATSAPP_WINDOW_SAFETY_MARGIN_MS = 60_000;

/** When the window opened by an inbound message received at `receivedAt` closes (ISO-8601). */
export function whatsappWindowEnd(receivedAt: string): string {
  return new Date(Date.parse(receivedAt) + WHATSAPP_WINDOW_MS).toISOString();
}

/** Whether freeform is allowed at `now`, given when the window closes (undefined: never opened). */
export function isWhatsAppWindowOpenUntil(windowOpenUntil: string | undefined, now: Date): boolean {
  if (windowOpenUntil === undefined) return false;
  const closesAt = Date.parse(windowOpenUntil);
  return Number.isFinite(closesAt) && closesAt - now.getTime() > WHATSAPP_WINDOW_SAFETY_MARGIN_MS;
}

/** Whether the customer's WhatsApp 24-hour window is open now (with the safety margin). */
export function isWhatsAppWindowOpen(state: ChannelState, now: Date): boolean {
  return isWhatsAppWindowOpenUntil(state.whatsappWindowUntil, now);
}

/** How a WhatsApp message is sent. */
export const WhatsAppForm = { FREEFORM: 'freeform', TEMPLATE: 'template' } as const;
/** A WhatsApp form. */
export type WhatsAppForm = (typeof WhatsAppForm)[keyof typeof WhatsAppForm];

/**
 * The form to send at `now`: freeform while the window is open and there is text, else the
 * approved template if the content carries one, else undefined (the message cannot be sent).
 * The renderer puts both forms in the content when it can, so a message that waited in a queue
 * past the window's end still goes out, as its template.
 */
export function chooseWhatsAppForm(
  content: Pick<RenderedContent, 'text' | 'whatsappTemplate'>,
  windowOpenUntil: string | undefined,
  now: Date,
): WhatsAppForm | undefined {
  if (content.text && isWhatsAppWindowOpenUntil(windowOpenUntil, now)) return WhatsAppForm.FREEFORM;
  if (content.whatsappTemplate) return WhatsAppForm.TEMPLATE;
  return undefined;
}
