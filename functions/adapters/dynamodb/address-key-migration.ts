/**
 * Re-keys what a stage stored under plain SHA-256 address names before keyed hashes
 * (docs/deploy.md, "Keyed address hashes"), so that afterwards no stored key is a plain hash of an
 * address and lookups need no legacy reads:
 *
 * - each profile's address index entries: the plain-hash entry of each of its addresses is
 *   replaced by the keyed one (both in one transaction, each conditioned on naming this customer);
 * - suppression entries without the keyed marker: re-keyed from their plain digest
 *   (address-keys.ts, `wrappedSuppressionKey`), since an erased customer's address is gone;
 * - anonymous-contact items under a plain-hash id: copied to the keyed id (the address is in the
 *   item, `from`) and the original deleted;
 * - a plain-hash address entry whose customer no longer exists: deleted (one whose customer exists
 *   but does not name that address is left and counted: the pass cannot tell which address it is).
 *
 * It scans both tables once (an operator's one-off, run by scripts/migrate-address-keys.ts, never
 * by a function), is safe to run again, and safe to run while the stage serves traffic with legacy
 * reads on: every write is conditional and a repeat finds nothing left to move.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Channel, Customer } from '../../contract';
import type { AddressKeyer } from '../../domain/ports';
import {
  addressKey,
  contactIdOf,
  KEYED_BY,
  legacyAddressKey,
  legacyContactId,
  wrappedSuppressionKey,
} from './address-keys';
import { addressList, normaliseAddress, profileKey } from './customers-table';

/** Options for {@link migrateAddressKeys}. */
export interface AddressKeyMigrationOptions {
  readonly client: DynamoDBClient;
  readonly customersTable: string;
  readonly messagesTable: string;
  /** The stage's keyer, under its pepper. */
  readonly keyer: AddressKeyer;
}

/** What one migration pass moved (counts only: it never reports an address). */
export interface AddressKeyMigrationReport {
  /** Plain-hash address index entries replaced by keyed ones. */
  readonly addressEntries: number;
  /** Plain-hash suppression entries re-keyed from their digest. */
  readonly suppressions: number;
  /** Anonymous-contact items moved to their keyed contact id. */
  readonly contactItems: number;
  /** Plain-hash address index entries of customers that no longer exist, deleted. */
  readonly orphanEntries: number;
  /** Plain-hash address index entries left because their customer's profile does not name them. */
  readonly entriesLeft: number;
}

const SUPPRESSION_PREFIX = 'suppression#';

/** Runs one migration pass over both tables. */
export async function migrateAddressKeys(
  options: AddressKeyMigrationOptions,
): Promise<AddressKeyMigrationReport> {
  const documents = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  let addressEntries = 0;
  let suppressions = 0;
  let contactItems = 0;
  const unmarked: Record<string, unknown>[] = [];
  for await (const page of paginateScan(
    { client: documents },
    { TableName: options.customersTable, ConsistentRead: true },
  )) {
    for (const item of page.Items ?? []) {
      if (item.kind === 'customer') {
        addressEntries += await rekeyProfileAddresses(documents, options, item);
      } else if (item.kind === 'suppression' && item[KEYED_BY.attribute] === undefined) {
        suppressions += await rekeySuppression(documents, options, item);
      } else if (item.kind === 'address' && item[KEYED_BY.attribute] === undefined) {
        unmarked.push(item);
      }
    }
  }
  for await (const page of paginateScan(
    { client: documents },
    {
      TableName: options.messagesTable,
      ConsistentRead: true,
      FilterExpression: 'begins_with(pk, :contact)',
      ExpressionAttributeValues: { ':contact': 'contact#anon_' },
    },
  )) {
    for (const item of page.Items ?? []) contactItems += await moveContactItem(documents, options, item);
  }
  // Entries seen before their profile was re-keyed are gone by now; what remains names no address
  // of a live profile.
  let orphanEntries = 0;
  let entriesLeft = 0;
  for (const entry of unmarked) {
    const outcome = await removeIfOrphan(documents, options.customersTable, entry);
    if (outcome === 'deleted') orphanEntries++;
    if (outcome === 'left') entriesLeft++;
  }
  return { addressEntries, suppressions, contactItems, orphanEntries, entriesLeft };
}

