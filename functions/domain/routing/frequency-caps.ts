/**
 * Frequency caps: at most `max` non-transactional messages of some categories to one customer per
 * window (`per`), on one channel or on all of them. The rule's one home: its configuration schema,
 * the windows, and the decision — send (and count), defer until the window allows, or drop.
 *
 * Windows are fixed, not sliding: a window of length `per` starts at a whole multiple of `per`
 * after Monday 1970-01-05T00:00Z, so `P1D` windows are UTC days and `P7D` windows UTC weeks from
 * Monday. A fixed window needs one counter per cap and one conditional write to count, and tells a
 * deferred message exactly when it may go (the window's end). The price: up to `2 × max` messages
 * may fall within one `per` that straddles two windows (the end of one, the start of the next).
 *
 * Pure: no clock, no I/O. The router's step that reads and writes the counters is
 * apply-frequency-caps.ts; the counters live on the customer's profile item (its adapter is
 * adapters/dynamodb/frequency-cap-counters.ts).
 */
import { Duration } from 'luxon';
import { z } from 'zod';
import { Category, CategorySchema, type Channel, ChannelSchema, type MessageRequest } from '../../contract';

/** What happens to a message over a cap. */
export const CapOverflow = { DEFER: 'defer', DROP: 'drop' } as const;
/** An overflow name. */
export type CapOverflow = (typeof CapOverflow)[keyof typeof CapOverflow];

/** A cap's channel: one channel, or every channel together. */
export const ANY_CHANNEL = 'any';

/** Windows start at whole multiples of their length after this instant (Monday 1970-01-05T00:00Z). */
export const WINDOW_ANCHOR_MS = Date.UTC(1970, 0, 5);

const MINUTE_MS = 60_000;
const MAX_WINDOW_MS = 366 * 24 * 60 * MINUTE_MS;

/**
 * Milliseconds of a fixed-length ISO-8601 duration (`P7D`, `P1W`, `PT12H`, `P1DT12H`), or undefined.
 * Parsed by luxon (as journeys' durations are); a window needs a fixed length, so months, years and
 * seconds and fractions are refused.
 */
export function durationMs(duration: string): number | undefined {
  const parsed = Duration.fromISO(duration);
  if (!parsed.isValid) return undefined;
  const { years, quarters, months, seconds, milliseconds } = parsed;
  if (years || quarters || months || seconds || milliseconds) return undefined;
  // Whole units only (no `P1.5D`): windows are counted in whole minutes from their anchor.
  if (![parsed.weeks, parsed.days, parsed.hours, parsed.minutes].every(Number.isInteger)) return undefined;
  const ms = parsed.as('milliseconds');
  return ms > 0 ? ms : undefined;
}

/** One cap as configured (`SWITCHBOARD_FREQUENCY_CAPS`, or `frequencyCaps` in the CDK context). */
export const FrequencyCapSchema = z.strictObject({
  /** The categories counted together, e.g. `["marketing"]`; never `transactional`. */
  categories: z
    .array(CategorySchema)
    .min(1, 'must name at least one category')
    .refine((categories) => !categories.includes(Category.TRANSACTIONAL), {
      message: 'must not include transactional: transactional messages are never capped',
    }),
  /** The channel counted, or `any` (default) for all channels together. */
  channel: z.union([ChannelSchema, z.literal(ANY_CHANNEL)]).default(ANY_CHANNEL),
  /** At most this many messages per window. */
  max: z.number().int('must be a whole number').min(1, 'must be at least 1'),
  /** The window: a fixed-length ISO-8601 duration (`P1D`, `P7D`, `PT12H`); no months or years. */
  per: z.string().refine((per) => {
    const ms = durationMs(per);
    return ms !== undefined && ms <= MAX_WINDOW_MS;
  }, 'must be an ISO-8601 duration of weeks, days, hours or minutes (P1D, P7D, PT12H), at most 366 days'),
  /** Over the cap: `defer` (default) to the window's end, or `drop`. */
  overflow: z.enum([CapOverflow.DEFER, CapOverflow.DROP]).default(CapOverflow.DEFER),
});

/** One cap, with its defaults applied. */
export type FrequencyCap = z.infer<typeof FrequencyCapSchema>;

/** Every configured cap; two caps counting the same thing (categories, channel, window) are one too many. */
export const FrequencyCapsSchema = z.array(FrequencyCapSchema).superRefine((caps, ctx) => {
  const seen = new Set<string>();
  caps.forEach((cap, index) => {
    const id = capId(cap);
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index], message: `repeats the cap ${id}` });
    seen.add(id);
  });
});

/**
 * The name a cap's counter is kept under: its categories, channel and window, so changing `max` or
 * `overflow` keeps counting where it was, and a changed window starts afresh.
 */
