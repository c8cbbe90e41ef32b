/**
 * `npm start`: runs Switchboard on this machine (see docs/local.md).
 *
 *   npm start                   in-memory data, free port
 *   npm start -- --persist      keep DynamoDB data in .switchboard/data between runs
 *   npm start -- --port 4000    serve the HTTP API and console on 127.0.0.1:4000
 *   npm start -- --max-concurrency 2   at most 2 batches in flight per queue
 *   SWITCHBOARD_TIME_SCALE=3600 npm start   journey waits compressed: an hour in a second
 */
import { relative } from 'node:path';
import { channelsWithRealCredentials } from './real-providers';
import { startLocalRuntime } from './runtime';

// Node 20 is supported locally (Lambda runs 24); the SDK's notice about that is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm start [-- --persist] [--port <port>] [--max-concurrency <n>]

  --persist              keep DynamoDB data in .switchboard/data between runs
  --port <port>          serve the HTTP API and console on 127.0.0.1:<port> (default: a free port)
  --max-concurrency <n>  at most n batches in flight per queue (default: each queue's maxConcurrency)

Environment:
  SWITCHBOARD_TIME_SCALE=<n>  journey seconds per real second for journey waits and timeouts
                              (default 1, real time; 3600 runs an hour's wait in a second)
`;

/** Parsed command-line options. */
interface StartArgs {
  readonly persist: boolean;
  readonly port: number | undefined;
  readonly maxConcurrency: number | undefined;
}

function parseArgs(argv: readonly string[]): StartArgs {
  let persist = false;
  let port: number | undefined;
  let maxConcurrency: number | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--persist') persist = true;
    else if (arg === '--port' || arg?.startsWith('--port=')) {
      const raw = arg === '--port' ? argv[++index] : arg.slice('--port='.length);
      port = Number(raw);
      if (!Number.isInteger(port) || port < 1 || port > 65_535)
        throw new UsageError(`--port needs a port number, got "${raw}"`);
    } else if (arg === '--max-concurrency') {
      const raw = argv[++index];
      maxConcurrency = Number(raw);
      if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
        throw new UsageError(`--max-concurrency needs a whole number of at least 1, got "${raw}"`);
      }
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new UsageError(`Unknown option "${arg}"`);
  }
  return { persist, port, maxConcurrency };
}

class UsageError extends Error {}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  process.stdout.write('Starting Switchboard locally (DynamoDB Local + fauxqs on 127.0.0.1)…\n');
  const runtime = await startLocalRuntime({
    persist: args.persist,
    // fauxqs answers a long poll at its end rather than when a message arrives, so a 20 s wait
    // would hold each hop of a message for up to 20 s; short polls keep the local path snappy.
    waitTimeSeconds: 1,
    ...(args.port ? { port: args.port } : {}),
    ...(args.maxConcurrency ? { maxConcurrency: args.maxConcurrency } : {}),
  });
  const seconds = process.uptime().toFixed(1);
  const local = relative(process.cwd(), runtime.localJsonPath) || runtime.localJsonPath;
  process.stdout.write(
    [
      '',
      `  Switchboard is running locally (ready in ${seconds} s)`,
      '',
      `  Console   ${runtime.localJson.consoleUrl}`,
      `  HTTP API  ${runtime.localJson.httpUrl}`,
      `  Settings  ${local}${args.persist ? '   (data kept in .switchboard/data)' : ''}`,
      `  Handlers  ${runtime.handlers.loaded.length} running; ${providersLine()}`,
      `  Journeys  ${timeScaleLine(runtime.localJson.timeScale ?? 1)}`,
      '',
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // One Ctrl-C can arrive twice (from the terminal and relayed by npm/tsx): only a later one forces.
      if (Date.now() - stoppingSince < 1_000) return;
      process.stdout.write('Stopping anyway.\n');
      process.exit(1);
    }
    stoppingSince = Date.now();
    process.stdout.write(`\n${signal}: stopping (in-flight batches finish first; Ctrl-C again to force)…\n`);
    runtime.stop().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Could not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(
    `Switchboard could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

/** How journey time runs here, and how to change it. */
function timeScaleLine(scale: number): string {
  if (scale === 1) return 'waits in real time (SWITCHBOARD_TIME_SCALE=3600 runs an hour in a second)';
  return `time ×${scale} (SWITCHBOARD_TIME_SCALE): an hour's wait takes ${formatSeconds(3600 / scale)}`;
}

function formatSeconds(seconds: number): string {
  return seconds >= 1 ? `${Number(seconds.toFixed(1))} s` : `${Math.round(seconds * 1000)} ms`;
}

/** Which channels go to real providers and which to the sandbox. */
function providersLine(): string {
  const real = channelsWithRealCredentials();
  const channels = ['sms', 'whatsapp', 'email', 'push'] as const;
  const sandbox = channels.filter((c) => !real.has(c));
  return real.size === 0
    ? 'every channel on the sandbox providers'
    : `real providers for ${[...real].join(', ')}; sandbox for ${sandbox.join(', ') || 'none'}`;
}
