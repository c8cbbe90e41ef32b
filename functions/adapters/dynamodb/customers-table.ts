/**
 * The DynamoDB customers table (partition key `pk` only): its keys and how its items map to the
 * customer model. Every adapter of the table (customer-store.ts and the modules it delegates to,
 * consent-store.ts, customer-attributes.ts) builds keys and reads items here, and nowhere else.
 *
 * - `customer#<id>`: the profile, with a `version` that goes up on every change, and beside the
 *   contract's fields what the webhooks learned: `consentHistory` (every consent change with when,
 *   why and where from, newest last), `whatsappWindowUntil` and `invalid_<channel>` (an address a
 *   hard bounce made unusable, kept only while it is still the profile's address);
 * - `address#<channel>#<keyed hash of channel:address>`: which customer an address belongs to,
 *   written in the same transaction as the profile so the two never disagree;
 * - `suppression#<keyed hash of channel:address>`: the categories an erased customer had opted out
 *   of on that address (`optedOut_<category>`: when), so that the opt-out survives erasure without
 *   keeping the address itself.
 *
 * The hashes are keyed (address-keys.ts: HMAC-SHA-256 under the secret pepper), so that a key
 * cannot be reversed by hashing every phone number; items written before keying are read under
 * their plain SHA-256 names while the keyer's `readsLegacy` is on (docs/deploy.md).
 * - `erased#<id>`: an erasure tombstone (the id and a TTL `expiresAt`, nothing else), read with
 *   the profile by the router so a request for an erased customer is dropped, not re-created.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Channel, ConsentRecord, Customer, PushDevice } from '../../contract';
import type {
  ChannelState,
  ConsentHistoryEntry,
  InvalidAddress,
  StoredCustomer,
} from '../../domain/customer-model';
import { ERASED_KIND, ERASURE_TOMBSTONE_DAYS } from '../../domain/customers/erase-customer';
import type { AddressKeyer } from '../../domain/ports';
import { addressKey } from './address-keys';

/** Channels whose single address a provider can declare invalid. */
export const SINGLE_ADDRESS_CHANNELS = ['sms', 'whatsapp', 'email'] as const;

const OPTED_OUT_PREFIX = 'optedOut_';

