/**
 * Which touchpoints are conversions: a new customer touchpoint (a track event on the customer's
 * timeline) whose event name is a configured conversion event. Where the purchase happened — web,
 * app, store, point of sale — does not matter: a store purchase counts like a web one.
 *
 * Revenue is `properties.revenue`, else `properties.total` (Segment's e-commerce spec names both),
 * a finite number; its currency is `properties.currency`, three letters, upper-cased. Revenue
 * without a valid currency is kept under {@link NO_CURRENCY} (ISO 4217's code for "no currency"),
 * never converted or guessed.
 */
import type { LedgerChange } from '../ledger-change-events';
import type { AttributionSettings } from './attribution-settings';

/** The currency code revenue without a valid currency is kept under (ISO 4217 "no currency"). */
export const NO_CURRENCY = 'XXX';

/** A conversion: a touchpoint that counts as a goal. */
export interface Conversion {
  /** The touchpoint's `messageId` (the publisher's de-duplication key). */
  readonly conversionId: string;
  readonly customerId: string;
  /** The event name, e.g. `Order Completed`. */
  readonly event: string;
  readonly occurredAt: string;
  /** Where it happened (the touchpoint's channel: web, mobile, store, …), when said. */
  readonly channel?: string;
  readonly revenue?: number;
  /** Set whenever revenue is: three upper-case letters. */
  readonly currency?: string;
  /** `client` when it came through a public (client) write key: reports flag it. */
  readonly sourceKind?: 'client' | 'server';
}

/** The conversion a ledger change is, or undefined: only a new customer touchpoint of a conversion event is one. */
export function conversionOf(change: LedgerChange, settings: AttributionSettings): Conversion | undefined {
  const item = change.newImage;
  if (change.table !== 'messages' || change.oldImage || !item || item.kind !== 'touchpoint') return undefined;
  if (typeof item.pk !== 'string' || !item.pk.startsWith('customer#')) return undefined;
  if (item.type !== 'track' || typeof item.name !== 'string') return undefined;
  if (!settings.conversionEvents.includes(item.name)) return undefined;
  if (typeof item.customerId !== 'string' || typeof item.messageId !== 'string') return undefined;
  if (typeof item.occurredAt !== 'string' || !Number.isFinite(Date.parse(item.occurredAt))) return undefined;
  const properties = (item.properties ?? {}) as Record<string, unknown>;
  const source = item.source as { kind?: unknown } | undefined;
  return {
    conversionId: item.messageId,
    customerId: item.customerId,
    event: item.name,
    occurredAt: item.occurredAt,
    ...(typeof item.channel === 'string' ? { channel: item.channel } : {}),
    ...revenueOf(properties),
    ...(source?.kind === 'client' || source?.kind === 'server' ? { sourceKind: source.kind } : {}),
  };
}

function revenueOf(properties: Record<string, unknown>): { revenue?: number; currency?: string } {
  const revenue = [properties.revenue, properties.total].find(
    (value): value is number => typeof value === 'number' && Number.isFinite(value),
  );
  if (revenue === undefined) return {};
  const currency = typeof properties.currency === 'string' ? properties.currency.trim().toUpperCase() : '';
  return { revenue, currency: /^[A-Z]{3}$/.test(currency) ? currency : NO_CURRENCY };
}
