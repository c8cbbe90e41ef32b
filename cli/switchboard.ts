/**
 * The `switchboard` command line: a tiny dispatcher from the first word to a command module.
 * Add a command by writing `cli/commands/<name>.ts` exporting a {@link Command} and listing it below.
 */

import type { Command, CommandIo } from './command';
import { customersCommand } from './commands/customers';
import { demoCommand } from './commands/demo';
import { dlqCommand } from './commands/dlq';
import { inboundCommand } from './commands/inbound';
import { journeysCommand } from './commands/journeys';
import { reportCommand } from './commands/report';
import { sendCommand } from './commands/send';
import { sourcesCommand } from './commands/sources';
import { templatesCommand } from './commands/templates';
import { timelineCommand } from './commands/timeline';

// Node 20 is supported locally (Lambda runs 24); the SDK's notice about that is noise in the CLI
// (`switchboard sources` talks to DynamoDB with the SDK).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Every command, by the word that runs it. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  send: sendCommand,
  customers: customersCommand,
  timeline: timelineCommand,
  inbound: inboundCommand,
  dlq: dlqCommand,
  demo: demoCommand,
  templates: templatesCommand,
  journeys: journeysCommand,
  sources: sourcesCommand,
  report: reportCommand,
};

/** Runs the command line and resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`switchboard: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.err(`switchboard ${name}: ${(error as Error).message}`);
    return 1;
  }
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(12)}${command.summary}`);
  return ['Usage: switchboard <command> [options]', '', 'Commands:', ...lines].join('\n');
}

function processIo(): CommandIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