/** A document client for the customers table. */
export function customersDocuments(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

// --- keys ----------------------------------------------------------------------------------------

/** The profile item key. */
export function profileKey(customerId: string): string {
  return `customer#${customerId}`;
}

/** The key of a customer's erasure tombstone. */
export function erasedKey(customerId: string): string {
  return `erased#${customerId}`;
}

// How an address is named in a key (keyed hash, legacy plain forms) lives in address-keys.ts, shared
// with the messages table's anonymous contacts.
export { addressKey, suppressionKey } from './address-keys';

/**
 * One form per address so that lookups match however it was written: phone numbers in E.164
 * (`+33 6 12 34 56 78` → `+33612345678`), emails trimmed and lower-cased, push tokens as given.
 * Stripping formatting is enough for phone numbers: profiles only accept numbers the contract has
 * checked as E.164, and Twilio sends E.164 (`whatsapp:` prefixed for WhatsApp).
 */
export function normaliseAddress(channel: Channel, address: string): string {
  const trimmed = address.trim();
  if (channel === 'sms' || channel === 'whatsapp') {
    const bare = trimmed.replace(/^whatsapp:/i, '');
    return bare.replace(/[^\d+]/g, '');
  }
  if (channel === 'email') return trimmed.toLowerCase();
  return trimmed;
}

function pushAddress(device: PushDevice): string {
  return device.kind === 'fcm' ? device.token : device.subscription.endpoint;
}

/** Every address of a profile, normalised, with its channel (one entry per push device). */
export function addressList(addresses: Customer['addresses']): [Channel, string][] {
  const list: [Channel, string][] = [];
  if (addresses.sms) list.push(['sms', normaliseAddress('sms', addresses.sms)]);
  if (addresses.whatsapp) list.push(['whatsapp', normaliseAddress('whatsapp', addresses.whatsapp)]);
  if (addresses.email) list.push(['email', normaliseAddress('email', addresses.email)]);
  for (const device of addresses.push ?? [])
    list.push(['push', normaliseAddress('push', pushAddress(device))]);
  return list;
}

/** The address index keys of a profile's addresses, each with its channel. */
export async function addressIndex(
  keyer: AddressKeyer,
  addresses: Customer['addresses'],
): Promise<Map<string, Channel>> {
  const index = new Map<string, Channel>();
  for (const [channel, normalised] of addressList(addresses)) {
    index.set(await addressKey(keyer, channel, normalised), channel);
  }
  return index;
}

// --- attributes ----------------------------------------------------------------------------------

/** The attribute that marks a channel's address invalid. */
export function invalidAttribute(channel: Channel): string {
  return `invalid_${channel}`;
}

/** The key of one consent decision in the profile's `consent` map. */
export function consentKey(category: string, channel: Channel): string {
  return `${category}#${channel}`;
}

/** The attribute of a suppression item that remembers an opt-out of `category`. */
export function optedOutAttribute(category: string): string {
  return `${OPTED_OUT_PREFIX}${category}`;
}

/** The opt-outs a suppression item remembers: category and when. */
export function optedOutCategories(item: Record<string, unknown>): [string, string][] {
  const optOuts: [string, string][] = [];
  for (const [name, at] of Object.entries(item)) {
    if (!name.startsWith(OPTED_OUT_PREFIX) || typeof at !== 'string') continue;
    optOuts.push([name.slice(OPTED_OUT_PREFIX.length), at]);
  }
  return optOuts;
}

// --- items ---------------------------------------------------------------------------------------

/** The channel state kept on a profile item; an invalid mark counts only for the current address. */
export function channelStateOf(item: Record<string, unknown>): ChannelState {
  const addresses = (item.addresses ?? {}) as Record<string, unknown>;
  const invalidAddresses: Partial<Record<Channel, InvalidAddress>> = {};
  for (const channel of SINGLE_ADDRESS_CHANNELS) {
    const mark = item[invalidAttribute(channel)] as InvalidAddress | undefined;
    if (mark && typeof addresses[channel] === 'string' && mark.address === addresses[channel]) {
      invalidAddresses[channel] = mark;
    }
  }
  return {
    ...(typeof item.whatsappWindowUntil === 'string'
      ? { whatsappWindowUntil: item.whatsappWindowUntil }
      : {}),
    invalidAddresses,
  };
}

/** The consent changes a profile's history keeps, oldest first. */
export function consentHistoryOf(item: Record<string, unknown> | undefined): ConsentHistoryEntry[] {
  return Array.isArray(item?.consentHistory) ? (item.consentHistory as ConsentHistoryEntry[]) : [];
}

/** A customer as its profile item (the contract's fields, version and time of the change). */
export function toProfileItem(
  customer: Customer,
  version: number,
  updatedAt: string,
): Record<string, unknown> {
  const consent: Record<string, ConsentRecord> = {};
  for (const [category, byChannel] of Object.entries(customer.consent)) {
    for (const [channel, record] of Object.entries(byChannel ?? {})) {
      if (record) consent[consentKey(category, channel as Channel)] = record;
    }
  }
  return {
    pk: profileKey(customer.customerId),
    kind: 'customer',
    customerId: customer.customerId,
    addresses: customer.addresses,
    preferences: customer.preferences,
    consent,
    locale: customer.locale,
    timezone: customer.timezone,
    attributes: customer.attributes,
    version,
    updatedAt,
  };
}

/** A profile item as a stored customer. */
export function fromProfileItem(item: Record<string, unknown>): StoredCustomer {
  const consent: Customer['consent'] = {};
  for (const [key, record] of Object.entries((item.consent ?? {}) as Record<string, ConsentRecord>)) {
    const separator = key.lastIndexOf('#');
    const category = key.slice(0, separator);
    const channel = key.slice(separator + 1) as Channel;
    consent[category] = { ...consent[category], [channel]: record };
  }
  const customer: Customer = {
    customerId: String(item.customerId),
    addresses: (item.addresses ?? {}) as Customer['addresses'],
    preferences: (item.preferences ?? { channels: [] }) as Customer['preferences'],
    consent,
    attributes: (item.attributes ?? {}) as Customer['attributes'],
    ...(typeof item.locale === 'string' ? { locale: item.locale } : {}),
    ...(typeof item.timezone === 'string' ? { timezone: item.timezone } : {}),
  };
  return { customer, version: Number(item.version ?? 0), updatedAt: String(item.updatedAt ?? '') };
}

/**
 * A customer's erasure tombstone (domain/erase-customer.ts): the id and when, nothing else, removed
 * by TTL after {@link ERASURE_TOMBSTONE_DAYS} days.
 */
export function toErasedItem(customerId: string, at: Date): Record<string, unknown> {
  return {
    pk: erasedKey(customerId),
    kind: ERASED_KIND,
    customerId,
    expiresAt: Math.floor(at.getTime() / 1000) + ERASURE_TOMBSTONE_DAYS * 24 * 60 * 60,
  };
}

// --- write-key sources (adapters/dynamodb/source-store.ts) ----------------------------------------

/** The key of a write-key source: read by the public ingest on every request. */
export function sourceKey(sourceId: string): string {
  return `source#${sourceId}`;
}

/** The key of the one item listing every source (one attribute per source, named by its id). */
export const SOURCES_LIST_KEY = 'sources';
