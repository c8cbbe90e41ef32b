/**
 * Bundle size and initialisation time of every Lambda of the stack, bundled by infra/bundling.mjs,
 * the definition `cdk synth` runs, and started with the environment the stack gives it
 * (bench/stack-environment.ts): the same code, the same variables, NODE_OPTIONS included.
 *
 * Init is what a cold start pays before the first record: `require()` of the bundle, then, for a
 * queue consumer, the handler's lazy set-up from the environment (sender, clients, Powertools),
 * triggered by an empty batch, which touches no network. Each bundle is initialised in a fresh Node
 * process RUNS times, with the bundle's folder as LAMBDA_TASK_ROOT. The runs are interleaved (one of
 * each function, then the next round), so a burst of load on this shared machine lands on every
 * function alike: compare rows within one run. Reference rows show the AWS SDK alone, what
 * loading the full Twilio SDK would cost, and what a sender's first provider request costs on top
 * of init: one POST to a local server through Node's fetch and through functions/adapters/http/provider-http.ts.
 * Targets: under 1 MB and under 150 ms.
 *
 * Run: npm run bench:cold -- [runs]   (writes nothing to the repository)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { bundleFunction, functionBuildOptions } from '../infra/bundling.mjs';
import { listenOnLoopback } from '../test/helpers/loopback';
import { stackFunctions } from './stack-environment';

const ROOT = resolve(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 7);
const SIZE_TARGET = 1024 * 1024;
const INIT_TARGET_MS = 150;

/** What the Lambda runtime itself sets (credentials are never used: nothing is contacted). */
const RUNTIME_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  // The AWS SDK warns about Node 20 on every start; Lambda runs Node 22.
  NODE_NO_WARNINGS: '1',
};

interface Entry {
  readonly name: string;
  /** A queue consumer, set up on a first, empty batch; HTTP handlers and references are only required. */
  readonly consumer: boolean;
  readonly env: Record<string, string>;
  /** Writes the bundle into `dir` (index.js); returns its metafile. */
  readonly bundle: (dir: string) => Promise<Metafile | undefined>;
  readonly reference?: boolean;
  /** A reference module exporting `first()`, awaited after `require()` (one provider request). */
  readonly first?: boolean;
}