export function capId(cap: Pick<FrequencyCap, 'categories' | 'channel' | 'per'>): string {
  return `${[...cap.categories].sort().join('+')}.${cap.channel}.${cap.per}`;
}

/** One customer's count for one cap, as stored: the window it counts and the messages counted in it. */
export interface CapCounter {
  /** Start of the counted window, epoch milliseconds. */
  readonly window: number;
  readonly count: number;
  /** The messages counted in this window, so a redelivered message is never counted twice. */
  readonly messageIds: readonly string[];
}

/** A customer's counters by cap id. */
export type CapCounters = Readonly<Record<string, CapCounter>>;

/** A cap that applies to one message, with the window it falls in and the counter as read. */
export interface CapScope {
  readonly id: string;
  readonly cap: FrequencyCap;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Whether the message is held to `max` (false for an exempt `high` priority message: counted only). */
  readonly enforced: boolean;
  /** The stored counter, when it counts this window. */
  readonly current?: CapCounter;
}

/** The window of length `per` that `at` falls in. */
export function windowOf(at: Date, perMs: number): { start: number; end: number } {
  const start = WINDOW_ANCHOR_MS + Math.floor((at.getTime() - WINDOW_ANCHOR_MS) / perMs) * perMs;
  return { start, end: start + perMs };
}

/**
 * The caps that count a message sent now on these channels: none for a transactional message; a
 * channel cap only when one of the channels is its channel.
 */
export function capScopes(
  caps: readonly FrequencyCap[],
  request: Pick<MessageRequest, 'category' | 'priority'>,
  channels: readonly Channel[],
  counters: CapCounters,
  now: Date,
): CapScope[] {
  if (request.category === Category.TRANSACTIONAL) return [];
  return caps
    .filter((cap) => cap.categories.includes(request.category))
    .filter((cap) => cap.channel === ANY_CHANNEL || channels.includes(cap.channel))
    .map((cap) => {
      const { start, end } = windowOf(now, durationMs(cap.per) as number);
      const id = capId(cap);
      const stored = counters[id];
      return {
        id,
        cap,
        windowStart: start,
        windowEnd: end,
        enforced: request.priority !== 'high',
        ...(stored && stored.window === start ? { current: stored } : {}),
      };
    });
}

/** What the caps say about one message. */
export type CapVerdict =
  /** Under every cap: count it in these scopes (one conditional write), then send. */
  | { readonly kind: 'count'; readonly scopes: readonly CapScope[] }
  /** No cap applies, or it was counted already (a redelivery): send without counting. */
  | { readonly kind: 'send' }
  | { readonly kind: 'defer'; readonly until: Date; readonly reason: string }
  | { readonly kind: 'drop'; readonly reason: string };

/**
 * Decides a message against its caps: count and send when every enforced cap has room; otherwise
 * defer it to the latest end of the full caps' windows, or drop it when a full cap says `drop` or
 * the message is `low` priority. A `high` priority message is never held back, only counted.
 */
export function decideCaps(
  scopes: readonly CapScope[],
  messageId: string,
  priority?: MessageRequest['priority'],
): CapVerdict {
  if (scopes.length === 0) return { kind: 'send' };
  // Every scope is counted in one write, so a message counted in one window's scopes was counted in all.
  if (scopes.every((scope) => scope.current?.messageIds.includes(messageId))) return { kind: 'send' };
  const full = scopes.filter((scope) => scope.enforced && (scope.current?.count ?? 0) >= scope.cap.max);
  if (full.length === 0) return { kind: 'count', scopes };
  const described = full.map(describeCap).join('; ');
  if (priority === 'low') return { kind: 'drop', reason: `capped: ${described}; dropped (low priority)` };
  if (full.some((scope) => scope.cap.overflow === CapOverflow.DROP)) {
    return { kind: 'drop', reason: `capped: ${described}; dropped` };
  }
  const until = new Date(Math.max(...full.map((scope) => scope.windowEnd)));
  return { kind: 'defer', until, reason: `capped: ${described}; deferred until ${until.toISOString()}` };
}

/** The key a deferred message's schedule is named by: one per deferral, so a re-deferral never collides with the schedule that just ran. */
export function cappedScheduleKey(messageId: string, until: Date): string {
  return `${messageId}-c${Math.floor(until.getTime() / 1000)}`;
}

/** "at most 3 marketing messages per P7D on any channel (3 sent)". */
function describeCap(scope: CapScope): string {
  const { cap } = scope;
  const on = cap.channel === ANY_CHANNEL ? 'any channel' : cap.channel;
  return `at most ${cap.max} ${cap.categories.join('/')} message${cap.max === 1 ? '' : 's'} per ${cap.per} on ${on}`;
}