/** Deletes a plain-hash address entry whose customer has no profile; one whose customer exists is left. */
async function removeIfOrphan(
  documents: DynamoDBDocumentClient,
  table: string,
  entry: Record<string, unknown>,
): Promise<'deleted' | 'left' | 'gone'> {
  const current = await documents.send(
    new GetCommand({ TableName: table, Key: { pk: entry.pk }, ConsistentRead: true }),
  );
  if (!current.Item || current.Item[KEYED_BY.attribute] !== undefined) return 'gone';
  const profile = await documents.send(
    new GetCommand({
      TableName: table,
      Key: { pk: profileKey(String(entry.customerId)) },
      ConsistentRead: true,
    }),
  );
  if (profile.Item) return 'left';
  try {
    await documents.send(
      new DeleteCommand({
        TableName: table,
        Key: { pk: entry.pk },
        ConditionExpression: 'customerId = :customerId',
        ExpressionAttributeValues: { ':customerId': entry.customerId },
      }),
    );
    return 'deleted';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'gone';
    throw error;
  }
}

async function rekeyProfileAddresses(
  documents: DynamoDBDocumentClient,
  options: AddressKeyMigrationOptions,
  profile: Record<string, unknown>,
): Promise<number> {
  const customerId = String(profile.customerId);
  let moved = 0;
  for (const [channel, normalised] of addressList((profile.addresses ?? {}) as Customer['addresses'])) {
    const keyed = await addressKey(options.keyer, channel, normalised);
    const legacy = legacyAddressKey(channel, normalised);
    const mine = { ':customerId': customerId };
    try {
      await documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: options.customersTable,
                Key: { pk: legacy },
                ConditionExpression: 'customerId = :customerId',
                ExpressionAttributeValues: mine,
              },
            },
            {
              Put: {
                TableName: options.customersTable,
                Item: {
                  pk: keyed,
                  kind: 'address',
                  channel,
                  customerId,
                  [KEYED_BY.attribute]: KEYED_BY.value,
                },
                ConditionExpression: 'attribute_not_exists(pk) OR customerId = :customerId',
                ExpressionAttributeValues: mine,
              },
            },
          ],
        }),
      );
      moved++;
    } catch (error) {
      // No plain entry for this customer (already moved, or never written): nothing to do.
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
  }
  return moved;
}

async function rekeySuppression(
  documents: DynamoDBDocumentClient,
  options: AddressKeyMigrationOptions,
  item: Record<string, unknown>,
): Promise<number> {
  const pk = String(item.pk);
  const digest = pk.slice(SUPPRESSION_PREFIX.length);
  const key = await wrappedSuppressionKey(options.keyer, item.channel as Channel, digest);
  // A keyed entry of the same address may exist: the wrapped key is its own item, read beside it.
  await documents.send(
    new PutCommand({
      TableName: options.customersTable,
      Item: { ...item, pk: key, [KEYED_BY.attribute]: KEYED_BY.value },
    }),
  );
  // Legacy entries are never written any more, so nothing can have changed this one meanwhile.
  await documents.send(new DeleteCommand({ TableName: options.customersTable, Key: { pk } }));
  return 1;
}

async function moveContactItem(
  documents: DynamoDBDocumentClient,
  options: AddressKeyMigrationOptions,
  item: Record<string, unknown>,
): Promise<number> {
  const channel = item.channel as Channel;
  if (typeof item.from !== 'string' || typeof channel !== 'string') return 0;
  const normalised = normaliseAddress(channel, item.from);
  const legacyId = legacyContactId(channel, normalised);
  if (item.pk !== `contact#${legacyId}`) return 0;
  const contactId = await contactIdOf(options.keyer, channel, normalised);
  const moved: Record<string, unknown> = { ...item, pk: `contact#${contactId}`, contactId };
  if (typeof item.gsi1pk === 'string') moved.gsi1pk = `timeline#${contactId}`;
  try {
    await documents.send(
      new PutCommand({
        TableName: options.messagesTable,
        Item: moved,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    // Moved by an earlier pass that stopped before the delete: finish it.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  await documents.send(
    new DeleteCommand({ TableName: options.messagesTable, Key: { pk: item.pk, sk: item.sk } }),
  );
  return 1;
}
