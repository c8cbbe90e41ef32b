import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { listJourneyFiles } from '../../functions/adapters/files/journey-files';
import { loadTemplateSet, TEMPLATE_SET_FILE } from '../../functions/adapters/files/template-files';
import { JourneyEnv } from '../../functions/journeys-config';
import { parseConfig } from '../../infra/config';
import {
  BUNDLED_JOURNEYS_DIR,
  HandlerName,
  PROJECT_ROOT,
  SwitchboardFunction,
} from '../../infra/constructs/switchboard-function';

const BUNDLER = path.join(PROJECT_ROOT, 'infra', 'bundling.mjs');

/** Bundles one handler the way `cdk synth` does and returns its folder. */
function bundle(handler: string, outdir: string, ...flags: string[]): string {
  execFileSync(process.execPath, [BUNDLER, handler, outdir, ...flags], { stdio: 'pipe' });
  return outdir;
}

/** Loads a bundle in a fresh Node process and runs its handler on an empty batch. */
function runEmptyBatch(bundleFile: string, extraEnv: Record<string, string> = {}): unknown {
  const script = `require(${JSON.stringify(bundleFile)}).handler({Records:[]},{awsRequestId:"t",functionName:"t"}).then((r)=>process.stdout.write(JSON.stringify(r)))`;
  const output = execFileSync(process.execPath, ['-e', script], {
    // A clean environment: nothing may be resolved from this repository's node_modules.
    cwd: tmpdir(),
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'eu-west-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      SWITCHBOARD_CUSTOMERS_TABLE: 'customers',
      SWITCHBOARD_MESSAGES_TABLE: 'messages',
      SWITCHBOARD_RECEIPTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/receipts',
      SWITCHBOARD_OUTBOUND_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/outbound',
      SWITCHBOARD_TWILIO_SMS_FROM: '+14155552345',
      ...extraEnv,
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(output);
}

describe('Function bundling (infra/bundling.mjs)', () => {
  let work: string;
  let sms: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'switchboard-bundling-'));
    sms = bundle('send-sms', path.join(work, 'send-sms'));
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes a self-contained bundle that loads and runs without node_modules', () => {
    // Act
    const result = runEmptyBatch(path.join(sms, 'index.js'));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(readdirSync(sms).sort()).toEqual(['index.js', 'index.js.map']);
  });

  it('bundles the AWS SDK instead of leaving it to the runtime', () => {
    const code = readFileSync(path.join(sms, 'index.js'), 'utf8');

    expect(code).not.toMatch(/require\("@aws-sdk\/(client|lib)-/);
    expect(code).toContain('DynamoDB_20120810');
  });

  it("keeps zod's English messages and drops its other locales", () => {
    const code = readFileSync(path.join(sms, 'index.js'), 'utf8');

    expect(code).toContain('Invalid input');
    // Strings only zod's German and French locales contain.
    expect(code).not.toContain('Ungültige Eingabe');
    expect(code).not.toContain('Entrée invalide');
  });

  it('leaves the phone-number metadata out of functions that never check raw numbers', () => {
    const api = bundle('api', path.join(work, 'api'));

    // libphonenumber-js's metadata lists calling codes under this key.
    expect(readFileSync(path.join(sms, 'index.js'), 'utf8')).not.toContain('country_calling_codes');
    expect(readFileSync(path.join(api, 'index.js'), 'utf8')).toContain('country_calling_codes');
  });

  it("bundles no provider SDK's HTTP stack into the email sender, which still loads and runs", () => {
    const email = bundle('send-email', path.join(work, 'send-email'));
    const code = readFileSync(path.join(email, 'index.js'), 'utf8');

    // axios's own error code names, and an entry only mime-db's table has.
    expect(code).not.toContain('ERR_BAD_RESPONSE');
    expect(code).not.toContain('application/vnd.ms-excel');
    expect(code).toContain('/v3/mail/send');
    expect(runEmptyBatch(path.join(email, 'index.js'), { SWITCHBOARD_EMAIL_FROM: 'n@example.com' })).toEqual({
      batchItemFailures: [],
    });
  });

  it('writes the template set beside the router as one file, which the router reads', () => {
    const router = bundle('route-messages', path.join(work, 'router'), '--templates');
    const written = JSON.parse(readFileSync(path.join(router, TEMPLATE_SET_FILE), 'utf8'));

    expect(readdirSync(router).sort()).toEqual(['index.js', 'index.js.map', TEMPLATE_SET_FILE]);
    expect(written).toEqual(
      JSON.parse(JSON.stringify(loadTemplateSet(path.join(PROJECT_ROOT, 'templates')))),
    );
    expect(
      runEmptyBatch(path.join(router, 'index.js'), {
        LAMBDA_TASK_ROOT: router,
        ...Object.fromEntries(
          ['SMS', 'WHATSAPP', 'EMAIL', 'PUSH'].map((channel) => [
            `SWITCHBOARD_${channel}_QUEUE_URL`,
            `https://sqs.eu-west-1.amazonaws.com/000000000000/${channel.toLowerCase()}`,
          ]),
        ),
      }),
    ).toEqual({ batchItemFailures: [] });
  });

  it.each(['journey-events', 'journey-timers'])(
    'copies the journey documents beside %s, which finds and loads them where JOURNEYS_DIR points',
    (handler) => {
      // Prepare
      const outdir = bundle(handler, path.join(work, handler), '--journeys');
      const journeys = path.join(outdir, 'journeys');

      // Act
      const result = runEmptyBatch(path.join(outdir, 'index.js'), {
        [JourneyEnv.JOURNEYS_DIR]: journeys,
        [JourneyEnv.TIMERS_QUEUE_URL]: 'https://sqs.eu-west-1.amazonaws.com/000000000000/journey-timers',
      });

      // Assess
      expect(readdirSync(outdir).sort()).toEqual(['index.js', 'index.js.map', 'journeys']);
      expect(readdirSync(journeys).sort()).toEqual(
        listJourneyFiles(path.join(PROJECT_ROOT, 'journeys')).map((file) => path.basename(file)),
      );
      expect(result).toEqual({ batchItemFailures: [] });
    },
  );

  it('puts the journey documents where the stack points JOURNEYS_DIR', () => {
    // Act: the bundler's folder name, read from the module itself.
    const folder = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { JOURNEYS_FOLDER } from ${JSON.stringify(BUNDLER)}; process.stdout.write(JOURNEYS_FOLDER);`,
      ],
      { encoding: 'utf8' },
    );

    // Assess: Lambda unpacks a zip function's code in /var/task.
    expect(BUNDLED_JOURNEYS_DIR).toBe(`/var/task/${folder}`);
  });

  it('compiles for the Node.js version the functions run on in Lambda', () => {
    // Prepare: the construct's runtime, as CloudFormation names it (nodejs24.x).
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Runtime');
    const fn = new SwitchboardFunction(stack, 'Fn', {
      handler: HandlerName.SEND_SMS,
      description: 'runtime',
      config: parseConfig({}),
      timeout: Duration.seconds(30),
    });

    // Act: the bundler's esbuild target, read from the module itself.
    const target = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { functionBuildOptions } from ${JSON.stringify(BUNDLER)}; process.stdout.write(functionBuildOptions({ entry: 'a', outfile: 'b' }).target);`,
      ],
      { encoding: 'utf8' },
    );

    // Assess
    expect(`${target.replace(/^node/, 'nodejs')}.x`).toBe(fn.function.runtime.name);
  });

  it('gives each function its own code asset when the stack is bundled', () => {
    // Prepare: a stack CDK must bundle, with two functions built from the same source folder
    const app = new App({
      outdir: path.join(work, 'cdk.out'),
      context: { 'aws:cdk:bundling-stacks': ['**'] },
    });
    const stack = new Stack(app, 'Bundled');
    const config = parseConfig({});
    for (const handler of [HandlerName.SEND_SMS, HandlerName.RECEIPT_TIMEOUT]) {
      new SwitchboardFunction(stack, handler, {
        handler,
        description: handler,
        config,
        timeout: Duration.seconds(30),
      });
    }

    // Act
    const assembly = app.synth();

    // Assess: two assets, each the bundle of its own handler
    const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(2);
    const codes = assets.map((asset) =>
      readFileSync(path.join(assembly.directory, asset, 'index.js'), 'utf8'),
    );
    expect(codes.filter((code) => code.includes('api.twilio.com'))).toHaveLength(1);
  });
});
