/**
 * Bundle size and initialisation time of the four channel sender functions, bundled from the same
 * entries the stack deploys (functions/handlers/send-*.ts).
 *
 * Each entry is bundled the way the stack bundles a Lambda (esbuild, minified, platform node,
 * target node22, CommonJS; `@aws-sdk/*` left external, as CDK's NodejsFunction does for Node 22,
 * whose runtime provides AWS SDK v3), written to a temporary folder, then initialised in a fresh
 * Node process several times. Init is what a cold start pays before the first record: `require()`
 * of the bundle, then the handler's lazy set-up from the environment (sender, clients, Powertools),
 * triggered by an empty batch, which touches no network. It includes loading the external AWS SDK
 * packages (resolved from this repository's node_modules, as Lambda resolves them from its
 * runtime). Two reference rows show what loading the full Twilio SDK would cost. Targets: under
 * 1 MB and under 150 ms per function.
 *
 * Run: npx tsx bench/bundles.ts [runs]   (writes nothing to the repository)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { bundleFunction, functionBuildOptions } from '../infra/bundling.mjs';

const ROOT = resolve(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 7);
const SIZE_TARGET = 1024 * 1024;
const INIT_TARGET_MS = 150;

/** Environment the handlers' set-up reads (values the stack would set; nothing is contacted). */
const ENV = {
  NODE_PATH: join(ROOT, 'node_modules'),
  // The AWS SDK warns about Node 20 on every start; Lambda runs Node 22.
  NODE_NO_WARNINGS: '1',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  SWITCHBOARD_CUSTOMERS_TABLE: 'customers',
  SWITCHBOARD_MESSAGES_TABLE: 'messages',
  SWITCHBOARD_OUTBOUND_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/outbound',
  SWITCHBOARD_RECEIPTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/receipts',
  SWITCHBOARD_SMS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/sms',
  SWITCHBOARD_WHATSAPP_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/whatsapp',
  SWITCHBOARD_EMAIL_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/email',
  SWITCHBOARD_PUSH_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/push',
  SWITCHBOARD_EVENTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:events',
  SWITCHBOARD_PUBLIC_BASE_URL: 'https://api.example.com',
  SWITCHBOARD_TWILIO_SMS_FROM: '+14155552345',
  SWITCHBOARD_TWILIO_WHATSAPP_FROM: '+14155552345',
  SWITCHBOARD_TWILIO_STATUS_CALLBACK_URL: 'https://api.example.com/webhooks/twilio/status',
  SWITCHBOARD_EMAIL_FROM: 'notifications@example.com',
  SWITCHBOARD_WEBPUSH_SUBJECT: 'mailto:ops@example.com',
};

interface Entry {
  readonly name: string;
  /** A handler of functions/handlers/, bundled as the stack bundles it. */
  readonly handler?: string;
  /** Or a reference: source code bundled with the same options (plus `external`). */
  readonly contents?: string;
  readonly external?: string[];
}

const SDK_CLIENTS = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
export const clients = [DynamoDBDocumentClient.from(new DynamoDBClient({})), new SQSClient({})];`;

const ENTRIES: Entry[] = [
  // Every Lambda of the stack: the four senders, then the router, the API, the webhooks and the
  // receipt-timeout checker.
  ...[
    'send-sms',
    'send-whatsapp',
    'send-email',
    'send-push',
    'route-messages',
    'api',
    'twilio-webhook',
    'sendgrid-webhook',
    'receipt-timeout',
  ].map((handler) => ({ name: handler, handler })),
  // The AWS SDK clients every queue consumer uses, bundled (as the stack does) and loaded from
  // node_modules (as NodejsFunction's default leaves them, for the Lambda runtime's copy).
  { name: 'ref: AWS SDK clients, bundled', contents: SDK_CLIENTS },
  { name: 'ref: AWS SDK clients, from node_modules', contents: SDK_CLIENTS, external: ['@aws-sdk/*'] },
  {
    name: 'ref: twilio() full SDK',
    contents:
      "import twilio from 'twilio'; export const client = twilio('AC00000000000000000000000000000000', 'x');",
  },
];

/**
 * Milliseconds a fresh Node process takes to `require()` a bundle and, for a handler, to build it
 * on its first (empty) batch.
 */
function initTime(bundle: string, handler: boolean): number {
  const first = handler ? 'await m.handler({Records:[]},{awsRequestId:"bench",functionName:"bench"});' : '';
  const script = `(async()=>{const t=process.hrtime.bigint();const m=require(${JSON.stringify(bundle)});${first}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))})().catch((e)=>{console.error(e);process.exit(1)})`;
  const output = execFileSync(process.execPath, ['--enable-source-maps', '-e', script], {
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
      const dir = join(out, `entry-${index}`);
      const outfile = join(dir, 'index.js');
      if (entry.handler) {
        heaviest.set(entry.name, topPackages(await bundleFunction({ handler: entry.handler, outdir: dir })));
      } else {
        const source = join(ROOT, 'bench', `.reference-${index}.ts`);
        writeFileSync(source, entry.contents ?? '');
        try {
          const result = await build({
            ...functionBuildOptions({ entry: source, outfile }),
            ...(entry.external ? { external: entry.external, mainFields: ['main', 'module'] } : {}),
          });
          heaviest.set(entry.name, result.metafile ? topPackages(result.metafile) : '');
        } finally {
          rmSync(source, { force: true });
        }
      }
      const size = statSync(outfile).size;
      // Queue consumers also build themselves on a first, empty batch; HTTP handlers are required only.
      const isHandler = entry.handler !== undefined && !/(api|webhook)$/.test(entry.handler);
      initTime(outfile, isHandler); // warm the file system cache; not counted
      const times = Array.from({ length: RUNS }, () => initTime(outfile, isHandler));
      const init = median(times);
      const ok = size < SIZE_TARGET && init < INIT_TARGET_MS;
      if (!ok && entry.handler) failed = true;
      rows.push([
        entry.name,
        `${(size / 1024).toFixed(0)} KB`,
        `${init.toFixed(1)} ms`,
        `${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)} ms`,
        !entry.handler ? 'reference' : ok ? 'ok' : 'OVER TARGET',
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