const SDK_CLIENTS = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
export const clients = [DynamoDBDocumentClient.from(new DynamoDBClient({})), new SQSClient({})];`;

/** A provider request as a sender makes its first one: a JSON POST, answered by the bench's server. */
const FIRST_BY_FETCH = `export async function first() {
  const response = await fetch(process.env.BENCH_URL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"to":"x"}', signal: AbortSignal.timeout(5000) });
  await response.text();
}`;
const FIRST_BY_PROVIDER_HTTP = `import { providerRequest } from '../functions/adapters/http/provider-http';
export async function first() {
  await providerRequest({ url: process.env.BENCH_URL, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"to":"x"}', timeoutMs: 5000 });
}`;

/** A reference row: source code bundled with the functions' options (plus `external`). */
function reference(
  name: string,
  index: number,
  contents: string,
  options: { external?: string[]; first?: boolean } = {},
): Entry {
  const { external, first } = options;
  return {
    name,
    consumer: false,
    reference: true,
    first,
    // External packages resolve from the repository, as Lambda resolves them from its runtime.
    env: { NODE_PATH: join(ROOT, 'node_modules') },
    async bundle(dir) {
      const source = join(ROOT, 'bench', `.reference-${index}.ts`);
      writeFileSync(source, contents);
      try {
        const result = await build({
          ...functionBuildOptions({ entry: source, outfile: join(dir, 'index.js') }),
          ...(external ? { external, mainFields: ['main', 'module'] } : {}),
        });
        return result.metafile;
      } finally {
        rmSync(source, { force: true });
      }
    },
  };
}

function entries(): Entry[] {
  const functions: Entry[] = stackFunctions(ROOT).map((fn) => ({
    name: fn.handler,
    consumer: !/(api|webhook)$/.test(fn.handler),
    env: fn.environment,
    bundle: (dir) => bundleFunction({ handler: fn.handler, outdir: dir, withTemplates: fn.withTemplates }),
  }));
  return [
    ...functions,
    // The AWS SDK clients every queue consumer uses, bundled (as the stack does) and loaded from
    // node_modules (as NodejsFunction's default leaves them, for the Lambda runtime's copy).
    reference('ref: AWS SDK clients, bundled', 0, SDK_CLIENTS),
    reference('ref: AWS SDK clients, from node_modules', 1, SDK_CLIENTS, { external: ['@aws-sdk/*'] }),
    reference(
      'ref: twilio() full SDK',
      2,
      "import twilio from 'twilio'; export const client = twilio('AC00000000000000000000000000000000', 'x');",
    ),
    reference('ref: first request, fetch (undici)', 3, FIRST_BY_FETCH, { first: true }),
    reference('ref: first request, provider-http (node:http)', 4, FIRST_BY_PROVIDER_HTTP, { first: true }),
  ];
}

const run = promisify(execFile);

/** Milliseconds one fresh Node process takes from before `require()` to the end of set-up. */
async function initTime(dir: string, entry: Entry, serverUrl: string): Promise<number> {
  const bundle = join(dir, 'index.js');
  const first = entry.consumer
    ? 'await m.handler({Records:[]},{awsRequestId:"bench",functionName:"bench"});'
    : entry.first
      ? 'await m.first();'
      : '';
  // The handlers log to stdout as they would on Lambda; the time is the last line.
  const script = `(async()=>{const t=process.hrtime.bigint();const m=require(${JSON.stringify(bundle)});${first}process.stdout.write("\\n"+String(Number(process.hrtime.bigint()-t)/1e6))})().catch((e)=>{console.error(e);process.exit(1)})`;
  try {
    // Asynchronous, so that this process's server can answer the first-request rows.
    const { stdout } = await run(process.execPath, ['-e', script], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        ...RUNTIME_ENV,
        LAMBDA_TASK_ROOT: dir,
        BENCH_URL: serverUrl,
        ...entry.env,
      },
      encoding: 'utf8',
    });
    return Number(stdout.trim().split('\n').pop());
  } catch (error) {
    throw new Error(`${entry.name} failed to initialise: ${(error as { stderr?: string }).stderr ?? error}`);
  }
}

/** The three heaviest packages (or repository folders) of a bundle, by bytes in the output. */
function topPackages(metafile: Metafile): string {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      // The reference rows' own few lines are not a part worth naming.
      if (path.startsWith('bench/')) continue;
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
  return (
    [...bytes.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([name, size]) => `${name} ${(size / 1024).toFixed(0)} KB`)
      .join(', ') || '—'
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'switchboard-bundles-'));
  const rows: string[][] = [];
  let failed = false;
  // The provider of the first-request rows: answers every request with a small JSON body.
  const server = await listenOnLoopback(
    createServer((request, response) => {
      request.resume();
      request.on('end', () =>
        response.writeHead(201, { 'Content-Type': 'application/json' }).end('{"sid":"x"}'),
      );
    }),
  );
  const serverUrl = `${server.url}/v1/messages`;
  try {
    const built: { entry: Entry; dir: string; size: number; heaviest: string; times: number[] }[] = [];
    for (const [index, entry] of entries().entries()) {
      const dir = join(out, `entry-${index}`);
      const metafile = await entry.bundle(dir);
      const size = statSync(join(dir, 'index.js')).size;
      built.push({ entry, dir, size, heaviest: metafile ? topPackages(metafile) : '', times: [] });
    }
    // Warm the file system cache; not counted.
    for (const item of built) await initTime(item.dir, item.entry, serverUrl);
    for (let round = 0; round < RUNS; round++) {
      for (const item of built) item.times.push(await initTime(item.dir, item.entry, serverUrl));
    }
    for (const { entry, size, heaviest, times } of built) {
      const init = median(times);
      const ok = size < SIZE_TARGET && init < INIT_TARGET_MS;
      if (!ok && !entry.reference) failed = true;
      rows.push([
        entry.name,
        `${(size / 1024).toFixed(0)} KB`,
        `${init.toFixed(1)} ms`,
        `${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)} ms`,
        entry.reference ? 'reference' : ok ? 'ok' : 'OVER TARGET',
        heaviest,
      ]);
    }
  } finally {
    await server.stop();
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
