/**
 * Runs the `switchboard` command line in-process and captures what it writes, for CLI tests.
 */
import { main } from '../../cli/switchboard';

/** What one CLI run wrote and returned. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `switchboard ...args`. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
