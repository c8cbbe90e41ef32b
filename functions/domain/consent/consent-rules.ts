/**
 * The consent rules — their one home. Which decision wins when two meet, what counts as new
 * history, how much history a profile keeps, and whether a category may be sent on a channel.
 * Both customer stores (the API path and the webhooks' path) and the router ask these functions.
 */
import type { Channel, ConsentRecord, Customer } from '../../contract';
import { Category, ConsentStatus } from '../../contract';

/** The consent changes a profile keeps, newest last; older ones drop off (an item is at most 400 KB). */
export const CONSENT_HISTORY_LIMIT = 200;

/**
 * Whether `incoming` replaces `current` for one category on one channel. A repeat of the status
 * already held is not a decision (it changes nothing and is not new history). Otherwise the newer
 * `at` wins, so a retried webhook or a slow client never undoes a later decision. On a tie the
 * opt-out wins: opt-outs fail safe, and an opt-in never overrides one it cannot prove came after.
 */
export function consentDecisionWins(current: ConsentRecord | undefined, incoming: ConsentRecord): boolean {
  if (current === undefined) return true;
  if (current.status === incoming.status) return false;
  const currentAt = Date.parse(current.at);
  const incomingAt = Date.parse(incoming.at);
  if (incomingAt !== currentAt) return incomingAt > currentAt;
  return incoming.status === ConsentStatus.OPTED_OUT;
}

/** The history after `entries` are appended: oldest first, at most {@link CONSENT_HISTORY_LIMIT}. */
export function appendConsentHistory<T>(history: readonly T[], entries: readonly T[]): T[] {
  return [...history, ...entries].slice(-CONSENT_HISTORY_LIMIT);
}

/**
 * Why a category may not be sent on a channel, or undefined if it may. Transactional messages
 * need no opt-in but honour an explicit opt-out; every other category needs an explicit opt-in
 * for that channel.
 */
export function consentProblem(customer: Customer, category: string, channel: Channel): string | undefined {
  const status = customer.consent[category]?.[channel]?.status ?? ConsentStatus.UNKNOWN;
  if (status === ConsentStatus.OPTED_OUT) return `opted out of ${category}`;
  if (category === Category.TRANSACTIONAL || status === ConsentStatus.OPTED_IN) return undefined;
  return `no opt-in for ${category}`;
}

/**
 * The categories a channel-wide instruction (STOP, START, Twilio 21610) covers: the two built-in
 * ones and every category the customer already has a consent record for on any channel.
 */
export function channelWideCategories(customer: Customer, _channel: Channel): string[] {
  return [...new Set<string>([Category.TRANSACTIONAL, Category.MARKETING, ...Object.keys(customer.consent)])];
}

/**
 * The consent a replaced profile ends with: each incoming decision, unless the stored one for the
 * same category and channel wins over it by {@link consentDecisionWins} (a stale client must not
 * undo a newer opt-out a webhook recorded). Decisions only one side has are kept as they are.
 */
export function mergeConsent(
  stored: Customer['consent'],
  incoming: Customer['consent'],
): Customer['consent'] {
  const merged: Customer['consent'] = structuredClone(incoming);
  for (const [category, byChannel] of Object.entries(stored)) {
    for (const [channel, current] of Object.entries(byChannel ?? {})) {
      const next = incoming[category]?.[channel as Channel];
      if (!current) continue;
      if (next === undefined || !consentDecisionWins(current, next)) {
        merged[category] = { ...merged[category], [channel]: current };
      }
    }
  }
  return merged;
}
