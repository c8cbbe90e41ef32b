import fc from 'fast-check';
import {
  ContractValidationError,
  MAX_REQUEST_BYTES,
  parseMessageRequest,
  safeParseMessageRequest,
} from '../../../functions/contract';
import { aMessageRequest, aTemplatedMessageRequest } from '../../helpers/factories';

/** The field issues of a request, as `field: message` strings. */
function issuesOf(input: unknown): string[] {
  const result = safeParseMessageRequest(input);
  return result.success ? [] : result.issues.map((issue) => `${issue.field}: ${issue.message}`);
}

describe('Contract: MessageRequest', () => {
  it('accepts a request with literal content and applies routing defaults, leaving the strategy to the category default', () => {
    // Prepare
    const input = aMessageRequest({ routing: { channels: ['sms'] } });

    // Act
    const request = parseMessageRequest(input);

    // Assess
    expect(request.routing).toEqual({ channels: ['sms'], fallback: true });
  });

  it('accepts the learned strategy', () => {
    // Prepare
    const input = aMessageRequest({ routing: { strategy: 'learned' } });

    // Act
    const request = parseMessageRequest(input);

    // Assess
    expect(request.routing).toEqual({ strategy: 'learned', fallback: true });
  });

  it('rejects an unknown strategy, naming the three it takes', () => {
    // Prepare
    const input = aMessageRequest({ routing: { strategy: 'cheapest' as never } });

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues.join('\n')).toMatch(/routing\.strategy: must be "preferred".*"all".*"learned"/);
  });

  it('accepts a request that opts out of link tracking', () => {
    // Act
    const request = parseMessageRequest(aMessageRequest({ tracking: { links: false } }));

    // Assess
    expect(request.tracking).toEqual({ links: false });
  });

  it.each([
    [{ links: 'no' }, 'tracking.links: must be true or false'],
    [{ clicks: false }, 'tracking.clicks: is not a known field'],
  ])('rejects tracking %j', (tracking, issue) => {
    // Act
    const issues = issuesOf(aMessageRequest({ tracking: tracking as never }));

    // Assess
    expect(issues).toEqual([issue]);
  });

  it('accepts a request that names a template with data', () => {
    expect(issuesOf(aTemplatedMessageRequest())).toEqual([]);
  });

  it.each([
    ['schemaVersion', { schemaVersion: 2 }, 'schemaVersion: must be 1'],
    ['requestId missing', { requestId: undefined }, 'requestId: is required'],
    ['requestId empty', { requestId: '' }, 'requestId: must be 1 to 128 characters'],
    ['requestId too long', { requestId: 'x'.repeat(129) }, 'requestId: must be 1 to 128 characters'],
    ['requestId unsafe', { requestId: 'a b/c' }, 'requestId: must be 1 to 128 characters'],
    ['customerId missing', { customerId: undefined }, 'customerId: is required'],
    ['customerId unsafe', { customerId: 'cus#1' }, 'customerId: must be 1 to 128 characters'],
    [
      'category upper case',
      { category: 'Marketing' },
      'category: must be "transactional", "marketing" or your own',
    ],
    ['category number', { category: 7 }, 'category: must be a string'],
    [
      'template bad name',
      { template: '../etc/passwd', content: undefined },
      'template: must be 1 to 128 characters',
    ],
    ['sendAt not ISO', { sendAt: 'tomorrow' }, 'sendAt: must be an ISO 8601 date-time'],
    ['sendAt without zone', { sendAt: '2026-11-23T10:00:00' }, 'sendAt: must be an ISO 8601 date-time'],
    ['expiresAt not ISO', { expiresAt: '23/11/2026' }, 'expiresAt: must be an ISO 8601 date-time'],
    [
      'expiresAt before sendAt',
      { sendAt: '2026-11-23T10:00:00Z', expiresAt: '2026-11-23T09:00:00Z' },
      'expiresAt: must be after sendAt',
    ],
    ['unknown field', { cutomerId: 'x' }, 'cutomerId: is not a known field'],
    [
      'metadata not a map',
      { metadata: 'campaign' },
      'metadata: must be an object of string keys to string values',
    ],
    ['metadata number value', { metadata: { campaign: 5 } }, 'metadata.campaign: values must be strings'],
    [
      'metadata long value',
      { metadata: { campaign: 'x'.repeat(257) } },
      'metadata.campaign: values must be at most 256',
    ],
    [
      'metadata too many keys',
      { metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) },
      'metadata: must have at most 20 keys',
    ],
    [
      'metadata bad key',
      { metadata: { 'bad key': 'v' } },
      'metadata.bad key: keys must be 1 to 64 characters',
    ],
    [
      'neither template nor content',
      { content: undefined },
      'template: a request needs a template or content',
    ],
    [
      'both template and content',
      { template: 'order-thank-you' },
      'content: give either a template or content, not both',
    ],
    ['data without template', { data: { a: 1 } }, 'data: is only used with a template'],
  ])('rejects %s', (_case, overrides, expected) => {
    // Prepare
    const input = { ...aMessageRequest(), ...overrides };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues.some((issue) => issue.startsWith(expected))).toBe(true);
  });

  it.each([
    ['content without a body', { content: { subject: 'Hi' } }, 'content: must have a text or an html body'],
    ['content text empty', { content: { text: '' } }, 'content.text: must not be empty'],
    ['content text too long', { content: { text: 'x'.repeat(1601) } }, 'content.text: must be at most 1600'],
    [
      'content subject too long',
      { content: { text: 'a', subject: 's'.repeat(999) } },
      'content.subject: must be at most 998',
    ],
    [
      'content html too long',
      { content: { html: 'h'.repeat(49_153) } },
      'content.html: must be at most 49152',
    ],
    [
      'content title too long',
      { content: { text: 'a', title: 't'.repeat(257) } },
      'content.title: must be at most 256',
    ],
    [
      'content url not http',
      { content: { text: 'a', url: 'javascript:alert(1)' } },
      'content.url: must be an http or https URL',
    ],
    ['content unknown field', { content: { text: 'a', body: 'b' } }, 'content.body: is not a known field'],
    ['content not an object', { content: 'hello' }, 'content: must be an object'],
  ])('rejects %s', (_case, overrides, expected) => {
    expect(issuesOf({ ...aMessageRequest(), ...overrides }).some((issue) => issue.startsWith(expected))).toBe(
      true,
    );
  });

  it.each([
    ['strategy', { strategy: 'cheapest' }, 'routing.strategy: must be "preferred"'],
    ['channels empty', { channels: [] }, 'routing.channels: must name at least one channel'],
    [
      'channels unknown',
      { channels: ['fax'] },
      'routing.channels[0]: must be one of sms, whatsapp, email, push',
    ],
    ['channels repeated', { channels: ['sms', 'sms'] }, 'routing.channels: must not repeat a channel'],
    ['fallback not boolean', { fallback: 'yes' }, 'routing.fallback: must be true or false'],
    [
      'receipt timeout too short',
      { receiptTimeoutSeconds: 5 },
      'routing.receiptTimeoutSeconds: must be at least 30',
    ],
    [
      'receipt timeout too long',
      { receiptTimeoutSeconds: 700_000 },
      'routing.receiptTimeoutSeconds: must be at most',
    ],
    [
      'receipt timeout fractional',
      { receiptTimeoutSeconds: 60.5 },
      'routing.receiptTimeoutSeconds: must be a whole number',
    ],
    ['unknown field', { retries: 3 }, 'routing.retries: is not a known field'],
  ])('rejects routing with %s', (_case, routing, expected) => {
    expect(issuesOf({ ...aMessageRequest(), routing }).some((issue) => issue.startsWith(expected))).toBe(
      true,
    );
  });

  it.each([
    ['requestId with every safe character', { requestId: 'Ab9_.:@-' }],
    ['a custom category', { category: 'order-updates' }],
    ['sendAt with an offset', { sendAt: '2026-11-23T10:00:00+01:00' }],
    ['sendAt and a later expiresAt', { sendAt: '2026-11-23T10:00:00Z', expiresAt: '2026-11-24T10:00:00Z' }],
    [
      'metadata of 20 keys',
      { metadata: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'])) },
    ],
    ['html only', { content: { html: '<p>Hello</p>' } }],
    [
      'all routing options',
      {
        routing: {
          strategy: 'all',
          channels: ['email', 'push'],
          fallback: false,
          receiptTimeoutSeconds: 300,
        },
      },
    ],
  ])('accepts %s', (_case, overrides) => {
    expect(issuesOf({ ...aMessageRequest(), ...overrides })).toEqual([]);
  });

  it('rejects a request larger than the size limit, so no SQS message downstream can overflow', () => {
    // Prepare
    const input = aTemplatedMessageRequest({ data: { blob: 'x'.repeat(MAX_REQUEST_BYTES) } });

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      expect.stringMatching(/^\(request\): the request is \d+ bytes as JSON; the limit is 65536$/),
    ]);
  });

  it('reports every bad field at once, not just the first', () => {
    expect(issuesOf({ schemaVersion: 1, category: 'marketing' })).toEqual(
      expect.arrayContaining(['requestId: is required', 'customerId: is required']),
    );
  });

  it('throws a ContractValidationError that names the fields', () => {
    expect(() => parseMessageRequest({ ...aMessageRequest(), requestId: '' })).toThrow(
      expect.objectContaining({
        name: 'ContractValidationError',
        issues: [expect.objectContaining({ field: 'requestId' })],
      }),
    );
    expect(() => parseMessageRequest(null)).toThrow(ContractValidationError);
  });

  it('never throws on random input: every input is either valid or a list of field issues', () => {
    fc.assert(
      fc.property(
        fc.anything({ maxDepth: 6, withNullPrototype: true, withBigInt: true, withDate: true }),
        (input) => {
          const result = safeParseMessageRequest(input);
          expect(result.success || result.issues.length > 0).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('never throws on malformed requests built from valid ones with random field values', () => {
    const fields = [
      'schemaVersion',
      'requestId',
      'customerId',
      'category',
      'template',
      'data',
      'content',
      'routing',
      'sendAt',
      'expiresAt',
      'metadata',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        fc.oneof(
          fc.anything({ maxDepth: 4 }),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.object({ maxDepth: 5 }),
        ),
        (field, value) => {
          const result = safeParseMessageRequest({ ...aMessageRequest(), [field]: value });
          if (!result.success) {
            for (const issue of result.issues) {
              expect(typeof issue.field).toBe('string');
              expect(issue.message.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
