/**
 * `switchboard report attribution` against the local runtime: a message sent through the sandbox,
 * a store purchase posted to `/v1/events`, the runtime's own ledger stream crediting it, and the
 * report printed from the aggregates.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalRuntime, startLocalRuntime } from '../../../local/runtime';
import { runCli } from '../../helpers/cli';
import { isolatedResources, testEndpoints } from '../../helpers/emulators';
import { eventually } from '../../helpers/eventually';

jest.setTimeout(90_000);

const REPO = join(__dirname, '..', '..', '..');

describe('Function: switchboard report attribution against the local runtime', () => {
  let runtime: LocalRuntime;
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--dir', dir]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-report-'));
    runtime = await startLocalRuntime({
      rootDir: dir,
      handlersDir: join(REPO, 'functions', 'handlers'),
      emulators: { ...testEndpoints(), ...(await isolatedResources()) },
      waitTimeSeconds: 1,
      realChannels: new Set(),
      sandbox: { firstCallbackMs: 5, callbackStepMs: 5 },
      log: () => {},
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('credits a store purchase to the SMS that came before it and prints it by channel', async () => {
    // Prepare
    await cli('customers', 'put', 'report-cam', '--sms', '+14155550177');
    await cli('send', '--customer', 'report-cam', '--text', 'Your basket misses you');
    await eventually(
      () => cli('timeline', 'report-cam'),
      (run) => run.out.includes('[SMS] delivered'),
      { what: 'the delivered status on the timeline' },
    );
    const today = new Date().toISOString().slice(0, 10);
    const posted = await fetch(`${runtime.localJson.httpUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'track',
        event: 'Order Completed',
        userId: 'report-cam',
        messageId: `order-${Date.now()}`,
        timestamp: new Date().toISOString(),
        properties: { revenue: 30, currency: 'EUR' },
        context: { channel: 'store' },
      }),
    });
    expect(posted.status).toBe(202);

    // Act
    const report = await eventually(
      () => cli('report', 'attribution', '--from', today, '--to', today, '--group-by', 'channel', '--json'),
      // The stream counts the delivery and the conversion in whichever order its shards run.
      (run) =>
        run.code === 0 &&
        JSON.parse(run.out).rows.some(
          (row: { conversions: number; delivered: number }) => row.conversions > 0 && row.delivered > 0,
        ),
      { what: 'the conversion in the report' },
    );
    const text = await cli('report', 'attribution', '--from', today, '--to', today);

    // Assess
    expect(JSON.parse(report.out).rows).toEqual([
      {
        group: 'sms',
        sent: 1,
        delivered: 1,
        engaged: 0,
        conversions: 1,
        conversionRate: 1,
        revenue: { EUR: 30 },
        clientReportedConversions: 0,
      },
    ]);
    expect(text.out.split('\n')).toEqual([
      `attribution by channel, last touch, ${today} to ${today}`,
      'group  sent  delivered  engaged  conversions  rate  revenue  client-reported',
      'sms       1          1        0            1  100%   30 EUR                0',
    ]);
  });

  it('exits 1 naming the bad field when the model is unknown', async () => {
    // Act
    const run = await cli('report', 'attribution', '--model', 'middle');

    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/model/);
  });
});
