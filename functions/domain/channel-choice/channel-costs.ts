/**
 * What one message costs per channel, in US dollars, so that the choice weighs it: an SMS must earn
 * its price. Defaults are public list prices for US recipients (see docs/customers-and-routing.md,
 * "Learned channel choice", for the sources and dates); set your own contract prices in configuration.
 *
 * - SMS: Twilio US long-code outbound, $0.0083 per segment (carrier pass-through fees, about
 *   $0.003 more, are not included). https://www.twilio.com/en-us/sms/pricing/us
 * - WhatsApp: Meta's per-message rate for a marketing template to a US number, $0.025 (per-message
 *   pricing since 1 July 2025). https://developers.facebook.com/docs/whatsapp/pricing
 * - Email: SendGrid Essentials, $19.95 a month for 50,000 emails = $0.0004 each.
 *   https://sendgrid.com/en-us/pricing
 * - Push: FCM and Web Push carry messages free of charge.
 */
import type { Channel } from '../../contract';

/** Cost of one message per channel (US dollars). */
export type ChannelCosts = Readonly<Record<Channel, number>>;

/** Public US list prices per message (see the module comment for the sources). */
export const DEFAULT_CHANNEL_COSTS: ChannelCosts = { sms: 0.0083, whatsapp: 0.025, email: 0.0004, push: 0 };
