/**
 * Customer profiles on the DynamoDB customers table (partition key `pk` only), with three kinds of
 * item:
 *
 * - `customer#<id>`: the profile, with a `version` that goes up on every change, and beside the
 *   contract's fields what the webhooks learned: `consentHistory` (every consent change with when,
 *   why and where from, newest last), `whatsappWindowUntil` and `invalid_<channel>` (an address a
 *   hard bounce made unusable, kept only while it is still the profile's address);
 * - `address#<channel>#<sha256 of the normalised address>`: which customer an address belongs to,
 *   written in the same transaction as the profile so the two never disagree;
 * - `suppression#<sha256 of channel:address>`: the categories an erased customer had opted out of
 *   on that address, so that the opt-out survives erasure without keeping the address itself;
 * - `erased#<id>`: an erasure tombstone (the id and a TTL `expiresAt`, nothing else), read with
 *   the profile by the router so a request for an erased customer is dropped, not re-created.
 */
import { createHash } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Channel,
  type ConsentRecord,
  ConsentStatus,
  type Customer,
  type PushDevice,
} from '../../contract';
import { appendConsentHistory, consentDecisionWins, mergeConsent } from '../../domain/consent/consent-rules';
import type {
  ChannelState,
  ConsentHistoryEntry,
  InvalidAddress,
  RoutingProfile,
  RoutingProfiles,
  StoredCustomer,
} from '../../domain/customer-model';
import { ERASED_KIND, ERASURE_TOMBSTONE_DAYS } from '../../domain/customers/erase-customer';
import { RetryLaterError, SwitchboardError } from '../../domain/errors';
import type { CustomerRepository } from '../../domain/ports';
import { engagementOfItem, keptEngagement } from './engagement-counters';

/** Another customer already holds one of the addresses. */
export class AddressInUseError extends SwitchboardError {
  /** The channel of the address. */
  readonly channel: Channel;
  constructor(channel: Channel, options?: ErrorOptions) {
    super(`The ${channel} address belongs to another customer`, options);
    this.channel = channel;
  }
}

/** No customer with this id. */
export class CustomerNotFoundError extends SwitchboardError {}

/** Options for {@link DynamoDbCustomerStore}. */
export interface DynamoDbCustomerStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const MAX_OPTIMISTIC_RETRIES = 5;
const MAX_BATCH_GET_ROUNDS = 6;
const BATCH_GET_LIMIT = 100;
/** Channels whose single address a provider can declare invalid. */
const SINGLE_ADDRESS_CHANNELS = ['sms', 'whatsapp', 'email'] as const;

