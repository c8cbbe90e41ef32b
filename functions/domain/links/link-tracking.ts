/**
 * The rule of link tracking: which messages have their links rewritten to Switchboard's short
 * links (docs/links.md). SMS, WhatsApp freeform text and push (text and tap target) are tracked
 * unless the request says `tracking: { links: false }`, its category is configured off, or no base
 * URL is configured. Email is not: SendGrid's own click tracking reports its clicks (`clicked`).
 */
import type { Channel, ChannelMessage } from '../../contract';
import { MAX_TEXT_CHARS } from '../../contract';

/** The channels whose links Switchboard rewrites. */
export const LINK_TRACKED_CHANNELS: ReadonlySet<Channel> = new Set(['sms', 'whatsapp', 'push']);

/**
 * Most links tracked in one attempt: its link items are written in one DynamoDB transaction (100
 * actions, one of them the check that the attempt was not erased). Later links stay as written.
 */
export const MAX_TRACKED_LINKS = 20;

/** Link tracking as configured (functions/link-tracking-config.ts). */
export interface LinkTrackingSettings {
  /** Scheme and host (and optional path) the short links start with; unset, nothing is rewritten. */
  readonly baseUrl?: string;
  /** Per category, `false` to leave its links untouched; a category not named is tracked. */
  readonly categories: Readonly<Record<string, boolean>>;
}

/** Whether a channel message's links are rewritten to short links. */
export function tracksLinks(
  message: Pick<ChannelMessage, 'channel' | 'category' | 'tracking'>,
  settings: LinkTrackingSettings,
): boolean {
  if (!settings.baseUrl || !LINK_TRACKED_CHANNELS.has(message.channel)) return false;
  // Opting out fails safe: any `false`, the request's or the category's, wins.
  if (message.tracking?.links === false) return false;
  return settings.categories[message.category] !== false;
}

/**
 * Whether a rewritten text may go out instead of the one written: never past the channel's text
 * limit (Twilio refuses more than 1,600 characters), which a short link longer than the link it
 * replaces could cross.
 */
export function fitsAfterRewrite(text: string | undefined): boolean {
  return text === undefined || Array.from(text).length <= MAX_TEXT_CHARS;
}
