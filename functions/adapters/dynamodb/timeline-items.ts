/**
 * How the items on a customer's timeline (`gsi1` of the messages table, keys in messages-table.ts)
 * and the consent history of their profile (customers table) become timeline entries. Every item
 * has a string `kind`; the kinds and the attributes read are the shared contract of issue 17:
 *
 * - `message`, `inbound`, `touchpoint`: written by the router, the webhooks and the touchpoint store;
 * - `click` (`click#<token>#<clickedAt>`): `token`, `messageId`, `attempt`, `channel`, `url`, `clickedAt`;
 * - `conversion` (`conversion#<touchpoint messageId>`): `conversionId`, `event`, `occurredAt`,
 *   `channel`, `revenue?`, `currency?`, `sourceKind?`, `credits`.
 *
 * Runs of journeys are on no index: each `journey-run` item (`journey#<journeyId>#<key>`, SPEC-18)
 * becomes the entries of its run (domain/timeline/journey-entries.ts).
 *
 * Every row carries the key it sorts by on the timeline: an item's `gsi1sk`, for a consent change
 * `<at>#consent#<category>#<channel>`, and for a run's entry `<at>#journey#<runId>#<n>` (`n` its
 * place in the run, so entries of one instant keep their order); all interleave by the same order.
 */
import type {
  Channel,
  ConversionCredit,
  Provider,
  TimelineClickEntry,
  TimelineConsentEntry,
  TimelineConversionEntry,
  TimelineEntry,
  TimelineEntryType,
  TimelineInboundEntry,
  TimelineTouchpointEntry,
  TouchpointChannel,
} from '../../contract';
import type { ConsentHistoryEntry } from '../../domain/customer-model';
import type { LedgerMessage } from '../../domain/ledger-model';
import { journeyEntries, type RunOnTimeline } from '../../domain/timeline/journey-entries';
import { fromRunItem } from './journey-run-store';
import { fromTouchpointItem, JOURNEY_RUN_KIND, toMessage } from './messages-table';

/** One timeline item read and mapped, before the page is cut: what it sorts by and how it filters. */
export type TimelineRow =
  | {
      readonly sortKey: string;
      readonly type: 'message';
      readonly channels: readonly string[];
      /** The message; its entry needs its attempt records, read for the page's messages only. */
      readonly message: LedgerMessage;
    }
  | {
      readonly sortKey: string;
      readonly type: Exclude<TimelineEntryType, 'message'>;
      readonly channels: readonly string[];
      readonly entry: Exclude<TimelineEntry, { type: 'message' }>;
    };

/** An item of the timeline index as its row, or undefined for a kind this reader does not know. */
export function toTimelineRow(item: Record<string, unknown>): TimelineRow | undefined {
  const sortKey = String(item.gsi1sk);
  switch (item.kind) {
    case 'message': {
      const message = toMessage(item);
      const channels = message.attempts.map((attempt) => attempt.channel);
      return { sortKey, type: 'message', channels, message };
    }
    case 'inbound':
      return entryRow(sortKey, toInboundEntry(item));
    case 'touchpoint':
      return entryRow(sortKey, toTouchpointEntry(item));
    case 'click':
      return entryRow(sortKey, toClickEntry(item));
    case 'conversion':
      return entryRow(sortKey, toConversionEntry(item));
    default:
      return undefined;
  }
}

/** A consent change of the profile's history as its row. */
export function toConsentRow(change: ConsentHistoryEntry): TimelineRow {
  const at = isoOrAsIs(change.at);
  const entry: TimelineConsentEntry = {
    type: 'consent',
    at: change.at,
    category: change.category,
    channel: change.channel,
    status: change.status,
    source: change.source,
    ...(change.reason ? { reason: change.reason } : {}),
    ...(change.messageId ? { messageId: change.messageId } : {}),
  };
  return entryRow(`${at}#consent#${change.category}#${change.channel}`, entry);
}

/** A journey run item as the rows of its entries, oldest first (none for an item that is not a run). */
export function toJourneyRows(item: Record<string, unknown>): TimelineRow[] {
  const run = runOnTimeline(item);
  if (run === undefined) return [];
  return journeyEntries(run).map((entry, index) =>
    entryRow(`${isoOrAsIs(entry.at)}#journey#${run.runId}#${String(index).padStart(4, '0')}`, entry),
  );
}

