/**
 * The customer store on DynamoDB Local: profiles, the address index, partial updates, erasure.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { suppressionKey } from '../../functions/adapters/dynamodb/address-keys';
import { AddressInUseError } from '../../functions/adapters/dynamodb/customer-errors';
import { DynamoDbCustomerStore } from '../../functions/adapters/dynamodb/customer-store';
import { CONSENT_HISTORY_LIMIT } from '../../functions/domain/consent/consent-rules';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, aMobileNumber, anAddressKeyer, consent } from '../helpers/factories';

describe('Class: DynamoDbCustomerStore', () => {
  const clients = testClients();
  const keyer = anAddressKeyer();
  let resources: LocalResources;
  let store: DynamoDbCustomerStore;
  afterAll(() => clients.destroy());
  beforeAll(async () => {
    resources = await isolatedResources();
    store = new DynamoDbCustomerStore({
      client: clients.dynamodb,
      tableName: resources.tables.customers,
      keyer,
    });
  });

  it('finds a customer from a phone number however it is written', async () => {
    // Prepare
    const customer = aCustomer({ addresses: { sms: '+33611223344' } });
    await store.put(customer);

    // Act
    const found = await store.findByAddress('sms', '+33 6 11 22 33 44');

    // Assess
    expect(found).toBe(customer.customerId);
  });

  it('finds a customer from an email address in another case and a push token', async () => {
    // Prepare
    const customer = aCustomer({
      addresses: { email: 'Grace@Example.com', push: [{ kind: 'fcm', token: 'fcm-token-42' }] },
    });
    await store.put(customer);

    // Act
    const byEmail = await store.findByAddress('email', ' grace@example.COM ');
    const byToken = await store.findByAddress('push', 'fcm-token-42');

    // Assess
    expect([byEmail, byToken]).toEqual([customer.customerId, customer.customerId]);
  });

  it('moves the address index with the profile when an address changes', async () => {
    // Prepare
    const customer = aCustomer();
    await store.put(customer);
    const oldNumber = customer.addresses.sms as string;
    const newNumber = aMobileNumber();

    // Act
    const stored = await store.setAddress(customer.customerId, 'sms', newNumber);

    // Assess
    expect(stored.customer.addresses.sms).toBe(newNumber);
    expect(await store.findByAddress('sms', newNumber)).toBe(customer.customerId);
    expect(await store.findByAddress('sms', oldNumber)).toBeUndefined();
    expect((await store.get(customer.customerId))?.version).toBe(2);
  });

  it('refuses an address another customer holds, and changes nothing', async () => {
    // Prepare
    const first = aCustomer();
    const second = aCustomer();
    await store.put(first);
    await store.put(second);

    // Act
    const taking = store.setAddress(second.customerId, 'email', first.addresses.email);

    // Assess
    await expect(taking).rejects.toBeInstanceOf(AddressInUseError);
    expect((await store.get(second.customerId))?.customer.addresses.email).toBe(second.addresses.email);
  });

  it('keeps both changes when an address and a consent change at the same time', async () => {
    // Prepare
    const customer = aCustomer();
    await store.put(customer);
    const newNumber = aMobileNumber();

    // Act
    await Promise.all([
      store.setAddress(customer.customerId, 'sms', newNumber),
      store.setConsent(
        customer.customerId,
        'marketing',
        'email',
        consent('opted_in', '2026-11-23T10:00:00Z'),
      ),
      store.setConsent(customer.customerId, 'marketing', 'sms', consent('opted_out', '2026-11-23T10:00:00Z')),
    ]);

    // Assess
    const stored = await store.get(customer.customerId);
    expect(stored?.customer.addresses.sms).toBe(newNumber);
    expect(stored?.customer.consent.marketing).toEqual({
      email: { status: 'opted_in', at: '2026-11-23T10:00:00.000Z', source: 'api' },
      sms: { status: 'opted_out', at: '2026-11-23T10:00:00.000Z', source: 'api' },
    });
    expect(stored?.version).toBe(4);
  });

  it('never lets an older consent decision replace a newer one', async () => {
    // Prepare
    const customer = aCustomer();
    await store.put(customer);
    await store.setConsent(
      customer.customerId,
      'marketing',
      'sms',
      consent('opted_out', '2026-11-23T12:00:00Z'),
    );

    // Act
    const stored = await store.setConsent(
      customer.customerId,
      'marketing',
      'sms',
      consent('opted_in', '2026-11-23T11:00:00Z'),
    );

    // Assess
    expect(stored.customer.consent.marketing?.sms?.status).toBe('opted_out');
  });

  it('caps the consent history on the API path as the webhooks do, newest kept', async () => {
    // Prepare: one more alternating decision than the history keeps, each a minute after the last.
    const customer = aCustomer();
    await store.put(customer);
    const start = Date.parse('2026-11-23T00:00:00Z');
    const decisions = Array.from({ length: CONSENT_HISTORY_LIMIT + 1 }, (_, index) =>
      consent(index % 2 === 0 ? 'opted_in' : 'opted_out', new Date(start + index * 60_000).toISOString()),
    );

    // Act
    for (const decision of decisions) {
      await store.setConsent(customer.customerId, 'marketing', 'sms', decision);
    }

    // Assess
    const history = (await store.getProfileItem(customer.customerId))?.consentHistory as { at: string }[];
    expect(history).toHaveLength(CONSENT_HISTORY_LIMIT);
    expect(history[0]?.at).toBe(new Date(start + 60_000).toISOString());
    expect(history.at(-1)?.at).toBe(new Date(start + CONSENT_HISTORY_LIMIT * 60_000).toISOString());
  });

  it('records a repeat of the same consent status as no new history', async () => {
    // Prepare
    const customer = aCustomer();
    await store.put(customer);
    await store.setConsent(
      customer.customerId,
      'marketing',
      'sms',
      consent('opted_out', '2026-11-23T10:00:00Z'),
    );

    // Act
    const stored = await store.setConsent(
      customer.customerId,
      'marketing',
      'sms',
      consent('opted_out', '2026-11-23T11:00:00Z'),
    );

    // Assess
    expect(stored.customer.consent.marketing?.sms?.at).toBe('2026-11-23T10:00:00.000Z');
    expect((await store.getProfileItem(customer.customerId))?.consentHistory).toHaveLength(1);
  });

  it('keeps a newer stored opt-out when a replaced profile carries an older opt-in', async () => {
    // Prepare
    const customer = aCustomer({
      consent: { marketing: { sms: consent('opted_in', '2026-11-23T10:00:00Z') } },
    });
    await store.put(customer);
    await store.setConsent(customer.customerId, 'marketing', 'sms', {
      status: 'opted_out',
      at: '2026-11-23T12:00:00Z',
      source: 'sms-keyword',
    });

    // Act
    const { stored } = await store.put(customer);

    // Assess
    expect(stored.customer.consent.marketing?.sms).toEqual({
      status: 'opted_out',
      at: '2026-11-23T12:00:00.000Z',
      source: 'sms-keyword',
    });
    expect((await store.get(customer.customerId))?.customer.consent.marketing?.sms?.status).toBe('opted_out');
  });

  it('erases a profile and its index but keeps only a hashed opt-out that a new profile inherits', async () => {
    // Prepare
    const customer = aCustomer({
      consent: { marketing: { sms: consent('opted_out', '2026-11-01T00:00:00Z') } },
    });
    await store.put(customer);
    const phone = customer.addresses.sms as string;

    // Act
    const erased = await store.erase(customer.customerId);
    const again = await store.erase(customer.customerId);
    const reborn = aCustomer({
      addresses: { sms: phone },
      consent: { marketing: { email: consent('opted_in') } },
    });
    const { stored } = await store.put(reborn);

    // Assess
    expect([erased, again]).toEqual([true, false]);
    expect(await store.get(customer.customerId)).toBeUndefined();
    expect(await store.findByAddress('sms', phone)).toBe(reborn.customerId);
    expect(stored.customer.consent.marketing?.sms).toEqual({
      status: 'opted_out',
      at: '2026-11-01T00:00:00.000Z',
      source: 'suppression',
    });
    const items = await clients.dynamodb.send(new ScanCommand({ TableName: resources.tables.customers }));
    const expectedKey = await suppressionKey(keyer, 'sms', phone);
    const suppression = items.Items?.find((item) => item.pk?.S === expectedKey);
    expect(suppression).toBeDefined();
    expect(JSON.stringify(suppression)).not.toContain(phone);
  });

  it('reads many customers at once and leaves out unknown ids', async () => {
    // Prepare
    const customers = [aCustomer(), aCustomer()];
    for (const customer of customers) await store.put(customer);

    // Act
    const found = await store.getMany([...customers.map((c) => c.customerId), 'c-unknown']);

    // Assess
    expect([...found.keys()].sort()).toEqual(customers.map((c) => c.customerId).sort());
    expect(found.get(customers[0]!.customerId)).toEqual(customers[0]);
  });

  it('reads erasure tombstones in the same BatchGetItem request as the profiles', async () => {
    // Prepare
    const live = aCustomer();
    const erased = aCustomer();
    const expired = aCustomer();
    await store.put(live);
    await store.markErased(erased.customerId, new Date());
    await store.markErased(expired.customerId, new Date(Date.now() - 16 * 24 * 60 * 60 * 1000));
    const requests: string[] = [];
    const countingClients = testClients();
    const counting = countingClients.dynamodb;
    counting.middlewareStack.add(
      (next, context) => async (args) => {
        requests.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const counted = new DynamoDbCustomerStore({
      client: counting,
      tableName: resources.tables.customers,
      keyer,
    });

    // Act
    const profiles = await counted.getRoutingProfiles([
      live.customerId,
      erased.customerId,
      expired.customerId,
    ]);

    // Assess
    expect(requests).toEqual(['BatchGetItemCommand']);
    expect([...profiles.keys()]).toEqual([live.customerId]);
    expect([...(profiles.erased ?? [])]).toEqual([erased.customerId]);
    countingClients.destroy();
  });
});
