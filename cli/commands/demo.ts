/**
 * `switchboard demo` (also `npm run demo`): the demo journey on the local runtime, then the
 * shopper's unified timeline. Uses the running `npm start` when there is one (its journey time must
 * be compressed: `SWITCHBOARD_TIME_SCALE=3600 npm start`), otherwise starts the local runtime for the
 * length of the demo, at SWITCHBOARD_TIME_SCALE when set and an hour per second when not.
 */
import { parseArgs } from 'node:util';
import { JourneyEnv } from '../../functions/journeys-config';
import { DEMO_CUSTOMER, DEMO_TIME_SCALE, runDemo } from '../../local/demo';
import { readLocalJson } from '../../local/local-json';
import { type LocalJson, type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import type { Command } from '../command';
import { attributionReportLines } from './report';
import { timelineLines } from './timeline';

async function reachable(local: LocalJson): Promise<boolean> {
  try {
    // Nothing listening refuses at once; the wait is for a runtime that is there but busy.
    await fetch(`${local.httpUrl}/console/api/status`, { signal: AbortSignal.timeout(10_000) });
    return true;
  } catch {
    return false;
  }
}

/** The `demo` command. */
export const demoCommand: Command = {
  summary: 'run the omnichannel demo journey on the local runtime',
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { dir: { type: 'string' } } });
    const dir = values.dir ?? process.cwd();
    let local: LocalJson | undefined;
    try {
      local = readLocalJson(dir);
    } catch {
      local = undefined;
    }
    let started: LocalRuntime | undefined;
    if (!local || !(await reachable(local))) {
      io.out('No local runtime is running here: starting one for the demo (npm start keeps one up)…');
      const runtime = await startLocalRuntime({
        rootDir: dir,
        waitTimeSeconds: 1,
        log: () => {},
        ...(process.env[JourneyEnv.TIME_SCALE] ? {} : { timeScale: DEMO_TIME_SCALE }),
      });
      started = runtime;
      local = runtime.localJson;
    }
    try {
      io.out(`Console: ${local.consoleUrl}\n`);
      const { timeline, attribution } = await runDemo({ local, say: (line) => io.out(line) });
      io.out(`Camille's timeline (${DEMO_CUSTOMER.customerId}), across channels:`);
      for (const line of timelineLines(timeline)) io.out(`  ${line.at.slice(11, 19)}  ${line.text}`);
      io.out('');
      for (const line of attributionReportLines(attribution)) io.out(`  ${line}`);
      return 0;
    } finally {
      await started?.stop();
    }
  },
};
