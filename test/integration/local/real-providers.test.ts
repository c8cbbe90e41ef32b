/**
 * Real-provider mode of the local runtime: with Twilio and SendGrid credentials in the environment
 * (and their API base URLs pointed at Prism mocks of the providers' own OpenAPI descriptions, behind
 * a recording proxy), the runtime selects the real adapters for SMS and email — the sends reach the
 * mocks, and the sandbox sees nothing — while push, without credentials, stays on the sandbox.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialsEnv, SendGridEnv, TwilioEnv } from '../../../functions/config';
import type { DeliveryStats } from '../../../local/delivery-stats';
import { type LocalRuntime, startLocalRuntime } from '../../../local/runtime';
import { TEST_TWILIO_CREDENTIALS } from '../../helpers/channel-messages';
import { runCli } from '../../helpers/cli';
import { isolatedResources, testEndpoints } from '../../helpers/emulators';
import { eventually } from '../../helpers/eventually';
import { contractPath, type PrismMock, ProviderContract, startPrism } from '../../helpers/prism';
import { type RecordingProxy, startRecordingProxy } from '../../helpers/recording-proxy';

jest.setTimeout(120_000);

const REPO = join(__dirname, '..', '..', '..');

describe('Function: startLocalRuntime with provider credentials', () => {
  const env: Record<string, string> = {};
  const saved: Record<string, string | undefined> = {};
  const mocks: { prism: PrismMock; proxy: RecordingProxy }[] = [];
  let twilio: RecordingProxy;
  let sendgrid: RecordingProxy;
  let runtime: LocalRuntime;
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--dir', dir]);

  beforeAll(async () => {
    const [twilioPrism, sendgridPrism] = await Promise.all([
      startPrism(contractPath(ProviderContract.TWILIO)),
      startPrism(contractPath(ProviderContract.SENDGRID)),
    ]);
    twilio = await startRecordingProxy(twilioPrism.url);
    sendgrid = await startRecordingProxy(sendgridPrism.url);
    mocks.push({ prism: twilioPrism, proxy: twilio }, { prism: sendgridPrism, proxy: sendgrid });
    Object.assign(env, {
      [CredentialsEnv.TWILIO_ACCOUNT_SID]: TEST_TWILIO_CREDENTIALS.accountSid,
      [CredentialsEnv.TWILIO_AUTH_TOKEN]: TEST_TWILIO_CREDENTIALS.authToken,
      [TwilioEnv.SMS_FROM]: '+14155550100',
      [TwilioEnv.API_BASE_URL]: twilio.url,
      [CredentialsEnv.SENDGRID_API_KEY]: 'SG.test-key',
      [SendGridEnv.FROM_EMAIL]: 'shop@example.com',
      [SendGridEnv.API_BASE_URL]: sendgrid.url,
    });
    for (const key of [
      ...Object.keys(env),
      CredentialsEnv.FCM_SERVICE_ACCOUNT_JSON,
      CredentialsEnv.VAPID_PUBLIC_KEY,
    ]) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
    Object.assign(process.env, env);
    dir = mkdtempSync(join(tmpdir(), 'switchboard-real-'));
    // No realChannels option: the runtime selects from the environment, as `npm start` does.
    runtime = await startLocalRuntime({
      rootDir: dir,
      handlersDir: join(REPO, 'functions', 'handlers'),
      emulators: { ...testEndpoints(), ...(await isolatedResources()) },
      waitTimeSeconds: 1,
      sandbox: { firstCallbackMs: 5, callbackStepMs: 5 },
      log: () => {},
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    await Promise.all(mocks.map(async ({ prism, proxy }) => Promise.all([proxy.stop(), prism.stop()])));
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('sends SMS through the real Twilio adapter to the mock, not the sandbox', async () => {
    // Prepare
    await cli('customers', 'put', 'real-ada', '--sms', '+14155550161');

    // Act
    const sent = await cli('send', '--customer', 'real-ada', '--text', 'Through Twilio');
    const timeline = await eventually(
      () => cli('timeline', 'real-ada'),
      (run) => run.out.includes('[SMS] sent'),
      { what: 'the SMS sent on the timeline' },
    );

    // Assess
    expect(sent.code).toBe(0);
    expect(timeline.code).toBe(0);
    const request = twilio.requests.find((r) => r.path.endsWith('/Messages.json'));
    expect(request).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${TEST_TWILIO_CREDENTIALS.accountSid}/Messages.json`,
      status: 201,
    });
    expect(new URLSearchParams(request?.body)).toEqual(
      new URLSearchParams({ To: '+14155550161', From: '+14155550100', Body: 'Through Twilio' }),
    );
    expect(runtime.sandbox.outbox.list({ customerId: 'real-ada' })).toEqual([]);
    // The console's funnel reads the ledger, so it counts what a real provider sent too.
    const funnel = (await (
      await fetch(`${runtime.localJson.httpUrl}/console/api/funnel`)
    ).json()) as DeliveryStats;
    expect(funnel.channels.sms).toMatchObject({ queued: 1, sent: 1 });
  });

  it('sends email through the real SendGrid adapter to the mock, not the sandbox', async () => {
    // Prepare
    await cli('customers', 'put', 'real-bea', '--email', 'bea@example.com');

    // Act
    await cli(
      'send',
      '--customer',
      'real-bea',
      '--subject',
      'Hello',
      '--text',
      'Through SendGrid',
      '--channel',
      'email',
    );
    await eventually(
      () => cli('timeline', 'real-bea'),
      (run) => run.out.includes('[EMAIL] sent'),
      { what: 'the email sent on the timeline' },
    );

    // Assess
    const request = sendgrid.requests.find((r) => r.path === '/v3/mail/send');
    expect(request).toMatchObject({ method: 'POST', status: 202 });
    expect(request?.headers.authorization).toBe('Bearer SG.test-key');
    expect(JSON.parse(request?.body ?? '{}').personalizations[0].to).toEqual([{ email: 'bea@example.com' }]);
    expect(runtime.sandbox.outbox.list({ customerId: 'real-bea' })).toEqual([]);
  });

  it('keeps a channel without credentials (push) on the sandbox', async () => {
    // Prepare
    await cli('customers', 'put', 'real-cem', '--push', 'device-token-1');

    // Act
    await cli('send', '--customer', 'real-cem', '--text', 'Still sandboxed', '--channel', 'push');

    // Assess
    const entries = await eventually(
      () => runtime.sandbox.outbox.list({ customerId: 'real-cem' }),
      (list) => list.length > 0,
      { what: 'the push in the sandbox outbox' },
    );
    expect(entries[0]?.channel).toBe('push');
  });
});
