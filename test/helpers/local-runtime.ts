/**
 * The local runtime as integration tests start it: some handlers on their own tables and queues of
 * the shared emulators, sandbox providers only, quiet, short queue polls.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalResources } from '../../local/emulators';
import { handlerRegistry } from '../../local/handler-registry';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { isolatedResources, testEndpoints } from './emulators';

/** Which handlers run, on which resources (fresh ones when absent), in which folder. */
export interface TestRuntimeOptions {
  readonly handlers: readonly string[];
  readonly resources?: LocalResources;
  readonly rootDir?: string;
  /** Journey seconds per real second (SWITCHBOARD_TIME_SCALE, real time by default, unless given). */
  readonly timeScale?: number;
}

/** Starts the local runtime with only the named handler files; stop it in afterAll. */
export async function startTestRuntime(options: TestRuntimeOptions): Promise<LocalRuntime> {
  return startLocalRuntime({
    rootDir: options.rootDir ?? mkdtempSync(join(tmpdir(), 'switchboard-test-runtime-')),
    emulators: { ...testEndpoints(), ...(options.resources ?? (await isolatedResources())) },
    handlersDir: join(__dirname, '..', '..', 'functions', 'handlers'),
    registry: handlerRegistry.filter((registration) => options.handlers.includes(registration.file)),
    realChannels: new Set(),
    waitTimeSeconds: 1,
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    log: () => {},
  });
}
