/**
 * Finds plain (unkeyed) SHA-256 hashes of known addresses in stored items: the forms Switchboard
 * wrote before keyed hashes, and the obvious ones anybody would try when enumerating numbers.
 */
import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { normaliseAddress } from '../../functions/adapters/dynamodb/customers-table';
import type { Channel } from '../../functions/contract';
import type { TestClients } from './emulators';

/** An address a test knows, on its channel. */
export interface KnownAddress {
  readonly channel: Channel;
  readonly address: string;
}

/** A plain hash of a known address found in a stored item. */
export interface PlainHashFinding {
  readonly table: string;
  readonly pk: string;
  readonly address: string;
  readonly hash: string;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Every plain SHA-256 form of an address: of the address and of `channel:address`, as written and
 * normalised, whole and as the 32-digit prefix the anonymous-contact ids used.
 */
export function plainHashesOf({ channel, address }: KnownAddress): string[] {
  const forms = new Set([address, normaliseAddress(channel, address)]);
  const hashes = [...forms].flatMap((form) => [sha256(form), sha256(`${channel}:${form}`)]);
  return [...new Set(hashes.flatMap((hex) => [hex, hex.slice(0, 32)]))];
}

/** Every item of the tables, consistently read, each with its table name. */
export async function everyStoredItem(
  clients: TestClients,
  tables: readonly string[],
): Promise<{ table: string; item: Record<string, unknown> }[]> {
  const all: { table: string; item: Record<string, unknown> }[] = [];
  for (const table of tables) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await clients.dynamodb.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey as never } : {}),
        }),
      );
      for (const item of output.Items ?? []) all.push({ table, item: unmarshall(item) });
      startKey = output.LastEvaluatedKey;
    } while (startKey);
  }
  return all;
}

/** The plain hashes of these addresses found anywhere (key or attribute) in these tables. */
export async function plainAddressHashesStored(
  clients: TestClients,
  tables: readonly string[],
  addresses: readonly KnownAddress[],
): Promise<PlainHashFinding[]> {
  const findings: PlainHashFinding[] = [];
  const items = await everyStoredItem(clients, tables);
  for (const known of addresses) {
    const hashes = plainHashesOf(known);
    for (const { table, item } of items) {
      const text = JSON.stringify(item);
      const hash = hashes.find((candidate) => text.includes(candidate));
      if (hash) findings.push({ table, pk: String(item.pk), address: known.address, hash });
    }
  }
  return findings;
}
