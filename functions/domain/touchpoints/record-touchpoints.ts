/**
 * Recording touchpoint events (`POST /v1/events` and the touchpoints queue).
 *
 * Main path: split the body into events, parsed one by one; store each valid event once on its
 * profile (the messageId is the de-duplication key); an identify carrying both ids first points
 * the anonymous profile at the customer, then moves the anonymous history across; identify traits
 * update the customer's attributes. Bad events are reported with their index and field issues and
 * never stop the good ones.
 *
 * Identity is safe under at-least-once delivery and concurrency because of the order of writes:
 * the stitch links before it moves, and an anonymous-only event re-reads the link after writing;
 * so whichever of the two comes last sees the other (the identify moves the history it finds, a
 * late event moves itself), and moves are create-if-absent then delete.
 */
import {
  type ParsedTouchpoint,
  parseTouchpointBody,
  type TouchpointEvent,
  type TouchpointResult,
  type TouchpointsAccepted,
} from '../../contract';
import { type FieldIssue, fieldPath } from '../../contract/validation';
import { type ClientContextPolicy, profileOf, toTouchpoint } from './touchpoint';
import type { CustomerAttributes, RecordOutcome, SourceGate, TouchpointStore } from './touchpoint-ports';
import { traitsToAttributes } from './traits-to-attributes';

/** What recording touchpoints needs. */
export interface RecordTouchpointsDeps {
  readonly touchpoints: TouchpointStore;
  readonly attributes: CustomerAttributes;
  /** The write-key source of the body (public ingest): what its events may claim, and their mark. */
  readonly source?: SourceGate;
  /** The IP address and user agent to keep (none unless configured), and the request's own. */
  readonly clientContext?: ClientContextPolicy;
  readonly now?: () => Date;
  readonly logger?: {
    info(message: string, extra: Record<string, unknown>): void;
    warn(message: string, extra: Record<string, unknown>): void;
  };
}

/** The body as a whole was not one event or a `{ batch }`: nothing was recorded. */
export type RecordTouchpointsOutcome =
  | { readonly ok: true; readonly answer: TouchpointsAccepted }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/** Records every valid event of a body and reports each one. */
export async function recordTouchpoints(
  body: unknown,
  deps: RecordTouchpointsDeps,
): Promise<RecordTouchpointsOutcome> {
  const parsed = parseTouchpointBody(body);
  if (!parsed.success) return { ok: false, issues: parsed.issues };
  const { batch } = parsed.data;
  // A batch is mostly one visitor's or one customer's events: ask once per customer whether they
  // were erased, not once per event.
  const erased = new Map<string, Promise<boolean>>();
  const isErased = (customerId: string) => {
    let answer = erased.get(customerId);
    if (!answer) {
      answer = deps.attributes.isErased(customerId);
      erased.set(customerId, answer);
    }
    return answer;
  };
  const attributes: CustomerAttributes = {
    isErased,
    applyTraits: (customerId, values, at) => deps.attributes.applyTraits(customerId, values, at),
  };
  const results = await Promise.all(
    parsed.data.events.map((event) =>
      recordParsed(admitted(event, batch, deps.source), { ...deps, attributes }),
    ),
  );
  return {
    ok: true,
    answer: {
      accepted: results.filter((result) => result.status === 'accepted').length,
      duplicates: results.filter((result) => result.status === 'duplicate').length,
      rejected: results.filter((result) => result.status === 'rejected').length,
      results,
    },
  };
}

/** The event as its source may send it (unchanged without a source); issues prefixed like the contract's. */
function admitted(
  parsed: ParsedTouchpoint,
  batch: boolean,
  source: SourceGate | undefined,
): ParsedTouchpoint {
  if (!parsed.ok || !source) return parsed;
  const admission = source.admit(parsed.event);
  if (admission.ok) return { ...parsed, event: admission.event };
  const prefix = batch ? `${fieldPath(['batch', parsed.index])}.` : '';
  return {
    index: parsed.index,
    ok: false,
    messageId: parsed.event.messageId,
    issues: admission.issues.map((issue) => ({ ...issue, field: `${prefix}${issue.field}` })),
  };
}

async function recordParsed(
  parsed: ParsedTouchpoint,
  deps: RecordTouchpointsDeps,
): Promise<TouchpointResult> {
  if (!parsed.ok) {
    return {
      index: parsed.index,
      ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
      status: 'rejected',
      issues: [...parsed.issues],
    };
  }
  const outcome = await recordTouchpoint(parsed.event, deps);
  if (outcome === 'erased') {
    return {
      index: parsed.index,
      messageId: parsed.event.messageId,
      status: 'rejected',
      issues: [{ field: 'userId', message: 'the customer was erased: nothing about them is recorded' }],
    };
  }
  return {
    index: parsed.index,
    messageId: parsed.event.messageId,
    status: outcome === 'stored' ? 'accepted' : 'duplicate',
  };
}

/**
 * Records one valid event: stores it, stitches on identify, applies traits. Nothing is written for
 * an erased customer (their events, or an anonymous visitor's stitched to them): an erasure must
 * not be undone by the next page view.
 */
export async function recordTouchpoint(
  event: TouchpointEvent,
  deps: RecordTouchpointsDeps,
): Promise<RecordOutcome> {
  const { touchpoints } = deps;
  const received = toTouchpoint(event, (deps.now ?? (() => new Date()))(), deps.clientContext);
  const touchpoint = deps.source ? { ...received, source: deps.source.mark } : received;
  const profile = profileOf(event);

  if (profile.kind === 'customer') {
    if (await deps.attributes.isErased(profile.customerId)) return 'erased';
    const anonymousId = event.type === 'identify' ? event.anonymousId : undefined;
    // Link before storing or moving: from here on an anonymous-only event goes to the customer.
    const link =
      anonymousId === undefined ? undefined : await touchpoints.link(anonymousId, profile.customerId);
    if (link?.outcome === 'linked-elsewhere') {
      deps.logger?.warn(
        'An anonymous profile is already stitched to another customer; its history stays there',
        {
          messageId: event.messageId,
        },
      );
    }
    const stored = await touchpoints.put(profile, touchpoint);
    // Both run on every delivery, not only the first: a retry after a crash finishes what it began.
    if (anonymousId !== undefined && link && link.outcome !== 'linked-elsewhere') {
      const moved = await touchpoints.moveAnonymousHistory(anonymousId, profile.customerId);
      if (moved.copied > 0) deps.logger?.info('Stitched anonymous history onto a customer', { ...moved });
    }
    if (event.type === 'identify' && event.traits) {
      await deps.attributes.applyTraits(
        profile.customerId,
        traitsToAttributes(event.traits),
        touchpoint.occurredAt,
      );
    }
    return stored;
  }

  const owner = await touchpoints.stitchedCustomer(profile.anonymousId);
  if (owner !== undefined) {
    if (await deps.attributes.isErased(owner)) return 'erased';
    return touchpoints.put({ kind: 'customer', customerId: owner }, { ...touchpoint, customerId: owner });
  }
  const stored = await touchpoints.put(profile, touchpoint);
  // An identify may have linked the profile while this was being written: look again, and move
  // this event only. The identify's own move takes every event stored before its query (and its
  // retry finishes a move it crashed in); an event stored after that query is here, seeing the link.
  const lateOwner = await touchpoints.stitchedCustomer(profile.anonymousId);
  if (lateOwner !== undefined) {
    await touchpoints.moveTouchpoint(profile.anonymousId, lateOwner, {
      ...touchpoint,
      customerId: lateOwner,
    });
  }
  return stored;
}
