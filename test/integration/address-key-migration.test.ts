/**
 * The migration of a stage deployed before keyed address hashes, on DynamoDB Local: items written
 * under plain SHA-256 names (address index entries, a suppression entry of an erased address, an
 * anonymous contact's message) are re-keyed; afterwards no plain hash of any of those addresses is
 * stored, and everything is still found with legacy reads off.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { migrateAddressKeys } from '../../functions/adapters/dynamodb/address-key-migration';
import {
  addressKey,
  contactIdOf,
  legacyAddressKey,
  legacyContactId,
  legacySuppressionKey,
} from '../../functions/adapters/dynamodb/address-keys';
import { DynamoDbCustomerStore } from '../../functions/adapters/dynamodb/customer-store';
import { addressList } from '../../functions/adapters/dynamodb/customers-table';
import { DynamoDbWebhookLedger } from '../../functions/adapters/dynamodb/webhook-ledger';
import type { Customer } from '../../functions/contract';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, aMobileNumber, anAddressKeyer } from '../helpers/factories';
import {
  everyStoredItem,
  type KnownAddress,
  plainAddressHashesStored,
} from '../helpers/plain-address-hashes';

describe('Function: migrateAddressKeys', () => {
  const clients = testClients();
  const documents = DynamoDBDocumentClient.from(clients.dynamodb);
  const keyer = anAddressKeyer();
  let resources: LocalResources;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
  });

  /** Stores a profile whose address index is in the plain-hash form a pre-keying stage wrote. */
  async function legacyProfile(customer: Customer): Promise<void> {
    const store = new DynamoDbCustomerStore({
      client: clients.dynamodb,
      tableName: resources.tables.customers,
      keyer,
    });
    await store.put(customer);
    for (const [channel, normalised] of addressList(customer.addresses)) {
      const table = resources.tables.customers;
      await documents.send(
        new DeleteCommand({ TableName: table, Key: { pk: await addressKey(keyer, channel, normalised) } }),
      );
      await documents.send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: legacyAddressKey(channel, normalised),
            kind: 'address',
            channel,
            customerId: customer.customerId,
          },
        }),
      );
    }
  }

  /** An erased customer's opt-out as a pre-keying stage stored it. */
  async function legacySuppression(phone: string): Promise<void> {
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: resources.tables.customers,
        Item: {
          pk: { S: legacySuppressionKey('sms', phone) },
          kind: { S: 'suppression' },
          channel: { S: 'sms' },
          optedOut_marketing: { S: '2026-10-01T00:00:00.000Z' },
        },
      }),
    );
  }

  /** An unknown sender's inbound SMS under its plain-hash contact id. */
  async function legacyContactMessage(phone: string): Promise<void> {
    const id = legacyContactId('sms', phone);
    await documents.send(
      new PutCommand({
        TableName: resources.tables.messages,
        Item: {
          pk: `contact#${id}`,
          sk: 'inbound#twilio#SM-legacy',
          kind: 'inbound',
          type: 'message.inbound',
          channel: 'sms',
          from: phone,
          text: 'Who is this?',
          media: [],
          receivedAt: '2026-10-02T00:00:00.000Z',
          provider: 'twilio',
          providerMessageId: 'SM-legacy',
          contactId: id,
          gsi1pk: `timeline#${id}`,
          gsi1sk: '2026-10-02T00:00:00.000Z#inbound#SM-legacy',
        },
      }),
    );
  }

  function migrate() {
    return migrateAddressKeys({
      client: clients.dynamodb,
      customersTable: resources.tables.customers,
      messagesTable: resources.tables.messages,
      keyer,
    });
  }

  it('re-keys plain-hash address entries, suppressions and contacts, so none is left and all are still found', async () => {
    // Prepare
    const customer = aCustomer();
    const erasedPhone = aMobileNumber();
    const stranger = aMobileNumber();
    await legacyProfile(customer);
    await legacySuppression(erasedPhone);
    await legacyContactMessage(stranger);
    const orphanPhone = aMobileNumber();
    await documents.send(
      new PutCommand({
        TableName: resources.tables.customers,
        Item: {
          pk: legacyAddressKey('sms', orphanPhone),
          kind: 'address',
          channel: 'sms',
          customerId: 'c-gone',
        },
      }),
    );
    const keyedOnly = new DynamoDbCustomerStore({
      client: clients.dynamodb,
      tableName: resources.tables.customers,
      keyer,
    });
    const contacts = new DynamoDbWebhookLedger({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
      keyer,
    });

    // Act
    const first = await migrate();
    const second = await migrate();

    // Assess
    expect(first).toEqual({
      addressEntries: 4,
      suppressions: 1,
      contactItems: 1,
      orphanEntries: 1,
      entriesLeft: 0,
    });
    expect(second).toEqual({
      addressEntries: 0,
      suppressions: 0,
      contactItems: 0,
      orphanEntries: 0,
      entriesLeft: 0,
    });
    const known: KnownAddress[] = [
      ...addressList(customer.addresses).map(([channel, address]) => ({ channel, address })),
      { channel: 'sms', address: erasedPhone },
      { channel: 'sms', address: stranger },
      { channel: 'sms', address: orphanPhone },
    ];
    const tables = [resources.tables.customers, resources.tables.messages];
    expect(await plainAddressHashesStored(clients, tables, known)).toEqual([]);
    expect(await keyedOnly.findByAddress('email', customer.addresses.email as string)).toBe(
      customer.customerId,
    );
    const { stored } = await keyedOnly.put(aCustomer({ addresses: { sms: erasedPhone } }));
    expect(stored.customer.consent.marketing?.sms).toEqual({
      status: 'opted_out',
      at: '2026-10-01T00:00:00.000Z',
      source: 'suppression',
    });
    const contact = `contact#${await contactIdOf(keyer, 'sms', stranger)}`;
    const moved = (await everyStoredItem(clients, [resources.tables.messages])).filter(
      ({ item }) => item.pk === contact,
    );
    expect(moved.map(({ item }) => item.gsi1pk)).toEqual([`timeline#${contact.slice('contact#'.length)}`]);
    expect(await contacts.eraseAnonymousContacts([{ channel: 'sms', address: stranger }])).toBe(1);
  });

  it('leaves and counts a plain entry whose customer exists but no longer names that address', async () => {
    // Prepare
    const customer = aCustomer({ addresses: { email: `kept-${Date.now()}@example.com` } });
    await legacyProfile(customer);
    const stale = aMobileNumber();
    await documents.send(
      new PutCommand({
        TableName: resources.tables.customers,
        Item: {
          pk: legacyAddressKey('sms', stale),
          kind: 'address',
          channel: 'sms',
          customerId: customer.customerId,
        },
      }),
    );

    // Act
    const report = await migrate();

    // Assess
    expect(report).toMatchObject({ addressEntries: 1, orphanEntries: 0, entriesLeft: 1 });
    const tables = [resources.tables.customers];
    const left = await plainAddressHashesStored(clients, tables, [{ channel: 'sms', address: stale }]);
    expect(left.map(({ pk }) => pk)).toEqual([legacyAddressKey('sms', stale)]);
  });
});
