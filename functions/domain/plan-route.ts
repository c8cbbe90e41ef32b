/**
 * Route planning: which of a customer's channels a request may use now, in which order, and when.
 *
 * Main path: take the channels the request allows, order them by the customer's ranking, drop any
 * already tried, without an address (or with one a hard bounce marked invalid) or without consent
 * for the category; delay non-transactional
 * messages past quiet hours; pick the first (strategy `preferred`, the rest as fallback) or all of
 * them (strategy `all`). Pure: no clock, no I/O.
 */
import {
  Category,
  CHANNELS,
  type Channel,
  type Customer,
  type MessageRequest,
  type QuietHours,
} from '../contract';
import { consentProblem } from './consent/consent-rules';
import type { ChannelState } from './customer-model';
import { DEFAULT_QUIET_HOURS, endOfQuietHours } from './quiet-hours';
import { routingStrategyOf, type StrategyDefaults } from './routing-strategy';

/** Settings that apply when a customer has not set their own. */
export interface RoutingDefaults {
  /** Time zone for customers without one (IANA name). */
  readonly timeZone: string;
  /** Quiet hours for customers without their own. */
  readonly quietHours: QuietHours;
  /** The routing strategy per category when a request names none (default `preferred`). */
  readonly strategies?: StrategyDefaults;
}

/** Defaults: UTC and 21:00–08:00. */
export const DEFAULT_ROUTING: RoutingDefaults = { timeZone: 'UTC', quietHours: DEFAULT_QUIET_HOURS };

/** Why a channel was left out, per channel. */
export type SkipReasons = Partial<Record<Channel, string>>;

/** What to do with a request. */
export type RoutePlan =
  | {
      readonly kind: 'route';
      /** Channels to send to now (one for `preferred`). */
      readonly channels: readonly Channel[];
      /** Channels to try next, in order, if the first fails (empty for `all` or without fallback). */
      readonly fallbackChannels: readonly Channel[];
      /** When to send; later than `now` for `sendAt` or quiet hours. */
      readonly deliverAt: Date;
      /** Channels left out, with why. */
      readonly skipped: SkipReasons;
      /** Whether quiet hours moved `deliverAt`. */
      readonly quietHoursDelay: boolean;
      /** Every channel allowed now, in ranking order (what a learned choice ranks again). */
      readonly allowed: readonly Channel[];
    }
  | { readonly kind: 'expired'; readonly reason: string }
  | { readonly kind: 'undeliverable'; readonly skipped: SkipReasons; readonly reason: string };

/** Everything planning looks at. */
export interface PlanInput {
  readonly request: MessageRequest;
  readonly customer: Customer;
  readonly now: Date;
  /** Channels already tried for this message (fallback); never planned again. */
  readonly triedChannels?: readonly Channel[];
  readonly defaults?: RoutingDefaults;
  /** What the webhooks learned about the customer's channels (addresses marked invalid). */
  readonly channelState?: ChannelState;
}

/** Plans the route of one request for one customer. */
export function planRoute(input: PlanInput): RoutePlan {
  const { request, customer, now } = input;
  const defaults = input.defaults ?? DEFAULT_ROUTING;
  const tried = new Set(input.triedChannels ?? []);

  if (request.expiresAt && Date.parse(request.expiresAt) <= now.getTime()) {
    return { kind: 'expired', reason: `expired at ${request.expiresAt}` };
  }

  const skipped: SkipReasons = {};
  const candidates: Channel[] = [];
  for (const channel of candidateOrder(request, customer)) {
    const reason = tried.has(channel)
      ? 'already tried'
      : (addressProblem(customer, channel, input.channelState) ??
        consentProblem(customer, request.category, channel));
    if (reason) skipped[channel] = reason;
    else candidates.push(channel);
  }
  if (candidates.length === 0) {
    return { kind: 'undeliverable', skipped, reason: describeSkipped(skipped) };
  }

  const sendAt = request.sendAt ? new Date(Math.max(Date.parse(request.sendAt), now.getTime())) : now;
  let deliverAt = sendAt;
  if (request.category !== Category.TRANSACTIONAL) {
    const quietHours = customer.preferences.quietHours ?? defaults.quietHours;
    deliverAt = endOfQuietHours(sendAt, quietHours, customer.timezone ?? defaults.timeZone);
  }
  if (request.expiresAt && Date.parse(request.expiresAt) <= deliverAt.getTime()) {
    return {
      kind: 'expired',
      reason: `would go out at ${deliverAt.toISOString()}, after it expires at ${request.expiresAt}`,
    };
  }

  // `learned` plans like `preferred`: the router then reorders the allowed channels (routing/learned-ranking.ts).
  const strategy = routingStrategyOf(request, defaults.strategies);
  const fallback = request.routing?.fallback ?? true;
  const [first, ...rest] = candidates as [Channel, ...Channel[]];
  return {
    kind: 'route',
    channels: strategy === 'all' ? candidates : [first],
    fallbackChannels: strategy === 'all' || !fallback ? [] : rest,
    deliverAt,
    skipped,
    quietHoursDelay: deliverAt.getTime() !== sendAt.getTime(),
    allowed: candidates,
  };
}

/**
 * The channels to consider, best first: the customer's ranking, then every other channel in the
 * default order, kept to the request's allow-list when it has one.
 */
export function candidateOrder(request: MessageRequest, customer: Customer): Channel[] {
  const ranked = [...new Set<Channel>([...customer.preferences.channels, ...CHANNELS])];
  const allowed = request.routing?.channels;
  return allowed ? ranked.filter((channel) => allowed.includes(channel)) : ranked;
}

function addressProblem(customer: Customer, channel: Channel, state?: ChannelState): string | undefined {
  const address = customer.addresses[channel];
  if (address === undefined || (Array.isArray(address) && address.length === 0)) return 'no address';
  const invalid = state?.invalidAddresses[channel];
  if (invalid) return `address invalid since ${invalid.at} (${invalid.reason})`;
  return undefined;
}

/** "sms: opted out of marketing; email: no address". */
export function describeSkipped(skipped: SkipReasons): string {
  const entries = Object.entries(skipped);
  if (entries.length === 0) return 'no channel is allowed for this request';
  return entries.map(([channel, reason]) => `${channel}: ${reason}`).join('; ');
}
