import type { ConsentRecord, Customer } from '../../../../functions/contract';
import {
  appendConsentHistory,
  CONSENT_HISTORY_LIMIT,
  channelWideCategories,
  consentDecisionWins,
  consentProblem,
  mergeConsent,
} from '../../../../functions/domain/consent/consent-rules';
import { aCustomer } from '../../../helpers/factories';

const decision = (status: ConsentRecord['status'], at: string, source = 'api'): ConsentRecord => ({
  status,
  at,
  source,
});
const MORNING = '2026-03-02T09:00:00.000Z';
const NOON = '2026-03-02T12:00:00.000Z';

describe('Function: consentDecisionWins', () => {
  it.each([
    ['a first decision', undefined, decision('opted_in', NOON), true],
    ['a newer opposite decision', decision('opted_in', MORNING), decision('opted_out', NOON), true],
    [
      'an older opposite decision arriving late',
      decision('opted_out', NOON),
      decision('opted_in', MORNING),
      false,
    ],
    [
      'a repeat of the same status, even newer',
      decision('opted_out', MORNING),
      decision('opted_out', NOON),
      false,
    ],
    [
      'an opt-out tied with an opt-in',
      decision('opted_in', NOON),
      decision('opted_out', NOON, 'sms-keyword'),
      true,
    ],
    ['an opt-in tied with an opt-out', decision('opted_out', NOON), decision('opted_in', NOON), false],
    [
      'the same instant written with another offset',
      decision('opted_out', NOON),
      decision('opted_in', '2026-03-02T13:00:00+01:00'),
      false,
    ],
  ])('answers %s with %s', (_name, current, incoming, wins) => {
    // Act
    const answer = consentDecisionWins(current, incoming);

    // Assess
    expect(answer).toBe(wins);
  });
});

describe('Function: appendConsentHistory', () => {
  it('keeps the newest entries up to the limit, oldest first', () => {
    // Prepare
    const history = Array.from({ length: CONSENT_HISTORY_LIMIT }, (_, index) => index);

    // Act
    const appended = appendConsentHistory(history, [CONSENT_HISTORY_LIMIT, CONSENT_HISTORY_LIMIT + 1]);

    // Assess
    expect(appended).toHaveLength(CONSENT_HISTORY_LIMIT);
    expect(appended[0]).toBe(2);
    expect(appended.at(-1)).toBe(CONSENT_HISTORY_LIMIT + 1);
  });

  it('appends everything while under the limit', () => {
    // Act
    const appended = appendConsentHistory([1], [2, 3]);

    // Assess
    expect(appended).toEqual([1, 2, 3]);
  });
});

describe('Function: consentProblem', () => {
  const withConsent = (consent: Customer['consent']): Customer => aCustomer({ consent });

  it.each([
    ['transactional without any record', {}, 'transactional', undefined],
    [
      'transactional after an opt-out',
      { transactional: { sms: decision('opted_out', NOON) } },
      'transactional',
      'opted out of transactional',
    ],
    ['marketing without an opt-in', {}, 'marketing', 'no opt-in for marketing'],
    ['marketing with an opt-in', { marketing: { sms: decision('opted_in', NOON) } }, 'marketing', undefined],
    [
      'marketing opted in on another channel only',
      { marketing: { email: decision('opted_in', NOON) } },
      'marketing',
      'no opt-in for marketing',
    ],
    [
      'marketing after an opt-out',
      { marketing: { sms: decision('opted_out', NOON) } },
      'marketing',
      'opted out of marketing',
    ],
  ] as const)('answers %s on sms', (_name, consent, category, problem) => {
    // Act
    const answer = consentProblem(withConsent(consent as Customer['consent']), category, 'sms');

    // Assess
    expect(answer).toBe(problem);
  });
});

describe('Function: channelWideCategories', () => {
  it('covers the built-in categories and every category the customer has a record for', () => {
    // Prepare
    const customer = aCustomer({ consent: { news: { email: decision('opted_in', NOON) } } });

    // Act
    const categories = channelWideCategories(customer, 'sms');

    // Assess
    expect(categories.sort()).toEqual(['marketing', 'news', 'transactional']);
  });
});

describe('Function: mergeConsent', () => {
  it('keeps a newer stored opt-out over a stale incoming opt-in', () => {
    // Prepare
    const stored = { marketing: { sms: decision('opted_out', NOON, 'sms-keyword') } };
    const incoming = { marketing: { sms: decision('opted_in', MORNING) } };

    // Act
    const merged = mergeConsent(stored, incoming);

    // Assess
    expect(merged).toEqual(stored);
  });

  it('takes a newer incoming decision and keeps decisions only one side has', () => {
    // Prepare
    const stored = {
      marketing: { sms: decision('opted_out', MORNING), email: decision('opted_in', MORNING) },
    };
    const incoming = {
      marketing: { sms: decision('opted_in', NOON) },
      news: { push: decision('opted_in', NOON) },
    };

    // Act
    const merged = mergeConsent(stored, incoming);

    // Assess
    expect(merged).toEqual({
      marketing: { sms: decision('opted_in', NOON), email: decision('opted_in', MORNING) },
      news: { push: decision('opted_in', NOON) },
    });
  });
});
