import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { queues } from '../../../infra/resources';
import { handlerRegistry } from '../../../local/handler-registry';
import { type LocalRuntime, startLocalRuntime } from '../../../local/runtime';
import { received } from '../../fixtures/handlers/twilio-webhook';
import { channelMessage } from '../../helpers/channel-messages';
import { isolatedResources, testClients, testEndpoints } from '../../helpers/emulators';
import { eventually } from '../../helpers/eventually';

jest.setTimeout(60_000);

/** The stand-in handlers in test/fixtures/handlers. */
const FIXTURES = ['send-sms', 'twilio-webhook'];

describe('Function: startLocalRuntime', () => {
  const clients = testClients();
  const notices: string[] = [];
  let runtime: LocalRuntime;
  let rootDir: string;

  beforeAll(async () => {
    rootDir = mkdtempSync(join(tmpdir(), 'switchboard-runtime-'));
    runtime = await startLocalRuntime({
      rootDir,
      emulators: { ...testEndpoints(), ...(await isolatedResources()) },
      handlersDir: join(__dirname, '..', '..', 'fixtures', 'handlers'),
      registry: handlerRegistry.filter((r) => FIXTURES.includes(r.file)),
      realChannels: new Set(),
      waitTimeSeconds: 1,
      sandbox: { firstCallbackMs: 5, callbackStepMs: 5 },
      timeScale: 7200,
      log: (line) => notices.push(line),
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    clients.destroy();
  });

  it('writes local.json with exactly the public-surface keys and the journey time scale', () => {
    // Act
    const written = JSON.parse(readFileSync(join(rootDir, '.switchboard', 'local.json'), 'utf8'));

    // Assess
    expect(Object.keys(written).sort()).toEqual(
      [
        'consoleUrl',
        'dynamodbEndpoint',
        'eventsTopicArn',
        'httpUrl',
        'queues',
        'region',
        'sandbox',
        'sqsEndpoint',
        'tables',
        'timeScale',
      ].sort(),
    );
    expect(written.timeScale).toBe(7200);
    expect(Object.keys(written.queues).sort()).toEqual(
      // The public surface's five queues, plus any further queue of the shared definitions (receipts).
      queues.flatMap((q) => [q.key, `${q.key}Dlq`]).sort(),
    );
    expect(Object.keys(written.tables).sort()).toEqual(['customers', 'messages']);
    expect(Object.keys(written.sandbox).sort()).toEqual([
      'sendgridPrivateKey',
      'sendgridPublicKey',
      'twilioAuthToken',
    ]);
    expect(written.consoleUrl).toBe(`${written.httpUrl}/console/`);
  });

  it('leaves SWITCHBOARD_TIME_SCALE as it was once its handlers have read the scale', () => {
    // Assess
    expect(process.env.SWITCHBOARD_TIME_SCALE).toBeUndefined();
  });

  it('refuses to start with a journey time scale below 1, naming the variable', async () => {
    // Act
    const starting = startLocalRuntime({
      rootDir,
      emulators: { ...testEndpoints(), ...(await isolatedResources()) },
      handlersDir: join(__dirname, '..', '..', 'fixtures', 'handlers'),
      registry: [],
      timeScale: 0.5,
      log: () => {},
    });

    // Assess
    await expect(starting).rejects.toThrow(/SWITCHBOARD_TIME_SCALE must be a number ≥ 1/);
    expect(process.env.SWITCHBOARD_TIME_SCALE).toBeUndefined();
  });

  it('loads every registered handler', () => {
    // Assess
    expect(runtime.handlers.loaded).toEqual(FIXTURES);
  });

  it('refuses to start when a registered handler module does not exist', async () => {
    // Act
    const starting = startLocalRuntime({
      rootDir,
      emulators: { ...testEndpoints(), ...(await isolatedResources()) },
      handlersDir: join(__dirname, '..', '..', 'fixtures', 'handlers'),
      registry: handlerRegistry.filter((r) => r.file === 'send-email'),
      log: () => {},
    });

    // Assess
    await expect(starting).rejects.toThrow(/send-email/);
  });

  it('runs an SMS from the queue through the sandbox to the webhook with a valid signature', async () => {
    // Prepare
    const message = channelMessage('sms', '+14155550123');

    // Act
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: runtime.localJson.queues.sms,
        MessageBody: JSON.stringify(message),
      }),
    );

    // Assess
    await eventually(
      () => received.map((r) => r.status),
      (statuses) => statuses.includes('delivered'),
      { what: 'the delivered callback' },
    );
    expect(received.filter((r) => r.status === 'sent' || r.status === 'delivered')).toEqual([
      { status: 'sent', verified: true },
      { status: 'delivered', verified: true },
    ]);
    const entry = runtime.sandbox.outbox.list({ customerId: message.customerId })[0];
    expect(entry?.messageId).toBe(message.messageId);
  });

  it('serves the console page, its outbox as JSON, and live updates as Server-Sent Events', async () => {
    // Prepare
    const consoleUrl = runtime.localJson.consoleUrl;
    const stream = await fetch(`${consoleUrl}api/events`);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    let text = '';

    // Act
    const page = await fetch(consoleUrl);
    await runtime.sandbox.senders.email.send(channelMessage('email', 'sse@example.com'));
    while (!text.includes('sse@example.com')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += Buffer.from(chunk.value).toString('utf8');
    }
    await reader.cancel();
    const outbox = (await (await fetch(`${consoleUrl}api/outbox?channel=email`)).json()) as {
      entries: { to: string }[];
    };

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('Sandbox outbox');
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(text).toContain('event: hello');
    expect(text).toContain('event: outbox');
    expect(outbox.entries[0]?.to).toBe('sse@example.com');
  });

  it('redrives a DLQ only when the console header is present', async () => {
    // Prepare
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.localJson.queues.pushDlq, MessageBody: '{"dead":true}' }),
    );
    const url = `${runtime.localJson.consoleUrl}api/dlq/push/redrive`;

    // Act
    const withoutHeader = await fetch(url, { method: 'POST' });
    const listed = (await (await fetch(`${runtime.localJson.consoleUrl}api/dlq`)).json()) as {
      dlqs: { queue: string; messages: { body: string }[] }[];
    };
    const withHeader = await fetch(url, { method: 'POST', headers: { 'x-switchboard-console': '1' } });

    // Assess
    expect(withoutHeader.status).toBe(403);
    const push = listed.dlqs.find((d) => d.queue === 'push');
    expect(push?.messages.map((m) => m.body)).toEqual(['{"dead":true}']);
    expect(await withHeader.json()).toEqual({ moved: 1, failed: 0 });
  });
});
