/**
 * The attribution window: how long before a conversion a sent message still counts as a touch —
 * the message category's window when one is configured, the default otherwise.
 */
import type { AttributionSettings } from './attribution-settings';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How much earlier than the window a message may have been created and still be sent inside it:
 * quiet hours and short delays hold a message for less than a day. The touch query reads this much
 * further back (the index is ordered by creation, the window by sending).
 */
export const SEND_DELAY_SLACK_MS = DAY_MS;

/** The window of a message's category, in milliseconds. */
export function windowMsOf(category: string | undefined, settings: AttributionSettings): number {
  const days =
    (category === undefined ? undefined : settings.windowDaysByCategory[category]) ?? settings.windowDays;
  return days * DAY_MS;
}

/** The longest window of any category, in milliseconds: how far back a conversion's touches may lie. */
export function longestWindowMs(settings: AttributionSettings): number {
  return Math.max(settings.windowDays, ...Object.values(settings.windowDaysByCategory)) * DAY_MS;
}

/** Whether a message sent at `sentAt` (of `category`) is a touch of a conversion at `occurredAt`. */
export function isWithinWindow(
  touch: { readonly sentAt: string; readonly category?: string | undefined },
  occurredAt: string,
  settings: AttributionSettings,
): boolean {
  const sent = Date.parse(touch.sentAt);
  const converted = Date.parse(occurredAt);
  return sent <= converted && sent >= converted - windowMsOf(touch.category, settings);
}

/** The creation times (UTC ISO) between which a conversion's touches were created. */
export function touchQueryRange(
  occurredAt: string,
  settings: AttributionSettings,
): { from: string; to: string } {
  const converted = Date.parse(occurredAt);
  return {
    from: new Date(converted - longestWindowMs(settings) - SEND_DELAY_SLACK_MS).toISOString(),
    to: new Date(converted).toISOString(),
  };
}
