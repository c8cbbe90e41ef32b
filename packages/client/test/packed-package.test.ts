/**
 * The package as a user gets it: `npm pack` (which builds it), the tarball installed into a scratch
 * project outside the repository, and that project publishing through it, once with `require` and
 * once with `import`, to an outbound queue on the emulators. A type check of the same project proves
 * the declarations resolve for both module systems and accept the caller's own SQSClient.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { localClientConfig } from '../../../local/emulators';
import { isolatedResources, testClients, testEndpoints } from '../../../test/helpers/emulators';
import { aMessageRequest } from '../../../test/helpers/factories';

// One pack (with the build) and one install from the npm cache: well under a minute, but not seconds.
jest.setTimeout(240_000);

const run = promisify(execFile);
const PACKAGE_DIR = join(__dirname, '..');
const TSC = join(__dirname, '..', '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

/** The scratch project's two consumers: the same steps, one CommonJS, one ES module. */
const CONSUMER_BODY = `
async function main() {
  const { clientConfig, queueUrl, request } = JSON.parse(process.env.SCRATCH_INPUT);
  const client = new SQSClient(clientConfig);
  let refusedInvalid = false;
  try {
    await publishMessage({ ...request, customerId: 'has spaces' }, { queueUrl, client });
  } catch (error) {
    refusedInvalid = error instanceof ContractValidationError;
  }
  const sqsMessageId = await publishMessage(request, { queueUrl, client });
  client.destroy();
  process.stdout.write(JSON.stringify({ sqsMessageId, refusedInvalid }));
}
main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exitCode = 1;
});
`;
const CONSUMERS = {
  'publish.cjs': `const { SQSClient } = require('@aws-sdk/client-sqs');
const { ContractValidationError, publishMessage } = require('@switchboard/client');
${CONSUMER_BODY}`,
  'publish.mjs': `import { SQSClient } from '@aws-sdk/client-sqs';
import { ContractValidationError, publishMessage } from '@switchboard/client';
${CONSUMER_BODY}`,
};

/** Typed use of the package from both module systems, checked by tsc with Node's own resolution. */
const TYPED_CONSUMER = `import { SQSClient } from '@aws-sdk/client-sqs';
import { type MessageRequestInput, publishMessage, sigV4Signer, SwitchboardApiClient } from '@switchboard/client';
const request: MessageRequestInput = { schemaVersion: 1, requestId: 'r-1', customerId: 'c-1', category: 'transactional', content: { text: 'Hi' } };
export const sent: Promise<string> = publishMessage(request, { queueUrl: 'https://example.invalid/q', client: new SQSClient({}) });
export const api = new SwitchboardApiClient({ baseUrl: 'https://example.invalid/', sign: sigV4Signer({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' } }) });
`;

describe('Package: @switchboard/client, packed and installed', () => {
  const clients = testClients();
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'switchboard-client-pack-'));
    await run('npm', ['pack', '--pack-destination', scratch], { cwd: PACKAGE_DIR });
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${scratch}`);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
    await run('npm', ['install', `./${tarball}`, '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: scratch,
    });
    for (const [name, source] of Object.entries(CONSUMERS)) writeFileSync(join(scratch, name), source);
  });
  afterAll(() => {
    clients.destroy();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it.each(Object.keys(CONSUMERS))('publishes to the outbound queue from %s', async (consumer) => {
    // Prepare
    const endpoints = testEndpoints();
    const { queues } = await isolatedResources(endpoints);
    const request = aMessageRequest({ requestId: `packed-${consumer}` });
    const input = {
      clientConfig: localClientConfig(endpoints, endpoints.sqsEndpoint),
      queueUrl: queues.outbound,
      request,
    };

    // Act
    const { stdout } = await run(process.execPath, [consumer], {
      cwd: scratch,
      env: { ...process.env, SCRATCH_INPUT: JSON.stringify(input) },
    });

    // Assess
    const result = JSON.parse(stdout) as { sqsMessageId: string; refusedInvalid: boolean };
    expect(result.refusedInvalid).toBe(true);
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queues.outbound, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(received.Messages?.map((message) => message.MessageId)).toEqual([result.sqsMessageId]);
    expect(JSON.parse(received.Messages?.[0]?.Body ?? '')).toEqual(request);
  });

  it('has declarations that type-check from both require and import', async () => {
    // Prepare
    writeFileSync(join(scratch, 'typed.cts'), TYPED_CONSUMER);
    writeFileSync(join(scratch, 'typed.mts'), TYPED_CONSUMER);
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', strict: true, noEmit: true, types: [], skipLibCheck: true },
        files: ['typed.cts', 'typed.mts'],
      }),
    );

    // Act
    const checking = run(process.execPath, [TSC, '-p', scratch], { cwd: scratch });

    // Assess
    await expect(checking).resolves.toMatchObject({ stdout: '' });
  });
});
