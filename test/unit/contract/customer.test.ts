import fc from 'fast-check';
import { CustomerSchema, parseCustomer, safeParseWith } from '../../../functions/contract';
import { aCustomerInput } from '../../helpers/factories';

function issuesOf(input: unknown): string[] {
  const result = safeParseWith(CustomerSchema, input);
  return result.success ? [] : result.issues.map((issue) => `${issue.field}: ${issue.message}`);
}

describe('Contract: Customer', () => {
  it('accepts a full profile and fills defaults for a minimal one', () => {
    // Prepare
    const minimal = { customerId: 'cus_1' };

    // Act
    const full = parseCustomer(aCustomerInput());
    const parsedMinimal = parseCustomer(minimal);

    // Assess
    expect(full.attributes.firstName).toBe('Léa');
    expect(parsedMinimal).toEqual({
      customerId: 'cus_1',
      addresses: {},
      preferences: { channels: [] },
      consent: {},
      attributes: {},
    });
  });

  it.each([
    ['an E.164 French mobile', { sms: '+33612345678' }],
    ['an E.164 US number', { whatsapp: '+14155552671' }],
    ['an email', { email: 'ada.lovelace+news@example.co.uk' }],
    ['an FCM device', { push: [{ kind: 'fcm', token: 'fcm-token-1', platform: 'android' }] }],
    [
      'a Web Push subscription',
      {
        push: [
          {
            kind: 'webpush',
            subscription: { endpoint: 'https://push.example.com/s/1', keys: { p256dh: 'BPk', auth: 'xyz' } },
          },
        ],
      },
    ],
  ])('accepts %s', (_case, addresses) => {
    expect(issuesOf(aCustomerInput({ addresses: addresses as never }))).toEqual([]);
  });

  it.each([
    [
      'a national-format number',
      { sms: '06 12 34 56 78' },
      'addresses.sms: must be a phone number in E.164 form',
    ],
    [
      'E.164 with spaces',
      { sms: '+33 6 12 34 56 78' },
      'addresses.sms: must be a phone number in E.164 form',
    ],
    ['an impossible number', { whatsapp: '+3361234' }, 'addresses.whatsapp: is not a valid phone number'],
    ['a malformed email', { email: 'lea@' }, 'addresses.email: must be an email address'],
    ['a push device of unknown kind', { push: [{ kind: 'apns', token: 'x' }] }, 'addresses.push[0]'],
    [
      'a push list too long',
      { push: Array.from({ length: 11 }, (_, i) => ({ kind: 'fcm', token: `t${i}` })) },
      'addresses.push: must have at most 10',
    ],
    ['an unknown channel address', { fax: '+33612345678' }, 'addresses.fax: is not a known field'],
  ])('rejects %s', (_case, addresses, expected) => {
    expect(
      issuesOf(aCustomerInput({ addresses: addresses as never })).some((issue) => issue.startsWith(expected)),
    ).toBe(true);
  });

  it.each([
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone: must be an IANA time zone name'],
    ['a malformed locale', { locale: 'french!' }, 'locale: must be a BCP 47 language tag'],
    [
      'quiet hours out of range',
      { preferences: { channels: [], quietHours: { start: '25:00', end: '08:00' } } },
      'preferences.quietHours.start: must be a time of day',
    ],
    [
      'a repeated preferred channel',
      { preferences: { channels: ['sms', 'sms'] } },
      'preferences.channels: must not repeat a channel',
    ],
    [
      'an unknown consent status',
      { consent: { marketing: { sms: { status: 'maybe', at: '2026-11-23T10:00:00Z', source: 'api' } } } },
      'consent.marketing.sms.status: must be opted_in, opted_out or unknown',
    ],
    [
      'a consent without a time',
      { consent: { marketing: { email: { status: 'opted_in', source: 'api' } } } },
      'consent.marketing.email.at: is required',
    ],
    [
      'an attribute object',
      { attributes: { tier: { level: 1 } } },
      'attributes.tier: values must be strings',
    ],
  ])('rejects %s', (_case, overrides, expected) => {
    expect(issuesOf(aCustomerInput(overrides as never)).some((issue) => issue.startsWith(expected))).toBe(
      true,
    );
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 6 }), (input) => {
        const result = safeParseWith(CustomerSchema, input);
        expect(result.success || result.issues.length > 0).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});