/** {@link CustomerRepository} on DynamoDB. */
export class DynamoDbCustomerStore implements CustomerRepository {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoDbCustomerStoreOptions) {
    this.#documents = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.#table = options.tableName;
  }

  async getMany(customerIds: readonly string[]): Promise<Map<string, Customer>> {
    const profiles = await this.getRoutingProfiles(customerIds);
    return new Map([...profiles].map(([id, profile]) => [id, profile.customer]));
  }

  async getRoutingProfiles(customerIds: readonly string[]): Promise<RoutingProfiles> {
    const found: RoutingProfiles & { erased: Set<string> } = Object.assign(
      new Map<string, RoutingProfile>(),
      { erased: new Set<string>() },
    );
    const unique = [...new Set(customerIds)];
    const now = Math.floor(Date.now() / 1000);
    // Each customer's erasure tombstone rides in the same BatchGetItem as its profile: no extra
    // request, one more (missing) key read per customer of the batch.
    const perRequest = BATCH_GET_LIMIT / 2;
    for (let start = 0; start < unique.length; start += perRequest) {
      const ids = unique.slice(start, start + perRequest);
      const items = await this.#batchGet(ids.flatMap((id) => [profileKey(id), erasedKey(id)]));
      const tombstones = new Set<string>();
      for (const item of items) {
        if (item.kind === ERASED_KIND) {
          // TTL deletes lazily: an expired tombstone still read is treated as gone.
          if (Number(item.expiresAt ?? 0) > now) tombstones.add(String(item.customerId));
          continue;
        }
        const { customer } = fromProfileItem(item);
        // The engagement counters live on the profile item: a learned choice reads nothing more.
        found.set(customer.customerId, {
          customer,
          state: channelStateOf(item),
          engagement: engagementOfItem(item),
        });
      }
      // A profile made again after the erase (PUT of the same id) is routed as the new customer.
      for (const id of tombstones) if (!found.has(id)) found.erased.add(id);
    }
    return found;
  }

  /**
   * Writes the customer's erasure tombstone (domain/erase-customer.ts): the id and when, nothing
   * else, removed by TTL after {@link ERASURE_TOMBSTONE_DAYS} days.
   */
  async markErased(customerId: string, at: Date): Promise<void> {
    await this.#documents.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: erasedKey(customerId),
          kind: ERASED_KIND,
          customerId,
          expiresAt: Math.floor(at.getTime() / 1000) + ERASURE_TOMBSTONE_DAYS * 24 * 60 * 60,
        },
      }),
    );
  }

  async get(customerId: string): Promise<StoredCustomer | undefined> {
    const item = await this.getProfileItem(customerId);
    return item ? fromProfileItem(item) : undefined;
  }

  /** The raw profile item (consistent read), with the fields beyond the contract. */
  async getProfileItem(customerId: string): Promise<Record<string, unknown> | undefined> {
    const output = await this.#documents.send(
      new GetCommand({ TableName: this.#table, Key: { pk: profileKey(customerId) }, ConsistentRead: true }),
    );
    return output.Item;
  }

  async put(customer: Customer): Promise<{ created: boolean; stored: StoredCustomer }> {
    return this.#optimistically(async () => {
      const currentItem = await this.getProfileItem(customer.customerId);
      const current = currentItem ? fromProfileItem(currentItem) : undefined;
      const incoming = normaliseConsentTimes(customer);
      const withSuppressions = await this.#applySuppressions(
        current
          ? { ...incoming, consent: mergeConsent(current.customer.consent, incoming.consent) }
          : incoming,
      );
      const version = (current?.version ?? 0) + 1;
      const updatedAt = new Date().toISOString();
      const items: TransactItem[] = [
        {
          Put: {
            TableName: this.#table,
            Item: {
              ...toProfileItem(withSuppressions, version, updatedAt),
              // A replaced profile keeps what the webhooks learned and the history of its consent.
              ...keptOnReplace(currentItem, withSuppressions),
            },
            ...(current
              ? {
                  ConditionExpression: 'version = :version',
                  ExpressionAttributeValues: { ':version': current.version },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        ...this.#addressChanges(
          customer.customerId,
          current?.customer.addresses ?? {},
          withSuppressions.addresses,
        ),
      ];
      await this.#transact(items, addressChannels(items));
      return { created: !current, stored: { customer: withSuppressions, version, updatedAt } };
    });
  }

  async setAddress(
    customerId: string,
    channel: Channel,
    address: Customer['addresses'][Channel] | undefined,
  ): Promise<StoredCustomer> {
    return this.#optimistically(async () => {
      const current = await this.get(customerId);
      if (!current) throw new CustomerNotFoundError(`No customer ${customerId}`);
      const next: Customer = {
        ...current.customer,
        addresses: { ...current.customer.addresses, [channel]: address },
      };
      if (address === undefined) delete next.addresses[channel];
      const version = current.version + 1;
      const updatedAt = new Date().toISOString();
      const previous = current.customer.addresses[channel];
      // Conditioned on this one address (not the whole version), so a concurrent consent change
      // does not make this update retry.
      const items: TransactItem[] = [
        {
          Update: {
            TableName: this.#table,
            Key: { pk: profileKey(customerId) },
            // A new address is not known to bounce: the invalid mark of the old one goes with it.
            UpdateExpression:
              address === undefined
                ? 'REMOVE addresses.#channel, #invalid SET updatedAt = :updatedAt ADD version :one'
                : 'SET addresses.#channel = :address, updatedAt = :updatedAt REMOVE #invalid ADD version :one',
            ConditionExpression:
              previous === undefined
                ? 'attribute_exists(pk) AND attribute_not_exists(addresses.#channel)'
                : 'addresses.#channel = :previous',
            ExpressionAttributeNames: { '#channel': channel, '#invalid': invalidAttribute(channel) },
            ExpressionAttributeValues: {
              ':updatedAt': updatedAt,
              ':one': 1,
              ...(address === undefined ? {} : { ':address': address }),
              ...(previous === undefined ? {} : { ':previous': previous }),
            },
          },
        },
        ...this.#addressChanges(customerId, { [channel]: previous }, { [channel]: address }),
      ];
      await this.#transact(items, addressChannels(items));
      return { customer: next, version, updatedAt };
    });
  }

  async setConsent(
    customerId: string,
    category: string,
    channel: Channel,
    record: ConsentRecord,
  ): Promise<StoredCustomer> {
    const at = new Date(record.at).toISOString();
    return this.#optimistically(async () => {
      const item = await this.getProfileItem(customerId);
      if (!item) throw new CustomerNotFoundError(`No customer ${customerId}`);
      const current = fromProfileItem(item);
      // A repeat, or an older decision arriving late (a retried webhook, a slow client), changes nothing.
      if (!consentDecisionWins(current.customer.consent[category]?.[channel], { ...record, at }))
        return current;
      const entry: ConsentHistoryEntry = { category, channel, ...record, at };
      const output = await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: profileKey(customerId) },
          UpdateExpression:
            'SET consent.#key = :record, updatedAt = :updatedAt, consentHistory = :history ADD version :one',
          ConditionExpression: 'version = :version',
          ExpressionAttributeNames: { '#key': consentKey(category, channel) },
          ExpressionAttributeValues: {
            ':record': { ...record, at },
            ':history': appendConsentHistory(consentHistoryOf(item), [entry]),
            ':version': current.version,
            ':updatedAt': new Date().toISOString(),
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromProfileItem(output.Attributes ?? {});
    });
  }

  async erase(customerId: string): Promise<boolean> {
    return this.#optimistically(async () => {
      const current = await this.get(customerId);
      if (!current) return false;
      const items: TransactItem[] = [
        {
          Delete: {
            TableName: this.#table,
            Key: { pk: profileKey(customerId) },
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': current.version },
          },
        },
        ...this.#addressChanges(customerId, current.customer.addresses, {}),
        ...suppressionWrites(this.#table, current.customer),
      ];
      await this.#transact(items, new Map());
      return true;
    });
  }

  async findByAddress(channel: Channel, address: string): Promise<string | undefined> {
    const output = await this.#documents.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: addressKey(channel, normaliseAddress(channel, address)) },
      }),
    );
    return typeof output.Item?.customerId === 'string' ? output.Item.customerId : undefined;
  }

  /** Index entries to delete and to add when a customer's addresses change from `before` to `after`. */
  #addressChanges(
    customerId: string,
    before: Customer['addresses'],
    after: Customer['addresses'],
  ): TransactItem[] {
    const old = addressIndex(before);
    const next = addressIndex(after);
    const items: TransactItem[] = [];
    for (const [key] of old) {
      if (next.has(key)) continue;
      items.push({
        Delete: {
          TableName: this.#table,
          Key: { pk: key },
          ConditionExpression: 'attribute_not_exists(pk) OR customerId = :customerId',
          ExpressionAttributeValues: { ':customerId': customerId },
        },
      });
    }
    for (const [key, channel] of next) {
      if (old.has(key)) continue;
      items.push({
        Put: {
          TableName: this.#table,
          Item: { pk: key, kind: 'address', channel, customerId },
          ConditionExpression: 'attribute_not_exists(pk) OR customerId = :customerId',
          ExpressionAttributeValues: { ':customerId': customerId },
        },
      });
    }
    return items;
  }

  /** Opt-outs remembered from an erased profile, unless this profile has a newer decision. */
  async #applySuppressions(customer: Customer): Promise<Customer> {
    const byKey = new Map<string, Channel>();
    for (const [channel, normalised] of addressList(customer.addresses)) {
      byKey.set(suppressionKey(channel, normalised), channel);
    }
    if (byKey.size === 0) return customer;
    const items = await this.#batchGet([...byKey.keys()]);
    if (items.length === 0) return customer;
    const consent: Customer['consent'] = structuredClone(customer.consent);
    for (const item of items) {
      const channel = byKey.get(String(item.pk));
      if (!channel) continue;
      for (const [name, at] of Object.entries(item)) {
        if (!name.startsWith('optedOut_') || typeof at !== 'string') continue;
        const category = name.slice('optedOut_'.length);
        const existing = consent[category]?.[channel];
        const suppressed = { status: ConsentStatus.OPTED_OUT, at, source: 'suppression' } as const;
        if (!consentDecisionWins(existing, suppressed)) continue;
        consent[category] = { ...consent[category], [channel]: suppressed };
      }
    }
    return { ...customer, consent };
  }

  async #batchGet(keys: readonly string[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let remaining: Record<string, unknown>[] = keys.map((pk) => ({ pk }));
    for (let round = 0; remaining.length > 0; round++) {
      if (round >= MAX_BATCH_GET_ROUNDS) {
        throw new RetryLaterError('DynamoDB left keys unprocessed after several rounds', {
          code: 'UnprocessedKeys',
        });
      }
      if (round > 0) await sleep(25 * 2 ** round);
      const output = await this.#documents.send(
        new BatchGetCommand({
          RequestItems: { [this.#table]: { Keys: remaining, ConsistentRead: true } },
        }),
      );
      items.push(...(output.Responses?.[this.#table] ?? []));
      remaining = output.UnprocessedKeys?.[this.#table]?.Keys ?? [];
    }
    return items;
  }

  async #transact(items: TransactItem[], channelsByIndex: Map<number, Channel>): Promise<void> {
    try {
      await this.#documents.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      for (const [index, channel] of channelsByIndex) {
        if (reasons[index]?.Code === 'ConditionalCheckFailed')
          throw new AddressInUseError(channel, { cause: error });
      }
      throw error;
    }
  }

  /** Runs a read-then-conditional-write, again from the read when a concurrent writer got there first. */
  async #optimistically<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        const conflict =
          error instanceof ConditionalCheckFailedException ||
          (error instanceof TransactionCanceledException &&
            (error.CancellationReasons ?? []).some(
              (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
            ));
        if (!conflict || attempt >= MAX_OPTIMISTIC_RETRIES) {
          if (conflict) {
            throw new RetryLaterError('The customer kept changing while we updated it', {
              code: 'ConcurrentUpdate',
              cause: error,
            });
          }
          throw error;
        }
        await sleep(10 * attempt);
      }
    }
  }
}

