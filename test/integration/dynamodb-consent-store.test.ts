/**
 * The webhooks' consent store on DynamoDB Local, and how the profile it writes reads back for the
 * router and survives the API replacing the profile.
 */
import { DynamoDbConsentStore } from '../../functions/adapters/dynamodb/consent-store';
import { DynamoDbCustomerStore } from '../../functions/adapters/dynamodb/customer-store';
import { CONSENT_HISTORY_LIMIT } from '../../functions/domain/consent/consent-rules';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anAddressKeyer, consent } from '../helpers/factories';

const STOP = { status: 'opted_out', at: '2026-11-23T14:00:00.000Z', source: 'sms-keyword' } as const;

describe('Adapter: DynamoDbConsentStore', () => {
  const clients = testClients();
  let resources: LocalResources;
  let store: DynamoDbCustomerStore;
  let consents: DynamoDbConsentStore;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
    const options = {
      client: clients.dynamodb,
      tableName: resources.tables.customers,
      keyer: anAddressKeyer(),
    };
    store = new DynamoDbCustomerStore(options);
    consents = new DynamoDbConsentStore(options);
  });

  it('returns only the categories whose consent changed, and ignores a repeat or an older decision', async () => {
    // Prepare
    const customer = aCustomer({ consent: { marketing: { sms: consent('opted_in') } } });
    await store.put(customer);
    const categories = ['transactional', 'marketing'];

    // Act
    const first = await consents.setConsent(customer.customerId, 'sms', categories, STOP, 'keyword STOP');
    const repeated = await consents.setConsent(customer.customerId, 'sms', categories, STOP, 'keyword STOP');
    const older = await consents.setConsent(
      customer.customerId,
      'sms',
      ['marketing'],
      { status: 'opted_in', at: '2026-11-23T13:00:00.000Z', source: 'sms-keyword' },
      'keyword START',
    );

    // Assess
    expect(first).toEqual(['transactional', 'marketing']);
    expect([repeated, older]).toEqual([[], []]);
    const stored = await store.get(customer.customerId);
    expect(stored?.customer.consent.marketing?.sms).toEqual(STOP);
    const item = await store.getProfileItem(customer.customerId);
    expect(item?.consentHistory).toEqual([
      { category: 'marketing', channel: 'sms', ...consent('opted_in', '2026-01-01T00:00:00.000Z') },
      { category: 'transactional', channel: 'sms', ...STOP, reason: 'keyword STOP' },
      { category: 'marketing', channel: 'sms', ...STOP, reason: 'keyword STOP' },
    ]);
  });

  it('caps the consent history at the same limit as the API path, newest kept', async () => {
    // Prepare: one more alternating STOP/START than the history keeps, each a minute after the last.
    const customer = aCustomer();
    await store.put(customer);
    const start = Date.parse('2026-11-23T00:00:00Z');
    const at = (index: number) => new Date(start + index * 60_000).toISOString();

    // Act
    for (let index = 0; index <= CONSENT_HISTORY_LIMIT; index++) {
      const status = index % 2 === 0 ? 'opted_out' : 'opted_in';
      await consents.setConsent(customer.customerId, 'sms', ['marketing'], {
        status,
        at: at(index),
        source: 'sms-keyword',
      });
    }

    // Assess
    const history = (await store.getProfileItem(customer.customerId))?.consentHistory as { at: string }[];
    expect(history).toHaveLength(CONSENT_HISTORY_LIMIT);
    expect([history[0]?.at, history.at(-1)?.at]).toEqual([at(1), at(CONSENT_HISTORY_LIMIT)]);
  });

  it('shows the router the window and a bounced address, kept when the profile is replaced as it was', async () => {
    // Prepare
    const customer = aCustomer();
    await store.put(customer);
    await consents.openWhatsAppWindow(customer.customerId, '2026-11-24T14:00:00.000Z');
    await consents.openWhatsAppWindow(customer.customerId, '2026-11-24T10:00:00.000Z');
    await consents.markAddressInvalid(
      customer.customerId,
      'email',
      customer.addresses.email!.toUpperCase(),
      '2026-11-23T14:00:00.000Z',
      'bounce',
    );

    // Act
    await store.put(customer);
    const [profile] = (await store.getRoutingProfiles([customer.customerId])).values();

    // Assess
    expect(profile?.state).toEqual({
      whatsappWindowUntil: '2026-11-24T14:00:00.000Z',
      invalidAddresses: {
        email: { address: customer.addresses.email, at: '2026-11-23T14:00:00.000Z', reason: 'bounce' },
      },
    });
  });

  it.each([
    ['a new address set on its own', (id: string) => store.setAddress(id, 'email', 'new@example.com')],
    [
      'a replaced profile with a new address',
      async (id: string) => {
        const current = await store.get(id);
        await store.put({
          ...current!.customer,
          addresses: { ...current!.customer.addresses, email: 'new@example.com' },
        });
      },
    ],
  ])('forgets the invalid mark after %s', async (_name, change) => {
    // Prepare
    const customer = aCustomer();
    await store.put(customer);
    await consents.markAddressInvalid(
      customer.customerId,
      'email',
      customer.addresses.email!,
      '2026-11-23T14:00:00.000Z',
      'bounce',
    );

    // Act
    await change(customer.customerId);

    // Assess
    const [profile] = (await store.getRoutingProfiles([customer.customerId])).values();
    expect(profile?.state.invalidAddresses).toEqual({});
  });

  it('does not mark an address the customer no longer has', async () => {
    // Prepare
    const customer = aCustomer();
    await store.put(customer);

    // Act
    await consents.markAddressInvalid(
      customer.customerId,
      'email',
      'old@example.com',
      '2026-11-23T14:00:00.000Z',
      'bounce',
    );

    // Assess
    expect(await store.getProfileItem(customer.customerId)).not.toHaveProperty('invalid_email');
  });
});