/** What the timeline reads of a run item: its run, as the engine stored it (journey-run-store.ts). */
function runOnTimeline(item: Record<string, unknown>): RunOnTimeline | undefined {
  if (item.kind !== JOURNEY_RUN_KIND || !(item.state instanceof Uint8Array)) return undefined;
  const { run } = fromRunItem(item);
  // The interpreter gives a journey without a key the key '' (its item's sort key says `-`).
  return { ...run, key: run.key || '-' };
}

function entryRow(sortKey: string, entry: Exclude<TimelineEntry, { type: 'message' }>): TimelineRow {
  return {
    sortKey,
    type: entry.type,
    channels: 'channel' in entry && entry.channel ? [entry.channel] : [],
    entry,
  };
}

/** An inbound item as its entry. */
export function toInboundEntry(item: Record<string, unknown>): TimelineInboundEntry {
  const receivedAt = String(item.receivedAt ?? '');
  return {
    type: 'inbound',
    at: receivedAt,
    ...(typeof item.customerId === 'string' && item.customerId ? { customerId: item.customerId } : {}),
    channel: item.channel as Channel,
    from: String(item.from ?? ''),
    text: String(item.text ?? ''),
    media: (item.media ?? []) as TimelineInboundEntry['media'],
    receivedAt,
    ...(typeof item.inReplyTo === 'string' ? { inReplyTo: item.inReplyTo } : {}),
    provider: item.provider as Provider,
    providerMessageId: String(item.providerMessageId ?? ''),
    ...(typeof item.consentIntent === 'string' ? { consentIntent: item.consentIntent } : {}),
    ...(typeof item.consentMatched === 'string' ? { consentMatched: item.consentMatched } : {}),
    ...(typeof item.subject === 'string' ? { subject: item.subject } : {}),
    ...(item.senderVerified === false ? { senderVerified: false as const } : {}),
    ...(typeof item.senderUnverifiedReason === 'string'
      ? { senderUnverifiedReason: item.senderUnverifiedReason }
      : {}),
  };
}

/** A touchpoint item as its entry (the Segment call's `type` becomes `call`). */
export function toTouchpointEntry(item: Record<string, unknown>): TimelineTouchpointEntry {
  const { type, ...touchpoint } = fromTouchpointItem(item);
  return { type: 'touchpoint', at: touchpoint.occurredAt, call: type, ...touchpoint };
}

/** A click item as its entry. */
export function toClickEntry(item: Record<string, unknown>): TimelineClickEntry {
  const clickedAt = String(item.clickedAt ?? '');
  return {
    type: 'click',
    at: clickedAt,
    token: String(item.token ?? ''),
    messageId: String(item.messageId ?? ''),
    attempt: Number(item.attempt ?? 1),
    channel: item.channel as Channel,
    url: String(item.url ?? ''),
    clickedAt,
  };
}

/** A conversion item as its entry. */
export function toConversionEntry(item: Record<string, unknown>): TimelineConversionEntry {
  const occurredAt = String(item.occurredAt ?? '');
  return {
    type: 'conversion',
    at: occurredAt,
    conversionId: String(item.conversionId ?? ''),
    event: String(item.event ?? ''),
    occurredAt,
    ...(typeof item.channel === 'string' ? { channel: item.channel as TouchpointChannel } : {}),
    ...(typeof item.revenue === 'number' ? { revenue: item.revenue } : {}),
    ...(typeof item.currency === 'string' ? { currency: item.currency } : {}),
    ...(item.sourceKind === 'client' || item.sourceKind === 'server' ? { sourceKind: item.sourceKind } : {}),
    credits: Array.isArray(item.credits) ? item.credits.map(toCredit) : [],
  };
}

function toCredit(value: unknown): ConversionCredit {
  const credit = (value ?? {}) as Record<string, unknown>;
  const weight = (credit.weight ?? {}) as Record<string, unknown>;
  return {
    messageId: String(credit.messageId ?? ''),
    channel: credit.channel as Channel,
    ...(typeof credit.template === 'string' ? { template: credit.template } : {}),
    ...(typeof credit.campaign === 'string' ? { campaign: credit.campaign } : {}),
    weight: {
      last: Number(weight.last ?? 0),
      first: Number(weight.first ?? 0),
      linear: Number(weight.linear ?? 0),
    },
  };
}

// Consent times come from callers (`2026-11-01T10:00:00Z`); the items' keys use toISOString's form,
// so a consent change sorts against them by the same instant, not by how its time was written.
function isoOrAsIs(at: string): string {
  const time = Date.parse(at);
  return Number.isNaN(time) ? at : new Date(time).toISOString();
}
