/**
 * A touchpoint as Switchboard keeps it: the parts of a Segment-spec event the timeline, journeys and
 * attribution read, on the profile it belongs to. Pure: no storage here.
 */
import type { TouchpointChannel, TouchpointEvent, TouchpointType } from '../../contract';

/** Whose history a touchpoint is on: a customer's, or an anonymous visitor's until identified. */
export type ProfileRef =
  | { readonly kind: 'customer'; readonly customerId: string }
  | { readonly kind: 'anonymous'; readonly anonymousId: string };

/** The write-key source a touchpoint came in through (public ingest only), so reports can tell client-sent ones. */
export interface TouchpointSource {
  readonly sourceId: string;
  /** `client` (a public key: browser, app, store terminal) or `server` (a secret key). */
  readonly kind: 'client' | 'server';
}

/** A touchpoint ready to store. */
export interface Touchpoint {
  /** The publisher's de-duplication key (Segment `messageId`). */
  readonly messageId: string;
  readonly type: TouchpointType;
  /** `event` of a track, `name` of a page; absent for identify. */
  readonly name?: string;
  readonly customerId?: string;
  readonly anonymousId?: string;
  /** When it happened (UTC ISO), the event's `timestamp` or, without one, when it was received. */
  readonly occurredAt: string;
  readonly receivedAt: string;
  readonly channel?: TouchpointChannel;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly traits?: Readonly<Record<string, unknown>>;
  /**
   * The context fields kept: channel, campaign (UTM), locale, page; the IP address and user agent
   * only when the deployment keeps them ({@link ClientContextField}).
   */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The source it came through on the public ingest; absent for IAM callers and the queue. */
  readonly source?: TouchpointSource;
}

/** The profile an event belongs to before any stitching: its `userId` wins over its `anonymousId`. */
export function profileOf(event: Pick<TouchpointEvent, 'userId' | 'anonymousId'>): ProfileRef {
  if (event.userId !== undefined) return { kind: 'customer', customerId: event.userId };
  if (event.anonymousId !== undefined) return { kind: 'anonymous', anonymousId: event.anonymousId };
  throw new Error('A touchpoint event has neither userId nor anonymousId (the contract requires one)');
}

// The library names Segment's and RudderStack's clients put in context.library or top-level
// `channel` when the publisher sets no context.channel: a best guess, never a contradiction.
const CHANNEL_HINTS: Readonly<Record<string, TouchpointChannel>> = {
  browser: 'web',
  web: 'web',
  'analytics.js': 'web',
  'analytics-next': 'web',
  mobile: 'mobile',
  'analytics-ios': 'mobile',
  'analytics-android': 'mobile',
  'analytics-react-native': 'mobile',
  server: 'server',
  'analytics-node': 'server',
  '@segment/analytics-node': 'server',
};

/** `context.channel` when set, otherwise what the sending library says about itself. */
export function touchpointChannel(event: TouchpointEvent): TouchpointChannel | undefined {
  if (event.context?.channel) return event.context.channel;
  const library = (event.context as { library?: { name?: unknown } } | undefined)?.library?.name;
  const topLevel = (event as { channel?: unknown }).channel;
  for (const hint of [library, topLevel]) {
    if (typeof hint === 'string' && CHANNEL_HINTS[hint]) return CHANNEL_HINTS[hint];
  }
  return undefined;
}

const KEPT_CONTEXT = ['campaign', 'locale', 'page'] as const;

/**
 * The personal context fields a deployment may choose to keep (`privacy.keepClientContext`):
 * Segment's `context.ip` and `context.userAgent`. Kept by none by default.
 */
export const ClientContextField = { IP: 'ip', USER_AGENT: 'userAgent' } as const;
/** One of {@link ClientContextField}. */
export type ClientContextField = (typeof ClientContextField)[keyof typeof ClientContextField];

/** Which personal context fields to keep, and what the request itself said (the public ingest's connection). */
export interface ClientContextPolicy {
  readonly keep: readonly ClientContextField[];
  /** The address and user agent of the HTTP request the event came in, used when the event has none. */
  readonly request?: { readonly ip?: string | undefined; readonly userAgent?: string | undefined };
}

// Long enough for any real user agent; a longer string is not one, and is not kept whole.
const CLIENT_CONTEXT_MAX_LENGTH = 512;

function clientContext(event: TouchpointEvent, policy: ClientContextPolicy): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const field of policy.keep) {
    const sent = event.context?.[field];
    const value = typeof sent === 'string' && sent ? sent : policy.request?.[field];
    if (value) kept[field] = value.slice(0, CLIENT_CONTEXT_MAX_LENGTH);
  }
  return kept;
}

/**
 * The touchpoint kept for an event received at `receivedAt`. The IP address and user agent are
 * dropped unless `policy` keeps them: they identify a person and most uses never need them.
 */
export function toTouchpoint(
  event: TouchpointEvent,
  receivedAt: Date,
  policy: ClientContextPolicy = { keep: [] },
): Touchpoint {
  const channel = touchpointChannel(event);
  const context: Record<string, unknown> = clientContext(event, policy);
  for (const key of KEPT_CONTEXT) if (event.context?.[key] !== undefined) context[key] = event.context[key];
  if (channel) context.channel = channel;
  const name = event.type === 'track' ? event.event : event.type === 'page' ? event.name : undefined;
  return {
    messageId: event.messageId,
    type: event.type,
    ...(name !== undefined ? { name } : {}),
    ...(event.userId !== undefined ? { customerId: event.userId } : {}),
    ...(event.anonymousId !== undefined ? { anonymousId: event.anonymousId } : {}),
    occurredAt: new Date(event.timestamp ?? receivedAt).toISOString(),
    receivedAt: receivedAt.toISOString(),
    ...(channel ? { channel } : {}),
    ...(event.properties ? { properties: event.properties } : {}),
    ...(event.traits ? { traits: event.traits } : {}),
    ...(Object.keys(context).length > 0 ? { context } : {}),
  };
}
