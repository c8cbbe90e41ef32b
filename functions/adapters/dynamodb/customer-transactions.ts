/**
 * How the customer store changes the customers table (keys and items: customers-table.ts): read the
 * profile, then one transaction of the profile and its address index entries, conditioned on what
 * was read; when another writer got there first, again from the read. The writers of profiles
 * (customer-profile-writes.ts) and of erasure (customer-erasure.ts) share it.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Channel, Customer } from '../../contract';
import { RetryLaterError } from '../../domain/errors';
import type { AddressKeyer } from '../../domain/ports';
import { KEYED_BY, legacyAddressKey } from './address-keys';
import { AddressInUseError } from './customer-errors';
import { addressIndex, addressList, profileKey } from './customers-table';

/** The customers table as its writers reach it. */
export interface CustomersTable {
  readonly documents: DynamoDBDocumentClient;
  readonly name: string;
  /** Names addresses in keys (address-keys.ts, adapters/secrets/keyed-hash.ts). */
  readonly keyer: AddressKeyer;
}

/** One write of a customers-table transaction. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const MAX_OPTIMISTIC_RETRIES = 5;

/** The raw profile item (consistent read), with the fields beyond the contract. */
export async function readProfileItem(
  table: CustomersTable,
  customerId: string,
): Promise<Record<string, unknown> | undefined> {
  const output = await table.documents.send(
    new GetCommand({ TableName: table.name, Key: { pk: profileKey(customerId) }, ConsistentRead: true }),
  );
  return output.Item;
}

/** Index entries to delete and to add when a customer's addresses change from `before` to `after`. */
export async function addressChanges(
  table: CustomersTable,
  customerId: string,
  before: Customer['addresses'],
  after: Customer['addresses'],
): Promise<TransactItem[]> {
  const old = await addressIndex(table.keyer, before);
  const next = await addressIndex(table.keyer, after);
  // While migrating, every write moves the customer's addresses to keyed entries: the plain-hash
  // entries go (or a removed address would still find the customer) and the keyed ones are written.
  const migrating = table.keyer.readsLegacy;
  if (migrating) {
    for (const [channel, normalised] of addressList(before)) {
      old.set(legacyAddressKey(channel, normalised), channel);
    }
  }
  const items: TransactItem[] = [];
  for (const [key] of old) {
    if (next.has(key)) continue;
    items.push({
      Delete: {
        TableName: table.name,
        Key: { pk: key },
        ConditionExpression: 'attribute_not_exists(pk) OR customerId = :customerId',
        ExpressionAttributeValues: { ':customerId': customerId },
      },
    });
  }
  for (const [key, channel] of next) {
    if (old.has(key) && !migrating) continue;
    items.push({
      Put: {
        TableName: table.name,
        Item: { pk: key, kind: 'address', channel, customerId, [KEYED_BY.attribute]: KEYED_BY.value },
        ConditionExpression: 'attribute_not_exists(pk) OR customerId = :customerId',
        ExpressionAttributeValues: { ':customerId': customerId },
      },
    });
  }
  return items;
}

/** The channel of each address index entry a transaction adds, by its place in the transaction. */
export function addressChannels(items: readonly TransactItem[]): Map<number, Channel> {
  const channels = new Map<number, Channel>();
  items.forEach((item, index) => {
    const channel = item.Put?.Item?.kind === 'address' ? (item.Put.Item.channel as Channel) : undefined;
    if (channel) channels.set(index, channel);
  });
  return channels;
}

/**
 * Sends one transaction; a failed condition on an address index entry (`channelsByIndex`) is an
 * {@link AddressInUseError}.
 */
export async function transact(
  table: CustomersTable,
  items: TransactItem[],
  channelsByIndex: Map<number, Channel>,
): Promise<void> {
  try {
    await table.documents.send(new TransactWriteCommand({ TransactItems: items }));
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
export async function optimistically<T>(operation: () => Promise<T>): Promise<T> {
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
