/**
 * Bundle size and module initialisation time of every function that carries a provider adapter.
 *
 * Each entry is bundled the way the stack bundles a Lambda (esbuild, minified, platform node,
 * target node22, CommonJS; `@aws-sdk/*` left external, as CDK's NodejsFunction does for Node 22,
 * whose runtime provides AWS SDK v3), written to a temporary folder, then loaded in a fresh Node
 * process several times. The init time includes loading the external AWS SDK packages (resolved
 * from this repository's node_modules, as Lambda resolves them from its runtime). The table shows
 * the bundle size, the median time `require()` takes, and the packages that weigh most. Targets:
 * under 1 MB and under 150 ms per function.
 *
 * Entries: the real handler files when they exist (functions/handlers/send-*.ts), and for each
 * channel an "adapters" entry that builds its sender from the environment exactly as a handler
 * does at module level. Two reference rows show what loading the full Twilio SDK would cost.
 *
 * Run: npx tsx bench/bundles.ts [runs]   (writes nothing to the repository)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';

const ROOT = resolve(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 7);
const SIZE_TARGET = 1024 * 1024;
const INIT_TARGET_MS = 150;

/** Environment the module-level set-up reads (no network is touched at import). */
const ENV = {
  NODE_PATH: join(ROOT, 'node_modules'),
  SWITCHBOARD_TWILIO_SMS_FROM: '+14155552345',
  SWITCHBOARD_TWILIO_WHATSAPP_FROM: '+14155552345',
  SWITCHBOARD_EMAIL_FROM: 'notifications@example.com',
  SWITCHBOARD_WEBPUSH_SUBJECT: 'mailto:ops@example.com',
  AWS_REGION: 'eu-west-1',
};

/** Source of an entry: the sender built at module level, plus the contract parse every consumer runs. */
const adapterEntry = (imports: string, build: string) => `
import { ChannelMessageSchema } from './functions/contract';
import { createProviderCredentials } from './functions/adapters/provider-credentials';
${imports}
const credentials = createProviderCredentials();
export const sender = ${build};
export const parse = (body: string) => ChannelMessageSchema.parse(JSON.parse(body));
`;

interface Entry {
  readonly name: string;
  readonly contents?: string;
  readonly file?: string;
  readonly reference?: boolean;
}

const ENTRIES: Entry[] = [
  {
    name: 'sms (adapters)',
    contents: adapterEntry(
      "import { createTwilioSmsSender, twilioSmsSettingsFromEnv } from './functions/adapters/twilio-sms-sender';",
      'createTwilioSmsSender({ credentials: () => credentials.twilio(), settings: twilioSmsSettingsFromEnv() })',
    ),
  },
  {
    name: 'whatsapp (adapters)',
    contents: adapterEntry(
      "import { createTwilioWhatsAppSender, twilioWhatsAppSettingsFromEnv } from './functions/adapters/twilio-whatsapp-sender';",
      'createTwilioWhatsAppSender({ credentials: () => credentials.twilio(), settings: twilioWhatsAppSettingsFromEnv() })',
    ),
  },
  {
    name: 'email (adapters)',
    contents: adapterEntry(
      "import { createSendGridEmailSender, sendGridSettingsFromEnv } from './functions/adapters/sendgrid-email-sender';",
      'createSendGridEmailSender({ credentials: () => credentials.sendgrid(), settings: sendGridSettingsFromEnv() })',
    ),
  },
  {
    name: 'push (adapters)',
    contents: adapterEntry(
      `import { createPushSender } from './functions/adapters/push-sender';
import { createFcmDeviceSender, fcmSettingsFromEnv } from './functions/adapters/fcm-push-sender';
import { createWebPushDeviceSender, webPushSettingsFromEnv } from './functions/adapters/web-push-sender';`,
      `createPushSender({
  fcm: createFcmDeviceSender({ credentials: () => credentials.fcm(), settings: fcmSettingsFromEnv() }),
  webPush: createWebPushDeviceSender({ credentials: () => credentials.webPush(), settings: webPushSettingsFromEnv() }),
})`,
    ),
  },
  // Every Lambda of the stack (placeholders on main until the senders land show as tiny bundles).
  ...[
    'route-messages',
    'api',
    'twilio-webhook',
    'sendgrid-webhook',
    'receipt-timeout',
    'send-sms',
    'send-whatsapp',
    'send-email',
    'send-push',
  ]
    .map((name) => ({ name: `${name} (handler)`, file: join(ROOT, 'functions', 'handlers', `${name}.ts`) }))
    .filter((entry) => existsSync(entry.file)),
  {
    name: 'ref: twilio() full SDK',
    reference: true,
    contents:
      "import twilio from 'twilio'; export const client = twilio('AC00000000000000000000000000000000', 'x');",
  },
  {
    name: 'ref: twilio BaseTwilio client',
    reference: true,
    contents:
      "import { Client } from 'twilio/lib/base/BaseTwilio'; export const client = new Client('AC00000000000000000000000000000000', 'x');",
  },
];

/** Milliseconds `require()` of a bundle takes in a fresh Node process. */
function initTime(bundle: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const output = execFileSync(process.execPath, ['-e', script], {
    env: { ...process.env, ...ENV },
    encoding: 'utf8',
  });
  return Number(output);
}

/** The three heaviest packages (or repository folders) of a bundle, by bytes in the output. */
function topPackages(metafile: Metafile): string {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const inModules = path.split('node_modules/').pop() ?? path;
      const parts = inModules.split('/');
      const name = path.includes('node_modules/')
        ? parts[0]?.startsWith('@')
          ? `${parts[0]}/${parts[1]}`
          : (parts[0] ?? path)
        : parts.slice(0, 2).join('/');
      bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...bytes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, size]) => `${name} ${(size / 1024).toFixed(0)} KB`)
    .join(', ');
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'switchboard-bundles-'));
  const rows: string[][] = [];
  const heaviest = new Map<string, string>();
  let failed = false;
  try {
    for (const [index, entry] of ENTRIES.entries()) {
      const outfile = join(out, `entry-${index}.js`);
      await build({
        ...(entry.file
          ? { entryPoints: [entry.file] }
          : {
              stdin: {
                contents: entry.contents ?? '',
                resolveDir: ROOT,
                loader: 'ts',
                sourcefile: `${entry.name}.ts`,
              },
            }),
        bundle: true,
        minify: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        outfile,
        external: ['@aws-sdk/*'],
        metafile: true,
        logLevel: 'error',
      }).then((result) => {
        heaviest.set(entry.name, topPackages(result.metafile));
      });
      const size = statSync(outfile).size;
      initTime(outfile); // warm the file system cache; not counted
      const times = Array.from({ length: RUNS }, () => initTime(outfile));
      const init = median(times);
      const ok = size < SIZE_TARGET && init < INIT_TARGET_MS;
      if (!ok && !entry.reference) failed = true;
      rows.push([
        entry.name,
        `${(size / 1024).toFixed(0)} KB`,
        `${init.toFixed(1)} ms`,
        `${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)} ms`,
        entry.reference ? 'reference' : ok ? 'ok' : 'OVER TARGET',
        heaviest.get(entry.name) ?? '',
      ]);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const header = [
    'function bundle',
    'size',
    `init (median of ${RUNS})`,
    'range',
    `< 1 MB, < ${INIT_TARGET_MS} ms`,
    'heaviest parts',
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  // Init times scale with contention: read them against the load average of the run.
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  console.log(
    `Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs, load average ${load}`,
  );
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
  if (failed) console.log('Some functions are over target: see the heaviest parts.');
}

void main();