/** The profile item key. */
export function profileKey(customerId: string): string {
  return `customer#${customerId}`;
}

/** The key of a customer's erasure tombstone. */
export function erasedKey(customerId: string): string {
  return `erased#${customerId}`;
}

/** The address index key for a normalised address. */
export function addressKey(channel: Channel, normalised: string): string {
  return `address#${channel}#${sha256(normalised)}`;
}

/** The suppression key for a normalised address. */
export function suppressionKey(channel: Channel, normalised: string): string {
  return `suppression#${sha256(`${channel}:${normalised}`)}`;
}

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

function addressList(addresses: Customer['addresses']): [Channel, string][] {
  const list: [Channel, string][] = [];
  if (addresses.sms) list.push(['sms', normaliseAddress('sms', addresses.sms)]);
  if (addresses.whatsapp) list.push(['whatsapp', normaliseAddress('whatsapp', addresses.whatsapp)]);
  if (addresses.email) list.push(['email', normaliseAddress('email', addresses.email)]);
  for (const device of addresses.push ?? [])
    list.push(['push', normaliseAddress('push', pushAddress(device))]);
  return list;
}

function addressIndex(addresses: Customer['addresses']): Map<string, Channel> {
  return new Map(
    addressList(addresses).map(([channel, normalised]) => [addressKey(channel, normalised), channel]),
  );
}

