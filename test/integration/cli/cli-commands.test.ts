import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { type LocalRuntime, startLocalRuntime } from '../../../local/runtime';
import { runCli } from '../../helpers/cli';
import { isolatedResources, testClients, testEndpoints } from '../../helpers/emulators';
import { eventually } from '../../helpers/eventually';

jest.setTimeout(90_000);

const REPO = join(__dirname, '..', '..', '..');

describe('Function: switchboard CLI against the local runtime', () => {
  const clients = testClients();
  let runtime: LocalRuntime;
  let dir: string;
  /** `--dir` points each command at the runtime's local.json. */
  const cli = (...args: string[]) => runCli([...args, '--dir', dir]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
    runtime = await startLocalRuntime({
      rootDir: dir,
      handlersDir: join(REPO, 'functions', 'handlers'),
      emulators: { ...testEndpoints(), ...(await isolatedResources()) },
      waitTimeSeconds: 1,
      realChannels: new Set(),
      sandbox: { firstCallbackMs: 5, callbackStepMs: 5 },
      // The demo's journeys: cart-recovery's hour before the reminder takes 6 s, its day 144 s.
      timeScale: 600,
      log: () => {},
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    clients.destroy();
  });

  it('puts a customer from flags and gets it back', async () => {
    // Act
    const put = await cli(
      'customers',
      'put',
      'cli-ada',
      '--sms',
      '+14155550123',
      '--email',
      'ada@example.com',
    );
    const got = await cli('customers', 'get', 'cli-ada');

    // Assess
    expect(put.code).toBe(0);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.out).addresses).toEqual({ sms: '+14155550123', email: 'ada@example.com' });
  });

  it('exits 1 with a clear message when a customer does not exist', async () => {
    // Act
    const got = await cli('customers', 'get', 'cli-nobody');

    // Assess
    expect(got.code).toBe(1);
    expect(got.err).toBe('customer cli-nobody not found');
  });

  it('sends a message that the timeline shows sent then delivered', async () => {
    // Prepare
    await cli('customers', 'put', 'cli-bea', '--sms', '+14155550124');

    // Act
    const sent = await cli('send', '--customer', 'cli-bea', '--text', 'Your order has shipped');

    // Assess
    expect(sent.code).toBe(0);
    expect(sent.out).toMatch(/^accepted: message msg_/);
    const timeline = await eventually(
      () => cli('timeline', 'cli-bea'),
      (run) => run.out.includes('[SMS] delivered'),
      { what: 'the delivered status on the timeline' },
    );
    const lines = timeline.out.split('\n');
    const sentAt = lines.findIndex((line) => line.includes('[SMS] sent'));
    const deliveredAt = lines.findIndex((line) => line.includes('[SMS] delivered'));
    expect(sentAt).toBeGreaterThan(0);
    expect(deliveredAt).toBeGreaterThan(sentAt);
    expect(runtime.sandbox.outbox.list({ customerId: 'cli-bea' })[0]?.channel).toBe('sms');
  });

  it('prints touchpoints with their place and consent changes, filtered by kind', async () => {
    // Prepare
    await cli('customers', 'put', 'cli-tim', '--sms', '+14155550126');
    const consented = await fetch(new URL('/v1/customers/cli-tim/consent', runtime.localJson.httpUrl), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'marketing',
        channel: 'sms',
        status: 'opted_out',
        at: '2026-11-23T10:05:00Z',
      }),
    });
    const posted = await fetch(new URL('/v1/events', runtime.localJson.httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'track',
        event: 'Order Completed',
        userId: 'cli-tim',
        messageId: 'cli-tim-purchase',
        timestamp: '2026-11-23T10:00:00Z',
        context: { channel: 'store' },
      }),
    });

    // Act
    const all = await cli('timeline', 'cli-tim');
    const touchpoints = await cli('timeline', 'cli-tim', '--types', 'touchpoint', '--channels', 'store');
    const bad = await cli('timeline', 'cli-tim', '--types', 'campaign');

    // Assess
    expect([consented.status, posted.status]).toEqual([200, 202]);
    expect(all.out).toMatch(/2026-11-23 10:00:00 {2}\*\* \[STORE\] track "Order Completed"/);
    expect(all.out).toMatch(/2026-11-23 10:05:00 {2}== \[SMS\] marketing opted-out \(api\)/);
    expect(touchpoints.out.split('\n').slice(1)).toEqual([
      '2026-11-23 10:00:00  ** [STORE] track "Order Completed"',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/types/);
  });

  it.each([
    [['send', '--text', 'no customer'], /--customer is required/],
    [['send', '--customer', 'cli-ada'], /give --text, --html or --template/],
    [['send', '--customer', 'cli-ada', '--text', 'x', '--channel', 'fax'], /routing\.channels/],
    [['customers', 'frobnicate'], /customers put\|get\|erase\|import/],
    [['dlq', 'list', 'nope'], /unknown queue "nope"/],
  ])('exits non-zero with a clear error for %j', async (args, message) => {
    // Act
    const run = await cli(...args);

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(message);
  });

  it('refuses a deployed-stack target without a region', async () => {
    // Prepare
    const region = process.env.AWS_REGION;
    delete process.env.AWS_REGION;

    // Act
    const run = await runCli(['timeline', 'x', '--api-url', 'https://example.invalid/']);
    process.env.AWS_REGION = region;

    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/--api-url needs --region/);
  });

  it('delivers a signed inbound STOP that opts the customer out of SMS', async () => {
    // Prepare
    await cli('customers', 'put', 'cli-cem', '--sms', '+14155550125');

    // Act
    const run = await cli('inbound', '--channel', 'sms', '--from', '+14155550125', '--text', 'STOP');

    // Assess
    expect(run.code).toBe(0);
    const customer = JSON.parse((await cli('customers', 'get', 'cli-cem')).out);
    expect(customer.consent.marketing.sms.status).toBe('opted_out');
    const timeline = await cli('timeline', 'cli-cem');
    expect(timeline.out).toMatch(/<- \[SMS\] "STOP" \[consent: opt_out\]/);
  });

  it('delivers an inbound email through the Inbound Parse secret', async () => {
    // Act
    const run = await cli('inbound', '--channel', 'email', '--from', 'ada@example.com', '--text', 'Thanks!');

    // Assess
    expect(run.code).toBe(0);
  });

  it('ignores a forged email YES, flags it on the timeline, and honours a genuine one', async () => {
    // Prepare
    await cli('customers', 'put', 'cli-yes', '--email', 'yes@example.com');

    // Act
    const forged = await cli(
      'inbound',
      '--channel',
      'email',
      '--from',
      'yes@example.com',
      '--text',
      'YES',
      '--forged',
    );
    const afterForged = JSON.parse((await cli('customers', 'get', 'cli-yes')).out);
    const timeline = await cli('timeline', 'cli-yes');
    await cli('inbound', '--channel', 'email', '--from', 'yes@example.com', '--text', 'YES');
    const afterGenuine = JSON.parse((await cli('customers', 'get', 'cli-yes')).out);

    // Assess
    expect(forged.code).toBe(0);
    expect(afterForged.consent.marketing?.email?.status).not.toBe('opted_in');
    expect(timeline.out).toMatch(
      /"YES" \[consent: opt_in\] \[sender not verified: no aligned pass \(spf fail; dkim none\)\]/,
    );
    expect(afterGenuine.consent.marketing.email.status).toBe('opted_in');
  });

  it('imports the good rows of a CSV and lists each bad row with its row number', async () => {
    // Prepare
    const file = join(dir, 'shoppers.csv');
    writeFileSync(
      file,
      [
        'customerId,sms,email,channels,firstName',
        'imp-1,+14155550131,one@example.com,sms;email,One',
        'imp-2,not-a-number,two@example.com,,Two',
        'imp-3,+14155550133,,sms,"Three, the third"',
        'imp-4,+14155550134',
        ',+14155550135,,,',
        '',
      ].join('\n'),
    );

    // Act
    const run = await cli('customers', 'import', file, '--quiet');

    // Assess
    expect(run.code).toBe(1);
    expect(run.out).toBe('imported 2 of 5 rows');
    expect(run.err.split('\n')).toEqual([
      expect.stringMatching(/^ {2}row 3: addresses\.sms: /),
      '  row 5: has 2 fields, the header has 5',
      expect.stringMatching(/^ {2}row 6: customerId: /),
    ]);
    expect((await cli('customers', 'get', 'imp-1')).code).toBe(0);
    expect(JSON.parse((await cli('customers', 'get', 'imp-3')).out).attributes).toEqual({
      firstName: 'Three, the third',
    });
    for (const id of ['imp-2', 'imp-4']) expect((await cli('customers', 'get', id)).code).toBe(1);
  });

  it('imports a CSV as Excel saves "CSV UTF-8" and numbers a bad row by the line it starts on', async () => {
    // Prepare
    const file = join(dir, 'excel.csv');
    writeFileSync(
      file,
      [
        '\uFEFFcustomerId,sms,note,firstName',
        'xl-1,+14155550171,"Ring twice.\nLeave it with the neighbour, if out.",Ada',
        'xl-2,+14155550172,"She said ""hi, there""",Bea',
        'xl-3,not-a-number,,Cem',
        '',
      ].join('\r\n'),
    );

    // Act
    const run = await cli('customers', 'import', file, '--quiet');

    // Assess
    expect(run.code).toBe(1);
    expect(run.out).toBe('imported 2 of 3 rows');
    expect(run.err.split('\n')).toEqual([expect.stringMatching(/^ {2}row 5: addresses\.sms: /)]);
    expect(JSON.parse((await cli('customers', 'get', 'xl-1')).out).attributes).toEqual({
      note: 'Ring twice.\nLeave it with the neighbour, if out.',
      firstName: 'Ada',
    });
    expect(JSON.parse((await cli('customers', 'get', 'xl-2')).out).attributes).toEqual({
      note: 'She said "hi, there"',
      firstName: 'Bea',
    });
    expect((await cli('customers', 'get', 'xl-3')).code).toBe(1);
  });

  it('refuses a CSV with an unclosed quote before putting any row', async () => {
    // Prepare
    const file = join(dir, 'broken.csv');
    writeFileSync(file, 'customerId,sms,note\nbr-1,+14155550161,fine\nbr-2,+14155550162,"never closed\n');

    // Act
    const run = await cli('customers', 'import', file, '--quiet');

    // Assess
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /broken\.csv: cannot read past line 2: Quote Not Closed.*; nothing was imported$/,
    );
    expect((await cli('customers', 'get', 'br-1')).code).toBe(1);
  });

  it('imports a JSONL file saved with a byte-order mark', async () => {
    // Prepare
    const file = join(dir, 'bom.jsonl');
    writeFileSync(
      file,
      `\uFEFF${JSON.stringify({ customerId: 'jl-bom', addresses: { email: 'b@example.com' } })}\n`,
    );

    // Act
    const run = await cli('customers', 'import', file, '--quiet');

    // Assess
    expect(run).toMatchObject({ code: 0, out: 'imported 1 of 1 rows' });
  });

  it('imports JSONL profiles and reports a line that is not JSON', async () => {
    // Prepare
    const file = join(dir, 'shoppers.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ customerId: 'jl-1', addresses: { email: 'jl1@example.com' } })}\n{oops\n`,
    );

    // Act
    const run = await cli('customers', 'import', file, '--quiet');

    // Assess
    expect(run.code).toBe(1);
    expect(run.out).toBe('imported 1 of 2 rows');
    expect(run.err).toMatch(/^ {2}row 2: not JSON/);
  });

  it('lists dead letters and redrives them to their queue', async () => {
    // Prepare
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: runtime.localJson.queues.receiptsDlq,
        MessageBody: '{"dead":true}',
      }),
    );

    // Act
    const listed = await cli('dlq', 'list');
    const redriven = await cli('dlq', 'redrive', 'receipts');
    const after = await cli('dlq', 'list', 'receipts');

    // Assess
    expect(listed.out).toMatch(/receipts: 1 dead letter\n {2}\S+ received \d+x {2}\{"dead":true\}/);
    expect(redriven.out).toBe('receipts: moved 1 back');
    expect(after.out).toBe('receipts: 0 dead letters');
  });

  it('erases a customer and its timeline', async () => {
    // Prepare
    await cli('customers', 'put', 'cli-del', '--email', 'del@example.com');

    // Act
    const run = await cli('customers', 'erase', 'cli-del');

    // Assess
    expect(run.code).toBe(0);
    expect((await cli('customers', 'get', 'cli-del')).code).toBe(1);
  });

  it('runs the demo journey and prints the unified timeline in order, her web, app and store touchpoints among the messages the journeys sent', async () => {
    // Act
    const run = await cli('demo');

    // Assess
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    const timeline = run.out.slice(run.out.indexOf("Camille's timeline"));
    const order = [
      /\*\* \[WEB\] track "Product Added"/,
      /\*\* \[WEB\] identify/,
      /-> marketing "cart-reminder"/,
      /sent by journey cart-recovery, step push-reminder for c-/,
      /\[PUSH\] failed \(UNREGISTERED\)/,
      /\[WA\] delivered/,
      /\*\* \[APP\] track "Application Opened"/,
      /<- \[WA\] "Hi! Is the linen shirt/,
      /-> transactional "back-in-stock"/,
      /\*\* \[STORE\] track "Order Completed"/,
      /\$\$ \[STORE\] "Order Completed" 53\.91 EUR, credited \[WA\]/,
      /-> transactional "order-thank-you"/,
      /sent by journey post-purchase, step thank-you for LS-/,
      /<- \[SMS\] "STOP" \[consent: opt_out\]/,
      /-> marketing "weekly-offer"/,
      /\[SMS\] skipped \(opted out of marketing\)/,
      /\[EMAIL\] delivered/,
    ];
    const positions = order.map((pattern) => timeline.search(pattern));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const offer = runtime.sandbox.outbox.list({ customerId: 'camille' }).find((e) => e.channel === 'email');
    expect(offer).toBeDefined();
    // The cart she filled before logging in was stitched onto her, not left on the visitor.
    expect(timeline.match(/\*\* \[WEB\] track "Product Added"/g)).toHaveLength(1);
    // The journeys sent the reminder and the thank-you, once each; the purchase stopped the second reminder.
    expect(timeline.match(/sent by journey/g)).toHaveLength(2);
    expect(run.out).toMatch(/cart-recovery ended on its goal/);
    expect(timeline).toMatch(/~~ journey cart-recovery entered on Product Added \(key c-/);
    expect(timeline).toMatch(/~~ journey cart-recovery step push-reminder: sent cart-reminder/);
    expect(timeline).toMatch(/~~ journey cart-recovery exited: goal \(Order Completed\)/);
    expect(timeline).toMatch(/~~ journey post-purchase exited: completed \(thanked\)/);
    expect(run.out).not.toMatch(/whatsapp-reminder/);
    // The attribution report credits the WhatsApp message before her store purchase (last touch).
    expect(run.out).toMatch(
      /credits the purchase to the message that brought her in: back-in-stock on whatsapp/,
    );
    const report = run.out.slice(run.out.indexOf('attribution by channel'));
    expect(report).toMatch(/^\s*whatsapp\b.*\b53\.91 EUR/m);
  });
});
