/**
 * SendGrid Inbound Parse's `SPF` and `dkim` fields, in the formats SendGrid posts them, and any
 * string at all: the reader never throws and never invents a pass.
 */
import fc from 'fast-check';
import {
  readDkim,
  readEmailAuthentication,
  readVerdict,
} from '../../../functions/adapters/sendgrid/email-authentication';
import { parseSendGridInbound } from '../../../functions/adapters/sendgrid/inbound-parse';
import { inboundEmailFields, multipartBody } from '../../helpers/webhook-requests';

describe('Function: readDkim', () => {
  it('reads one signature as SendGrid renders it', () => {
    // Act
    const signatures = readDkim('{@example.com : pass}');

    // Assess
    expect(signatures).toEqual([{ domain: 'example.com', result: 'pass' }]);
  });

  it('reads several signatures with mixed results and case', () => {
    // Act
    const signatures = readDkim('{@Example.COM : pass, @esp.example : FAIL}');

    // Assess
    expect(signatures).toEqual([
      { domain: 'example.com', result: 'pass' },
      { domain: 'esp.example', result: 'fail' },
    ]);
  });

  it('finds no signature in none, an empty value or braces alone', () => {
    // Act
    const results = ['none', '', '{}', '{@ : pass}'].map((raw) => readDkim(raw));

    // Assess
    expect(results).toEqual([[], [], [], []]);
  });

  it('never throws and never reads a pass that the text does not say', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (raw) => {
        const signatures = readDkim(raw);
        for (const signature of signatures) {
          if (signature.result === 'pass') expect(raw.toLowerCase()).toContain('pass');
          expect(signature.domain).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
        }
      }),
    );
  });
});

describe('Function: readVerdict', () => {
  it('reads the RFC 8601 result words and maps anything else to unknown', () => {
    // Act
    const verdicts = ['pass', 'Fail', 'softfail (reason)', 'none', 'neutral', 'passed', '', 'yes'].map(
      readVerdict,
    );

    // Assess
    expect(verdicts).toEqual([
      'pass',
      'fail',
      'softfail',
      'none',
      'neutral',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  it('never throws on any string', () => {
    fc.assert(fc.property(fc.string(), (raw) => expect(typeof readVerdict(raw)).toBe('string')));
  });
});

describe('Function: readEmailAuthentication', () => {
  it('keeps the header From and envelope domains the verdicts are about', () => {
    // Act
    const auth = readEmailAuthentication({
      spf: 'pass',
      dkim: '{@example.com : pass}',
      headerFrom: 'ada@example.com',
      envelopeFrom: 'bounce@mail.example.com',
    });

    // Assess
    expect(auth).toEqual({
      headerFromDomain: 'example.com',
      envelopeFromDomain: 'mail.example.com',
      spf: 'pass',
      dkim: [{ domain: 'example.com', result: 'pass' }],
    });
  });
});

describe('Function: parseSendGridInbound', () => {
  it('carries the verdicts of an Inbound Parse post on the receipt', async () => {
    // Prepare
    const { body, contentType } = multipartBody(
      inboundEmailFields('ada@example.com', 'YES', { spf: 'softfail', dkim: '{@example.com : pass}' }),
    );

    // Act
    const receipt = await parseSendGridInbound(body, contentType, new Date('2026-12-01T10:00:00Z'));

    // Assess
    expect(receipt.emailAuthentication).toEqual({
      headerFromDomain: 'example.com',
      envelopeFromDomain: 'example.com',
      spf: 'softfail',
      dkim: [{ domain: 'example.com', result: 'pass' }],
    });
  });

  it('still parses the message, with no pass, whatever the SPF and dkim fields hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), async (spf, dkim) => {
        const fields = { ...inboundEmailFields('ada@example.com', 'hello'), SPF: spf, dkim };
        const { body, contentType } = multipartBody(fields);
        const receipt = await parseSendGridInbound(body, contentType, new Date('2026-12-01T10:00:00Z'));
        expect(receipt.text).toBe('hello');
        if (!spf.toLowerCase().includes('pass')) expect(receipt.emailAuthentication?.spf).not.toBe('pass');
      }),
      { numRuns: 50 },
    );
  });
});
