import { Category, type Channel } from '../../functions/contract';
import { candidateOrder, describeSkipped, planRoute } from '../../functions/domain/plan-route';
import { aCustomer, aRequest, consent } from '../helpers/factories';

// 14:00 in Paris.
const AFTERNOON = new Date('2026-11-23T13:00:00Z');

describe('Function: planRoute', () => {
  it.each<[string, Parameters<typeof aCustomer>[0], string, Channel[], Channel[]]>([
    ['picks the preferred channel', {}, Category.TRANSACTIONAL, ['whatsapp'], ['sms', 'email', 'push']],
    [
      'skips a channel opted out of a transactional category',
      { consent: { transactional: { whatsapp: consent('opted_out') } } },
      Category.TRANSACTIONAL,
      ['sms'],
      ['email', 'push'],
    ],
    [
      'needs an opt-in for marketing',
      { consent: { marketing: { email: consent('opted_in') } } },
      Category.MARKETING,
      ['email'],
      [],
    ],
    [
      'needs an opt-in for a category of the user',
      { consent: { reminders: { push: consent('opted_in'), sms: consent('opted_in') } } },
      'reminders',
      ['sms'],
      ['push'],
    ],
    [
      'skips a channel with no address',
      { addresses: { email: 'ada@example.com', sms: '+33612345678' } },
      Category.TRANSACTIONAL,
      ['sms'],
      ['email'],
    ],
    [
      'uses the default order for channels the customer did not rank',
      { preferences: { channels: ['email'] } },
      Category.TRANSACTIONAL,
      ['email'],
      ['sms', 'whatsapp', 'push'],
    ],
  ])('%s', (_case, customerOverrides, category, channels, fallbackChannels) => {
    // Prepare
    const customer = aCustomer(customerOverrides);

    // Act
    const plan = planRoute({
      request: aRequest(customer.customerId, { category }),
      customer,
      now: AFTERNOON,
    });

    // Assess
    expect(plan).toMatchObject({ kind: 'route', channels, fallbackChannels });
  });

  it('sends to every candidate with the all strategy', () => {
    // Prepare
    const customer = aCustomer({ addresses: { sms: '+33612345678', email: 'ada@example.com' } });

    // Act
    const plan = planRoute({
      request: aRequest(customer.customerId, { routing: { strategy: 'all' } }),
      customer,
      now: AFTERNOON,
    });

    // Assess
    expect(plan).toMatchObject({ kind: 'route', channels: ['sms', 'email'], fallbackChannels: [] });
  });

  it('keeps no fallback chain when the request turns fallback off', () => {
    // Prepare
    const customer = aCustomer();

    // Act
    const plan = planRoute({
      request: aRequest(customer.customerId, { routing: { fallback: false } }),
      customer,
      now: AFTERNOON,
    });

    // Assess
    expect(plan).toMatchObject({ kind: 'route', channels: ['whatsapp'], fallbackChannels: [] });
  });

  it('skips an address a hard bounce marked invalid, saying why', () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['email', 'sms'] } });
    const invalid = { address: customer.addresses.email!, at: '2026-11-20T10:00:00.000Z', reason: 'bounce' };

    // Act
    const plan = planRoute({
      request: aRequest(customer.customerId, { routing: { channels: ['email', 'sms'] } }),
      customer,
      now: AFTERNOON,
      channelState: { invalidAddresses: { email: invalid } },
    });

    // Assess
    expect(plan).toMatchObject({
      kind: 'route',
      channels: ['sms'],
      skipped: { email: 'address invalid since 2026-11-20T10:00:00.000Z (bounce)' },
    });
  });

  it('never plans a channel already tried', () => {
    // Prepare
    const customer = aCustomer();

    // Act
    const plan = planRoute({
      request: aRequest(customer.customerId),
      customer,
      now: AFTERNOON,
      triedChannels: ['whatsapp', 'sms'],
    });

    // Assess
    expect(plan).toMatchObject({
      kind: 'route',
      channels: ['email'],
      fallbackChannels: ['push'],
      skipped: { whatsapp: 'already tried', sms: 'already tried' },
    });
  });

  it('says why each channel was left out when none is left', () => {
    // Prepare
    const customer = aCustomer({
      addresses: { sms: '+33612345678' },
      preferences: { channels: ['sms', 'email'] },
      consent: { marketing: { sms: consent('opted_out') } },
    });

    // Act
    const plan = planRoute({
      request: aRequest(customer.customerId, { category: 'marketing' }),
      customer,
      now: AFTERNOON,
    });

    // Assess
    expect(plan).toEqual({
      kind: 'undeliverable',
      skipped: {
        sms: 'opted out of marketing',
        email: 'no address',
        whatsapp: 'no address',
        push: 'no address',
      },
      reason: 'sms: opted out of marketing; email: no address; whatsapp: no address; push: no address',
    });
  });

  it.each([
    [
      'marketing at 23:00 waits for 08:00',
      'marketing',
      '2026-11-23T22:00:00Z',
      '2026-11-24T07:00:00.000Z',
      true,
    ],
    [
      'transactional at 23:00 goes now',
      'transactional',
      '2026-11-23T22:00:00Z',
      '2026-11-23T22:00:00.000Z',
      false,
    ],
    ['marketing at 14:00 goes now', 'marketing', '2026-11-23T13:00:00Z', '2026-11-23T13:00:00.000Z', false],
  ])('%s', (_case, category, now, deliverAt, quietHoursDelay) => {
    // Prepare
    const customer = aCustomer({ consent: { marketing: { sms: consent('opted_in') } } });

    // Act
    const plan = planRoute({
      request: aRequest(customer.customerId, { category }),
      customer,
      now: new Date(now),
    });

    // Assess
    expect(plan).toMatchObject({ kind: 'route', quietHoursDelay });
    expect(plan.kind === 'route' && plan.deliverAt.toISOString()).toBe(deliverAt);
  });

  it('uses the customer quiet hours and the default time zone when the customer has none', () => {
    // Prepare
    const customer = aCustomer({
      timezone: undefined,
      preferences: { channels: ['sms'], quietHours: { start: '12:00', end: '14:00' } },
      consent: { marketing: { sms: consent('opted_in') } },
    });

    // Act
    const plan = planRoute({
      request: aRequest(customer.customerId, { category: 'marketing' }),
      customer,
      now: new Date('2026-11-23T12:30:00Z'),
      defaults: { timeZone: 'UTC', quietHours: { start: '21:00', end: '08:00' } },
    });

    // Assess
    expect(plan.kind === 'route' && plan.deliverAt.toISOString()).toBe('2026-11-23T14:00:00.000Z');
  });

  it('waits for sendAt, then for the end of quiet hours after it', () => {
    // Prepare
    const customer = aCustomer({ consent: { marketing: { sms: consent('opted_in') } } });

    // Act: sendAt 22:30 Paris.
    const plan = planRoute({
      request: aRequest(customer.customerId, { category: 'marketing', sendAt: '2026-11-23T21:30:00Z' }),
      customer,
      now: AFTERNOON,
    });

    // Assess
    expect(plan.kind === 'route' && plan.deliverAt.toISOString()).toBe('2026-11-24T07:00:00.000Z');
  });

  it.each([
    ['is past its expiry', { expiresAt: '2026-11-23T12:59:59Z' }, 'expired at 2026-11-23T12:59:59Z'],
    [
      'would only go out after its expiry',
      { category: 'marketing', sendAt: '2026-11-23T21:30:00Z', expiresAt: '2026-11-24T06:00:00Z' },
      'would go out at 2026-11-24T07:00:00.000Z, after it expires at 2026-11-24T06:00:00Z',
    ],
  ])('expires a request that %s', (_case, overrides, reason) => {
    // Prepare
    const customer = aCustomer({ consent: { marketing: { sms: consent('opted_in') } } });

    // Act
    const plan = planRoute({ request: aRequest(customer.customerId, overrides), customer, now: AFTERNOON });

    // Assess
    expect(plan).toEqual({ kind: 'expired', reason });
  });
});

describe('Function: candidateOrder', () => {
  it('orders the request allow-list by the customer ranking', () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['email', 'sms'] } });

    // Act
    const order = candidateOrder(
      aRequest(customer.customerId, { routing: { channels: ['push', 'sms', 'email'] } }),
      customer,
    );

    // Assess
    expect(order).toEqual(['email', 'sms', 'push']);
  });
});

describe('Function: describeSkipped', () => {
  it('joins the reasons per channel', () => {
    // Act
    const text = describeSkipped({ sms: 'opted out of marketing', email: 'no address' });

    // Assess
    expect(text).toBe('sms: opted out of marketing; email: no address');
  });
});
