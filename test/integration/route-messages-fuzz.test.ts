/**
 * Hostile input through the real router on DynamoDB Local and fauxqs: random, oversized, deeply
 * nested, wrong-encoding and injection-style bodies. Every one must be answered without an
 * unhandled exception and without a retry, and recorded in the ledger as rejected (or
 * undeliverable, for a well-formed request to nobody) with its reasons.
 */
import fc from 'fast-check';
import type { LedgerMessage } from '../../functions/domain/ledger-model';
import { messageIdFor, rejectedMessageIdFor } from '../../functions/domain/message-id';
import { isolatedResources, testClients } from '../helpers/emulators';
import { anSqsEvent } from '../helpers/factories';
import { routerUnderTest } from '../helpers/router';

jest.setTimeout(120_000);

const INJECTIONS = [
  "'; DROP TABLE messages; --",
  '<script>alert(1)</script>',
  // Log4Shell-style lookup, spelled without a template placeholder.
  '$'.concat('{jndi:ldap://127.0.0.1/a}'),
  '{{7*7}}{% raw %}',
  '../../../../etc/passwd',
  'attribute_exists(pk) OR 1=1',
  '\u0000\u202e\ud800',
];

const hostileBodies = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  // Bytes that are not UTF-8, as a producer with the wrong encoding would send them.
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.integer({ min: 50, max: 5_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 50, max: 2_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc
    .integer({ min: 100_000, max: 250_000 })
    .map((size) => JSON.stringify({ schemaVersion: 1, blob: 'x'.repeat(size) })),
  fc
    .record({
      requestId: fc.constantFrom(...INJECTIONS),
      customerId: fc.constantFrom(...INJECTIONS, 'c-fuzz'),
      text: fc.constantFrom(...INJECTIONS),
    })
    .map(({ requestId, customerId, text }) =>
      JSON.stringify({
        schemaVersion: 1,
        requestId,
        customerId,
        category: 'transactional',
        content: { text },
      }),
    ),
  fc.constant(
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"schemaVersion":1}',
  ),
  fc.constant(JSON.stringify({ kind: 'fallback', messageId: 'msg_x' })),
);

describe('Function: route-messages handler (hostile input)', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());

  it('records every hostile body as rejected with a reason and never throws or retries', async () => {
    // Prepare
    const resources = await isolatedResources();
    const { handler, ledger } = routerUnderTest(resources, clients);

    await fc.assert(
      fc.asyncProperty(hostileBodies, async (body) => {
        // Act
        const response = await handler(anSqsEvent([body]));

        // Assess
        expect(response.batchItemFailures).toEqual([]);
        const recorded = await findRecorded(ledger, body);
        expect(recorded).toBeDefined();
        expect(['rejected', 'undeliverable']).toContain(recorded?.status);
        expect(recorded?.reasons.length).toBeGreaterThan(0);
        expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
  });
});

/** The message the router recorded for a body, under whichever id its rules give it. */
async function findRecorded(
  ledger: { getMessage(customerId: string, messageId: string): Promise<LedgerMessage | undefined> },
  body: string,
): Promise<LedgerMessage | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const ids = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const candidates: [string, string][] = [['', rejectedMessageIdFor(body)]];
  if (typeof ids.customerId === 'string') {
    candidates.push([ids.customerId, rejectedMessageIdFor(body)]);
    if (typeof ids.requestId === 'string') {
      candidates.push([ids.customerId, messageIdFor(ids.customerId, ids.requestId)]);
    }
  }
  for (const [customerId, messageId] of candidates) {
    const found = await ledger.getMessage(customerId, messageId);
    if (found) return found;
  }
  return undefined;
}
