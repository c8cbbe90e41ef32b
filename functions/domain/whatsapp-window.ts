/**
 * The WhatsApp 24-hour window: freeform messages only within 24 hours of the customer's last
 * inbound message. The webhooks open the window; the router and the renderer ask whether it is open.
 */
import type { ChannelState } from './ports';

/** Whether the customer's WhatsApp 24-hour window is open now. */
export function isWhatsAppWindowOpen(state: ChannelState, now: Date): boolean {
  return state.whatsappWindowUntil !== undefined && Date.parse(state.whatsappWindowUntil) > now.getTime();
}
