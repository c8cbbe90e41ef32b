/**
 * Addresses in stored keys are keyed hashes: after a customer is stored, erased with an opt-out (a
 * suppression entry) and an unknown sender writes in, no key or attribute of either table is a plain
 * SHA-256 of an address; items stored under the old plain keys are still read during migration.
 */
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { legacyAddressKey, legacySuppressionKey } from '../../functions/adapters/dynamodb/address-keys';
import { DynamoDbCustomerStore } from '../../functions/adapters/dynamodb/customer-store';
import { DynamoDbWebhookLedger } from '../../functions/adapters/dynamodb/webhook-ledger';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, aMobileNumber, anAddressKeyer, consent } from '../helpers/factories';
import { type KnownAddress, plainAddressHashesStored } from '../helpers/plain-address-hashes';

describe('Keyed address hashes on DynamoDB', () => {
  const clients = testClients();
  let resources: LocalResources;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
  });

  async function storedText(table: string): Promise<string> {
    const output = await clients.dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    return JSON.stringify(output.Items ?? []);
  }

  it('stores no plain SHA-256 of a known address in any key or attribute', async () => {
    // Prepare
    const keyer = anAddressKeyer();
    const store = new DynamoDbCustomerStore({
      client: clients.dynamodb,
      tableName: resources.tables.customers,
      keyer,
    });
    const ledger = new DynamoDbWebhookLedger({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
      keyer,
    });
    const kept = aCustomer();
    const erased = aCustomer({
      consent: { marketing: { sms: consent('opted_out', '2026-11-01T00:00:00Z') } },
    });
    const stranger = aMobileNumber();

    // Act
    await store.put(kept);
    await store.put(erased);
    await store.erase(erased.customerId);
    await ledger.recordInbound(
      {
        type: 'message.inbound',
        channel: 'sms',
        from: stranger,
        text: 'who is this?',
        media: [],
        receivedAt: '2026-11-02T00:00:00.000Z',
        provider: 'twilio',
        providerMessageId: 'SM-keyed-hash-test',
      },
      {},
    );

    // Assess
    const customers = await storedText(resources.tables.customers);
    const messages = await storedText(resources.tables.messages);
    expect(customers).toContain('suppression#');
    expect(customers).toContain('address#sms#');
    expect(messages).toContain('contact#anon_');
    const known: KnownAddress[] = [
      { channel: 'sms', address: kept.addresses.sms as string },
      { channel: 'email', address: kept.addresses.email as string },
      { channel: 'sms', address: erased.addresses.sms as string },
      { channel: 'email', address: erased.addresses.email as string },
      { channel: 'sms', address: stranger },
    ];
    const tables = [resources.tables.customers, resources.tables.messages];
    expect(await plainAddressHashesStored(clients, tables, known)).toEqual([]);
  });

  it('finds a plain hash of a known address when one is stored (the scan above can fail)', async () => {
    // Prepare
    const phone = aMobileNumber();
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: resources.tables.customers,
        Item: { pk: { S: legacySuppressionKey('sms', phone) }, kind: { S: 'suppression' } },
      }),
    );

    // Act
    const found = await plainAddressHashesStored(
      clients,
      [resources.tables.customers],
      [{ channel: 'sms', address: phone }],
    );

    // Assess
    expect(found.map(({ pk }) => pk)).toEqual([legacySuppressionKey('sms', phone)]);
  });

  it('finds an address and applies an opt-out stored under the plain keys while legacy reads are on', async () => {
    // Prepare
    const phone = aMobileNumber();
    const table = resources.tables.customers;
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: legacyAddressKey('sms', phone) },
          kind: { S: 'address' },
          channel: { S: 'sms' },
          customerId: { S: 'c-legacy' },
        },
      }),
    );
    const other = aMobileNumber();
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: legacySuppressionKey('sms', other) },
          kind: { S: 'suppression' },
          channel: { S: 'sms' },
          optedOut_marketing: { S: '2026-10-01T00:00:00.000Z' },
        },
      }),
    );
    const pepper = 'a'.repeat(64);
    const migrating = new DynamoDbCustomerStore({
      client: clients.dynamodb,
      tableName: table,
      keyer: anAddressKeyer(pepper, { readsLegacy: true }),
    });
    const keyedOnly = new DynamoDbCustomerStore({
      client: clients.dynamodb,
      tableName: table,
      keyer: anAddressKeyer(pepper),
    });

    // Act
    const foundMigrating = await migrating.findByAddress('sms', phone);
    const foundKeyedOnly = await keyedOnly.findByAddress('sms', phone);
    const { stored } = await migrating.put(aCustomer({ addresses: { sms: other } }));

    // Assess
    expect(foundMigrating).toBe('c-legacy');
    expect(foundKeyedOnly).toBeUndefined();
    expect(stored.customer.consent.marketing?.sms).toEqual({
      status: 'opted_out',
      at: '2026-10-01T00:00:00.000Z',
      source: 'suppression',
    });
  });

  it('does not find an address stored under another pepper', async () => {
    // Prepare
    const customer = aCustomer();
    const table = resources.tables.customers;
    await new DynamoDbCustomerStore({
      client: clients.dynamodb,
      tableName: table,
      keyer: anAddressKeyer(),
    }).put(customer);
    const otherPepper = new DynamoDbCustomerStore({
      client: clients.dynamodb,
      tableName: table,
      keyer: anAddressKeyer(),
    });

    // Act
    const found = await otherPepper.findByAddress('sms', customer.addresses.sms as string);

    // Assess
    expect(found).toBeUndefined();
  });
});