function addressChannels(items: readonly TransactItem[]): Map<number, Channel> {
  const channels = new Map<number, Channel>();
  items.forEach((item, index) => {
    const channel = item.Put?.Item?.kind === 'address' ? (item.Put.Item.channel as Channel) : undefined;
    if (channel) channels.set(index, channel);
  });
  return channels;
}

function suppressionWrites(table: string, customer: Customer): TransactItem[] {
  const writes = new Map<string, { channel: Channel; categories: Map<string, string> }>();
  for (const [channel, normalised] of addressList(customer.addresses)) {
    const key = suppressionKey(channel, normalised);
    for (const [category, byChannel] of Object.entries(customer.consent)) {
      const record = byChannel?.[channel];
      if (record?.status !== ConsentStatus.OPTED_OUT) continue;
      const entry = writes.get(key) ?? { channel, categories: new Map<string, string>() };
      entry.categories.set(category, record.at);
      writes.set(key, entry);
    }
  }
  return [...writes].map(([key, { channel, categories }]) => {
    const names: Record<string, string> = {};
    const values: Record<string, string> = { ':kind': 'suppression', ':channel': channel };
    const sets = ['kind = :kind', 'channel = :channel'];
    [...categories].forEach(([category, at], index) => {
      names[`#c${index}`] = `optedOut_${category}`;
      values[`:c${index}`] = at;
      sets.push(`#c${index} = :c${index}`);
    });
    return {
      Update: {
        TableName: table,
        Key: { pk: key },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  });
}

/** The attribute that marks a channel's address invalid. */
export function invalidAttribute(channel: Channel): string {
  return `invalid_${channel}`;
}

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

/**
 * What a replaced profile carries over from the one it replaces: the WhatsApp window, invalid marks
 * of addresses it keeps, and the consent history with the decisions this replacement changes.
 */
function keptOnReplace(
  currentItem: Record<string, unknown> | undefined,
  next: Customer,
): Record<string, unknown> {
  const kept: Record<string, unknown> = { ...keptEngagement(currentItem) };
  if (typeof currentItem?.whatsappWindowUntil === 'string') {
    kept.whatsappWindowUntil = currentItem.whatsappWindowUntil;
  }
  for (const channel of SINGLE_ADDRESS_CHANNELS) {
    const mark = currentItem?.[invalidAttribute(channel)] as InvalidAddress | undefined;
    if (mark && mark.address === next.addresses[channel]) kept[invalidAttribute(channel)] = mark;
  }
  const before = currentItem ? fromProfileItem(currentItem).customer.consent : {};
  const changes: ConsentHistoryEntry[] = [];
  for (const [category, byChannel] of Object.entries(next.consent)) {
    for (const [channel, record] of Object.entries(byChannel ?? {})) {
      const previous = before[category]?.[channel as Channel];
      if (!record || (previous?.status === record.status && previous.at === record.at)) continue;
      changes.push({ category, channel: channel as Channel, ...record });
    }
  }
  const history = appendConsentHistory(consentHistoryOf(currentItem), changes);
  if (history.length > 0) kept.consentHistory = history;
  return kept;
}

/** The key of one consent decision in the profile's `consent` map. */
export function consentKey(category: string, channel: Channel): string {
  return `${category}#${channel}`;
}

function normaliseConsentTimes(customer: Customer): Customer {
  const consent: Customer['consent'] = {};
  for (const [category, byChannel] of Object.entries(customer.consent)) {
    consent[category] = Object.fromEntries(
      Object.entries(byChannel ?? {}).map(([channel, record]) => [
        channel,
        record ? { ...record, at: new Date(record.at).toISOString() } : record,
      ]),
    );
  }
  return { ...customer, consent };
}

function toProfileItem(customer: Customer, version: number, updatedAt: string): Record<string, unknown> {
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

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
