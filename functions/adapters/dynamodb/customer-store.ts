/**
 * Customer profiles on the DynamoDB customers table (keys and items: customers-table.ts): the
 * router's batch read of profiles with their channel state and erasure tombstones, single reads,
 * and lookups by address; writes go through customer-profile-writes.ts (profiles, addresses,
 * consent) and customer-erasure.ts (erasure, suppressions, tombstones).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, ConsentRecord, Customer } from '../../contract';
import type { RoutingProfile, RoutingProfiles, StoredCustomer } from '../../domain/customer-model';
import { ERASED_KIND, ERASURE_TOMBSTONE_DAYS } from '../../domain/customers/erase-customer';
import type { AddressKeyer, CustomerRepository } from '../../domain/ports';
import { legacyAddressKey } from './address-keys';
import { batchGetItems } from './batch-requests';
import { eraseProfile, markErased } from './customer-erasure';
import { putProfile, setProfileAddress, setProfileConsent } from './customer-profile-writes';
import { type CustomersTable, readProfileItem } from './customer-transactions';
import {
  addressKey,
  channelStateOf,
  customersDocuments,
  erasedKey,
  fromProfileItem,
  normaliseAddress,
  profileKey,
} from './customers-table';
import { engagementOfItem } from './engagement-counters';
import { capCountersOfItem } from './frequency-cap-counters';

/** Options for {@link DynamoDbCustomerStore}. */
export interface DynamoDbCustomerStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Names addresses in keys (address-keys.ts, adapters/secrets/keyed-hash.ts). */
  readonly keyer: AddressKeyer;
}

/** Profiles per BatchGetItem: each brings its erasure tombstone's key along (100 keys a request). */
const PROFILES_PER_REQUEST = 50;

/** {@link CustomerRepository} on DynamoDB. */
export class DynamoDbCustomerStore implements CustomerRepository {
  readonly #table: CustomersTable;

  constructor(options: DynamoDbCustomerStoreOptions) {
    this.#table = {
      documents: customersDocuments(options.client),
      name: options.tableName,
      keyer: options.keyer,
    };
  }

  async getMany(customerIds: readonly string[]): Promise<Map<string, Customer>> {
    const profiles = await this.getRoutingProfiles(customerIds);
    return new Map([...profiles].map(([id, profile]) => [id, profile.customer]));
  }

  async getRoutingProfiles(customerIds: readonly string[]): Promise<RoutingProfiles> {
    const found: RoutingProfiles & { erased: Set<string>; tombstoned: Set<string> } = Object.assign(
      new Map<string, RoutingProfile>(),
      { erased: new Set<string>(), tombstoned: new Set<string>() },
    );
    const unique = [...new Set(customerIds)];
    const now = Math.floor(Date.now() / 1000);
    // Each customer's erasure tombstone rides in the same BatchGetItem as its profile: no extra
    // request, one more (missing) key read per customer of the batch.
    for (let start = 0; start < unique.length; start += PROFILES_PER_REQUEST) {
      const ids = unique.slice(start, start + PROFILES_PER_REQUEST);
      const keys = ids.flatMap((id) => [{ pk: profileKey(id) }, { pk: erasedKey(id) }]);
      const items = await batchGetItems(this.#table.documents, this.#table.name, keys);
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
          caps: capCountersOfItem(item),
        });
      }
      // A profile made again after the erase (PUT of the same id) is routed as the new customer.
      for (const id of tombstones) {
        found.tombstoned.add(id);
        if (!found.has(id)) found.erased.add(id);
      }
    }
    return found;
  }

  async tombstonedAmong(customerIds: readonly string[]): Promise<ReadonlySet<string>> {
    const unique = [...new Set(customerIds)];
    const now = Math.floor(Date.now() / 1000);
    const tombstoned = new Set<string>();
    for (let start = 0; start < unique.length; start += PROFILES_PER_REQUEST) {
      const keys = unique.slice(start, start + PROFILES_PER_REQUEST).map((id) => ({ pk: erasedKey(id) }));
      for (const item of await batchGetItems(this.#table.documents, this.#table.name, keys)) {
        if (Number(item.expiresAt ?? 0) > now) tombstoned.add(String(item.customerId));
      }
    }
    return tombstoned;
  }

  /**
   * Writes the customer's erasure tombstone (domain/erase-customer.ts): the id and when, nothing
   * else, removed by TTL after {@link ERASURE_TOMBSTONE_DAYS} days.
   */
  async markErased(customerId: string, at: Date): Promise<void> {
    await markErased(this.#table, customerId, at);
  }

  async get(customerId: string): Promise<StoredCustomer | undefined> {
    const item = await this.getProfileItem(customerId);
    return item ? fromProfileItem(item) : undefined;
  }

  /** The raw profile item (consistent read), with the fields beyond the contract. */
  async getProfileItem(customerId: string): Promise<Record<string, unknown> | undefined> {
    return readProfileItem(this.#table, customerId);
  }

  async put(customer: Customer): Promise<{ created: boolean; stored: StoredCustomer }> {
    return putProfile(this.#table, customer);
  }

  async setAddress(
    customerId: string,
    channel: Channel,
    address: Customer['addresses'][Channel] | undefined,
  ): Promise<StoredCustomer> {
    return setProfileAddress(this.#table, customerId, channel, address);
  }

  async setConsent(
    customerId: string,
    category: string,
    channel: Channel,
    record: ConsentRecord,
  ): Promise<StoredCustomer> {
    return setProfileConsent(this.#table, customerId, category, channel, record);
  }

  async erase(customerId: string): Promise<boolean> {
    return eraseProfile(this.#table, customerId);
  }

  async findByAddress(channel: Channel, address: string): Promise<string | undefined> {
    const normalised = normaliseAddress(channel, address);
    const keys = [await addressKey(this.#table.keyer, channel, normalised)];
    if (this.#table.keyer.readsLegacy) keys.push(legacyAddressKey(channel, normalised));
    for (const pk of keys) {
      const output = await this.#table.documents.send(
        new GetCommand({ TableName: this.#table.name, Key: { pk } }),
      );
      if (typeof output.Item?.customerId === 'string') return output.Item.customerId;
    }
    return undefined;
  }
}
