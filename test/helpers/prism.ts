/**
 * Prism mock servers for the providers' official OpenAPI descriptions. Each server is a child
 * process bound to 127.0.0.1 on a free port and stopped by its own pid.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root (this file is test/helpers/prism.ts). */
const REPO_ROOT = resolve(__dirname, '..', '..');

/** The setting that points at the folder holding the provider contracts. */
export const CONTRACTS_DIR_ENV = 'SWITCHBOARD_CONTRACTS_DIR';

/** The provider contracts the tests use, with where to get each. */
export const ProviderContract = {
  TWILIO: {
    file: 'twilio_api_v2010.json',
    upstream: 'github.com/twilio/twilio-oai, file spec/json/twilio_api_v2010.json',
  },
  SENDGRID: {
    file: 'tsg_mail_v3.json',
    upstream: 'github.com/twilio/sendgrid-oai, file spec/json/tsg_mail_v3.json',
  },
} as const;
/** A provider contract. */
export type ProviderContract = (typeof ProviderContract)[keyof typeof ProviderContract];

/** The folder of provider contracts: the setting, or ../shared/contracts beside the repository. */
export function contractsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[CONTRACTS_DIR_ENV]
    ? resolve(env[CONTRACTS_DIR_ENV])
    : resolve(REPO_ROOT, '..', 'shared', 'contracts');
}

/** The path of a contract file, or an error that says how to get it (never a silent skip). */
export function contractPath(contract: ProviderContract, env: NodeJS.ProcessEnv = process.env): string {
  const dir = contractsDir(env);
  const path = join(dir, contract.file);
  if (!existsSync(path)) {
    throw new Error(
      `Provider contract ${contract.file} not found in ${dir}. Download it from ${contract.upstream} ` +
        `into that folder, or set ${CONTRACTS_DIR_ENV} to the folder that holds it.`,
    );
  }
  return path;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** A running Prism mock. */
export interface PrismMock {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const PRISM_CLI = resolve(REPO_ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

/** Starts `prism mock` for a spec on 127.0.0.1 and waits until it answers HTTP. */
export async function startPrism(specPath: string, { timeoutMs = 60_000 } = {}): Promise<PrismMock> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [PRISM_CLI, 'mock', '-h', '127.0.0.1', '-p', String(port), '--errors', specPath],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const pid = child.pid;
  if (pid === undefined) throw new Error('Prism did not start');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      await exited;
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Prism exited with ${child.exitCode}: ${output}`);
    try {
      await fetch(`${url}/__prism_ready__`, { signal: AbortSignal.timeout(1000) });
      return { url, pid, stop };
    } catch {
      await new Promise((wait) => setTimeout(wait, 200));
    }
  }
  await stop();
  throw new Error(`Prism did not answer on ${url} within ${timeoutMs} ms: ${output}`);
}
