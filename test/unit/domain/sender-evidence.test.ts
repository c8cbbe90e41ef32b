/**
 * The sender-evidence rule: an email's opt-in counts only with a DMARC-aligned SPF or DKIM pass
 * (relaxed alignment on the organisational domain); opt-outs count on any evidence.
 */
import fc from 'fast-check';
import {
  emailSenderEvidence,
  evidenceAllowsConsent,
  organisationalDomain,
  senderEvidence,
} from '../../../functions/domain/sender-evidence';
import type { EmailAuthentication, InboundReceipt } from '../../../functions/domain/webhook-inputs';

const auth = (overrides: Partial<EmailAuthentication> = {}): EmailAuthentication => ({
  headerFromDomain: 'example.co.uk',
  envelopeFromDomain: 'example.co.uk',
  spf: 'fail',
  dkim: [],
  ...overrides,
});

describe('Function: organisationalDomain', () => {
  it('takes the public suffix plus one label, private suffixes included', () => {
    // Act
    const domains = [
      'mail.example.co.uk',
      'EXAMPLE.com.',
      'alice.github.io',
      'co.uk',
      '192.0.2.1',
      '',
      'a..b',
    ].map(organisationalDomain);

    // Assess
    expect(domains).toEqual([
      'example.co.uk',
      'example.com',
      'alice.github.io',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('never throws on any string', () => {
    fc.assert(fc.property(fc.string(), (host) => expect(() => organisationalDomain(host)).not.toThrow()));
  });
});

describe('Function: emailSenderEvidence', () => {
  it('verifies a DKIM pass for a subdomain of the From domain (relaxed alignment)', () => {
    // Act
    const evidence = emailSenderEvidence(
      'ada@example.co.uk',
      auth({ dkim: [{ domain: 'mail.example.co.uk', result: 'pass' }] }),
    );

    // Assess
    expect(evidence).toEqual({ verified: true, basis: 'dkim pass for mail.example.co.uk' });
  });

  it('verifies an SPF pass for an envelope domain of the same organisation', () => {
    // Act
    const evidence = emailSenderEvidence(
      'ada@example.co.uk',
      auth({ spf: 'pass', envelopeFromDomain: 'bounces.example.co.uk' }),
    );

    // Assess
    expect(evidence.verified).toBe(true);
  });

  it('rejects passes for another organisation, even under the same public suffix', () => {
    // Act
    const evidence = [
      emailSenderEvidence(
        'ada@example.co.uk',
        auth({ dkim: [{ domain: 'attacker.co.uk', result: 'pass' }] }),
      ),
      emailSenderEvidence('ada@example.co.uk', auth({ spf: 'pass', envelopeFromDomain: 'co.uk' })),
      emailSenderEvidence(
        'ada@alice.github.io',
        auth({
          headerFromDomain: 'alice.github.io',
          dkim: [{ domain: 'mallory.github.io', result: 'pass' }],
        }),
      ),
    ];

    // Assess
    expect(evidence.map((e) => e.verified)).toEqual([false, false, false]);
  });

  it('rejects an aligned signature that did not pass, and a missing result', () => {
    // Act
    const failed = emailSenderEvidence(
      'ada@example.co.uk',
      auth({ spf: 'softfail', dkim: [{ domain: 'example.co.uk', result: 'fail' }] }),
    );
    const missing = emailSenderEvidence('ada@example.co.uk', undefined);

    // Assess
    expect(failed).toEqual({
      verified: false,
      reason: 'no aligned pass (spf softfail; dkim example.co.uk fail)',
    });
    expect(missing).toEqual({ verified: false, reason: 'no SPF or DKIM results' });
  });

  it('rejects a pass for the header From when the customer address is of another organisation', () => {
    // Act
    const evidence = emailSenderEvidence(
      'victim@example.com',
      auth({ headerFromDomain: 'attacker.example', dkim: [{ domain: 'attacker.example', result: 'pass' }] }),
    );

    // Assess
    expect(evidence.verified).toBe(false);
  });
});

describe('Function: senderEvidence', () => {
  const receipt = (channel: InboundReceipt['channel']): InboundReceipt => ({
    provider: channel === 'email' ? 'sendgrid' : 'twilio',
    channel,
    from: channel === 'email' ? 'ada@example.com' : '+33612345678',
    to: 'us',
    text: 'YES',
    replyText: 'YES',
    media: [],
    receivedAt: '2026-12-01T10:00:00Z',
    providerMessageId: 'm1',
    eventId: 'e1',
  });

  it('trusts the signed provider webhook for SMS and asks email for its own proof', () => {
    // Act
    const sms = senderEvidence(receipt('sms'));
    const email = senderEvidence(receipt('email'));

    // Assess
    expect(sms.verified).toBe(true);
    expect(email.verified).toBe(false);
  });
});

describe('Function: evidenceAllowsConsent', () => {
  it('lets an unverified sender opt out but never opt in', () => {
    // Prepare
    const unverified = { verified: false, reason: 'no SPF or DKIM results' } as const;

    // Act
    const outcomes = [
      evidenceAllowsConsent(unverified, 'opted_out'),
      evidenceAllowsConsent(unverified, 'opted_in'),
      evidenceAllowsConsent({ verified: true, basis: 'x' }, 'opted_in'),
    ];

    // Assess
    expect(outcomes).toEqual([true, false, true]);
  });
});
