import { ContractValidationError } from '../../../../functions/contract';
import { eraseCustomer } from '../../../../functions/domain/customers/erase-customer';
import { getCustomer } from '../../../../functions/domain/customers/get-customer';
import { putCustomer } from '../../../../functions/domain/customers/put-customer';
import { updateConsent } from '../../../../functions/domain/customers/update-consent';
import { aCustomerInput } from '../../../helpers/factories';
import {
  InMemoryAnonymousLinks,
  InMemoryContacts,
  InMemoryCustomers,
  InMemoryTimeline,
} from '../../../helpers/in-memory-api-ports';

describe('Function: putCustomer', () => {
  it('creates a profile under the id of the path, then replaces it with a new version', async () => {
    // Prepare
    const customers = new InMemoryCustomers();
    const { customerId: _omitted, ...body } = aCustomerInput();

    // Act
    const created = await putCustomer('cus_1', body, { customers });
    const replaced = await putCustomer('cus_1', { ...body, locale: 'en-GB' }, { customers });

    // Assess
    expect(created).toMatchObject({ created: true, customer: { customerId: 'cus_1', version: 1 } });
    expect(replaced).toMatchObject({ created: false, customer: { locale: 'en-GB', version: 2 } });
  });

  it.each([
    ['names another customer id', { ...aCustomerInput(), customerId: 'cus_other' }, 'customerId'],
    ['has an invalid phone number', aCustomerInput({ addresses: { sms: '0612345678' } }), 'addresses.sms'],
    ['is not an object', 'Ada', '(request)'],
  ])('refuses a body that %s and stores nothing', async (_case, body, field) => {
    // Prepare
    const customers = new InMemoryCustomers();

    // Act
    const putting = putCustomer('cus_8f2k1', body, { customers });

    // Assess
    await expect(putting).rejects.toBeInstanceOf(ContractValidationError);
    await expect(putting).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ field })]),
    });
    expect(customers.stored.size).toBe(0);
  });
});

describe('Function: getCustomer', () => {
  it('returns the stored profile with its version, or undefined for an unknown id', async () => {
    // Prepare
    const customers = new InMemoryCustomers();
    await putCustomer('cus_8f2k1', aCustomerInput(), { customers });

    // Act
    const known = await getCustomer('cus_8f2k1', { customers });
    const unknown = await getCustomer('cus_nobody', { customers });

    // Assess
    expect(known).toMatchObject({ customerId: 'cus_8f2k1', version: 1 });
    expect(unknown).toBeUndefined();
  });
});

describe('Function: updateConsent', () => {
  it('records the decision at now from the api when the body says neither', async () => {
    // Prepare
    const customers = new InMemoryCustomers();
    await putCustomer('cus_8f2k1', aCustomerInput(), { customers });
    const now = () => new Date('2026-12-05T09:30:00Z');

    // Act
    const updated = await updateConsent(
      'cus_8f2k1',
      { category: 'marketing', channel: 'email', status: 'opted_in' },
      { customers, now },
    );

    // Assess
    expect(updated.consent.marketing?.email).toEqual({
      status: 'opted_in',
      at: '2026-12-05T09:30:00.000Z',
      source: 'api',
    });
  });

  it('refuses a change with an unknown status and changes nothing', async () => {
    // Prepare
    const customers = new InMemoryCustomers();
    await putCustomer('cus_8f2k1', aCustomerInput(), { customers });

    // Act
    const updating = updateConsent(
      'cus_8f2k1',
      { category: 'marketing', channel: 'email', status: 'maybe' },
      { customers, now: () => new Date() },
    );

    // Assess
    await expect(updating).rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'status' })] });
    expect((await customers.get('cus_8f2k1'))?.version).toBe(1);
  });
});

describe('Function: eraseCustomer', () => {
  it('marks the customer erased, removes contacts, timeline and profile, and says how much went', async () => {
    // Prepare
    const customers = new InMemoryCustomers();
    const ledger = new InMemoryTimeline();
    const contacts = new InMemoryContacts();
    const touchpoints = new InMemoryAnonymousLinks();
    const input = aCustomerInput();
    await putCustomer('cus_8f2k1', input, { customers });
    ledger.items.set('cus_8f2k1', 3);
    contacts.partitions.add(`email:${input.addresses?.email}`);
    touchpoints.linked.set('cus_8f2k1', new Set(['anon-web', 'anon-app']));
    const now = () => new Date('2026-12-05T10:00:00Z');

    // Act
    const first = await eraseCustomer('cus_8f2k1', { customers, ledger, contacts, touchpoints, now });
    const again = await eraseCustomer('cus_8f2k1', { customers, ledger, contacts, touchpoints, now });

    // Assess
    expect(first).toEqual({ messages: 3, profile: true, contacts: 1, anonymousProfiles: 2, schedules: 0 });
    expect(again).toEqual({ messages: 0, profile: false, contacts: 0, anonymousProfiles: 0, schedules: 0 });
    expect(customers.erased.get('cus_8f2k1')).toEqual(now());
    expect(await customers.get('cus_8f2k1')).toBeUndefined();
  });
});
