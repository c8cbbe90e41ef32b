/**
 * The CLI against a deployed stack, on this machine: the `/v1` calls go through a stand-in for API
 * Gateway's IAM authorisation that recomputes every SigV4 signature (test/helpers/sigv4-gateway.ts)
 * and forwards to the real api handler on the emulators; `inbound` posts to the webhook URLs of the
 * stack outputs, signed with the credentials given; `dlq` finds each DLQ from the queue URLs of the
 * outputs (fauxqs, through the SDK's AWS_ENDPOINT_URL_SQS). Same code paths as against AWS.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { localInboundParseSecret } from '../../../local/inbound-secret';
import { type LocalRuntime, startLocalRuntime } from '../../../local/runtime';
import { runCli } from '../../helpers/cli';
import { isolatedResources, testClients, testEndpoints } from '../../helpers/emulators';
import { eventually } from '../../helpers/eventually';
import { type SigV4Gateway, startSigV4Gateway } from '../../helpers/sigv4-gateway';

jest.setTimeout(90_000);

const REPO = join(__dirname, '..', '..', '..');
const CREDENTIALS = { accessKeyId: 'AKIASWITCHBOARDTEST1', secretAccessKey: 'switchboard-test-secret-key' };
const ENV_KEYS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_ENDPOINT_URL_SQS',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_ACCOUNT_SID',
  'SENDGRID_INBOUND_PARSE_TOKEN',
  'SWITCHBOARD_STACK_OUTPUTS',
] as const;

describe('Function: switchboard CLI against a deployed stack (remote mode)', () => {
  const clients = testClients();
  const endpoints = testEndpoints();
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};
  let runtime: LocalRuntime;
  let gateway: SigV4Gateway;
  let dir: string;
  let outputsFile: string;
  /** Every command names the stack by its outputs file, as after `cdk deploy --outputs-file`. */
  const cli = (...args: string[]) =>
    runCli([...args, '--outputs', outputsFile, '--region', endpoints.region]);

  beforeAll(async () => {
    for (const key of ENV_KEYS) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
    dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-remote-'));
    runtime = await startLocalRuntime({
      rootDir: dir,
      handlersDir: join(REPO, 'functions', 'handlers'),
      emulators: { ...testEndpoints(), ...(await isolatedResources()) },
      waitTimeSeconds: 1,
      realChannels: new Set(),
      sandbox: { firstCallbackMs: 5, callbackStepMs: 5 },
      log: () => {},
    });
    // The caller's AWS credentials, found by the SDK's default chain as on a developer's machine. Set
    // after the start: the runtime sets its handlers' local ones in this same process (the emulators
    // accept any).
    process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
    process.env.AWS_ENDPOINT_URL_SQS = endpoints.sqsEndpoint;
    gateway = await startSigV4Gateway({
      upstream: runtime.localJson.httpUrl,
      region: endpoints.region,
      credentials: CREDENTIALS,
    });
    outputsFile = join(dir, 'cdk-outputs.json');
    // Shaped like `cdk deploy --all --outputs-file`: one object per stack. In AWS the webhooks are
    // served apart from the API (Lambda function URLs), so they get their own URLs here too.
    writeFileSync(
      outputsFile,
      JSON.stringify({
        'Switchboard-dev-Data': { OutboundQueueUrl: runtime.localJson.queues.outbound },
        'Switchboard-dev-Services': {
          ApiUrl: gateway.url,
          TwilioInboundWebhookUrl: `${runtime.localJson.httpUrl}/webhooks/twilio/inbound`,
          SendGridInboundWebhookUrl: `${runtime.localJson.httpUrl}/webhooks/sendgrid/inbound`,
        },
      }),
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await runtime?.stop();
    clients.destroy();
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('puts, gets, sends and reads the timeline through SigV4-signed calls', async () => {
    // Act
    const put = await cli(
      'customers',
      'put',
      'rm-ada',
      '--sms',
      '+14155550141',
      '--email',
      'ada@example.com',
    );
    const got = await cli('customers', 'get', 'rm-ada');
    const sent = await cli('send', '--customer', 'rm-ada', '--text', 'Signed and delivered');
    const timeline = await eventually(
      () => cli('timeline', 'rm-ada'),
      (run) => run.out.includes('[SMS] delivered'),
      { what: 'the delivered status on the timeline' },
    );

    // Assess
    expect([put.code, got.code, sent.code, timeline.code]).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(got.out).addresses).toEqual({ sms: '+14155550141', email: 'ada@example.com' });
    expect(sent.out).toMatch(/^accepted: message msg_/);
    expect(gateway.rejected).toEqual([]);
    expect(gateway.forwarded).toEqual(
      expect.arrayContaining([
        'PUT /v1/customers/rm-ada',
        'GET /v1/customers/rm-ada',
        'POST /v1/messages',
        'GET /v1/customers/rm-ada/timeline',
      ]),
    );
  });

  it('imports a CSV and erases a customer with --api-url and --region instead of the outputs', async () => {
    // Prepare
    const file = join(dir, 'remote.csv');
    writeFileSync(file, 'customerId,sms\nrm-imp-1,+14155550151\nrm-imp-2,not-a-number\n');
    const direct = (...args: string[]) =>
      runCli([...args, '--api-url', gateway.url, '--region', endpoints.region]);

    // Act
    const imported = await direct('customers', 'import', file, '--quiet');
    const erased = await direct('customers', 'erase', 'rm-imp-1');
    const after = await direct('customers', 'get', 'rm-imp-1');

    // Assess
    expect(imported).toMatchObject({ code: 1, out: 'imported 1 of 2 rows' });
    expect(imported.err).toMatch(/^ {2}row 3: addresses\.sms: /);
    expect(erased.code).toBe(0);
    expect(after).toMatchObject({ code: 1, err: 'customer rm-imp-1 not found' });
    expect(gateway.forwarded).toEqual(
      expect.arrayContaining(['PUT /v1/customers/rm-imp-1', 'DELETE /v1/customers/rm-imp-1']),
    );
  });

  it('is refused by the gateway when signed with the wrong secret, and exits 1', async () => {
    // Prepare
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret';

    // Act
    const run = await cli('customers', 'get', 'rm-ada');
    process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;

    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/403: The request signature we calculated does not match/);
    expect(gateway.rejected).toContainEqual({
      request: 'GET /v1/customers/rm-ada',
      reason: 'The request signature we calculated does not match the signature you provided',
    });
  });

  it('refuses an unsigned request (the gateway really checks)', async () => {
    // Act
    const response = await fetch(`${gateway.url}/v1/customers/rm-ada`);

    // Assess
    expect(response.status).toBe(403);
  });

  it('sends a signed inbound STOP to the Twilio webhook of the outputs with the given auth token', async () => {
    // Prepare
    await cli('customers', 'put', 'rm-cem', '--sms', '+14155550142');
    process.env.TWILIO_AUTH_TOKEN = runtime.localJson.sandbox.twilioAuthToken;

    // Act
    const run = await cli('inbound', '--channel', 'sms', '--from', '+14155550142', '--text', 'STOP');
    delete process.env.TWILIO_AUTH_TOKEN;

    // Assess
    expect(run).toMatchObject({ code: 0, err: '' });
    const customer = JSON.parse((await cli('customers', 'get', 'rm-cem')).out);
    expect(customer.consent.marketing.sms.status).toBe('opted_out');
  });

  it('sends an inbound email to the SendGrid webhook of the outputs with the Inbound Parse token', async () => {
    // Act
    const run = await cli(
      'inbound',
      '--channel',
      'email',
      '--from',
      'ada@example.com',
      '--text',
      'Thanks!',
      '--inbound-parse-token',
      localInboundParseSecret(runtime.localJson.sandbox.twilioAuthToken),
    );
    const wrong = await cli(
      'inbound',
      '--channel',
      'email',
      '--from',
      'ada@example.com',
      '--text',
      'Thanks!',
      '--inbound-parse-token',
      'wrong',
    );

    // Assess
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/the webhook answered 40\d/);
  });

  it.each([
    [
      ['inbound', '--channel', 'sms', '--from', '+14155550142', '--text', 'hi'],
      /needs the account's auth token: --twilio-auth-token or TWILIO_AUTH_TOKEN/,
    ],
    [
      ['inbound', '--channel', 'email', '--from', 'a@example.com', '--text', 'hi'],
      /--inbound-parse-token or SENDGRID_INBOUND_PARSE_TOKEN/,
    ],
    [['dlq', 'redrive', 'sms'], /SmsQueueUrl.*--queue-url sms=URL/],
  ])('exits 1 with a clear error when a setting is missing: %j', async (args, message) => {
    // Act
    const run = await cli(...args);

    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toMatch(message);
  });

  it('lists and redrives dead letters of the queues named by the outputs, each DLQ from its redrive policy', async () => {
    // Prepare: queues no handler consumes, so the redriven messages stay where the CLI put them.
    const quiet = await isolatedResources();
    const file = join(dir, 'quiet-outputs.json');
    writeFileSync(
      file,
      JSON.stringify({ 'Switchboard-dev-Data': { OutboundQueueUrl: quiet.queues.outbound } }),
    );
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: quiet.queues.outboundDlq, MessageBody: '{"dead":"outbound"}' }),
    );
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: quiet.queues.smsDlq, MessageBody: '{"dead":"sms"}' }),
    );
    const dlq = (...args: string[]) =>
      runCli(['dlq', ...args, '--outputs', file, '--region', endpoints.region]);

    // Act
    const listed = await dlq('list', '--queue-url', `sms=${quiet.queues.sms}`);
    const listedWithoutSms = await dlq('list');
    const redriven = await dlq('redrive', 'outbound');
    const after = await dlq('list', 'outbound');

    // Assess
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/outbound: 1 dead letter\n {2}\S+ received \d+x {2}\{"dead":"outbound"\}/);
    expect(listed.out).toMatch(/sms: 1 dead letter\n {2}\S+ received \d+x {2}\{"dead":"sms"\}/);
    expect(listedWithoutSms.out).not.toMatch(/sms:/);
    expect(listedWithoutSms.err).toMatch(/not listed: sms, whatsapp, email, push, receipts/);
    expect(redriven).toMatchObject({ code: 0, out: 'outbound: moved 1 back' });
    expect(after.out).toBe('outbound: 0 dead letters');
  });
});
