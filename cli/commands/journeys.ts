/**
 * `switchboard journeys check|list|simulate|stats`: check the journey documents before deploy (CI
 * runs `check`), list them, play one over an events file with a fake clock (docs/journeys.md), or
 * print a deployed journey's counts from the API of the local runtime or a stack.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  defaultJourneysLocation,
  type JourneyFile,
  listJourneyFiles,
  readJourneyFile,
} from '../../functions/adapters/files/journey-files';
import { defaultTemplatesLocation, loadTemplateSet } from '../../functions/adapters/files/template-files';
import type { JourneyCustomer } from '../../functions/domain/journeys';
import type { Command, CommandIo } from '../command';
import { type SimulationLine, simulateJourney } from '../journey-simulation';
import { journeyStatsLines } from '../journey-stats-lines';
import { resolveTarget, TARGET_OPTIONS } from '../target';

const USAGE = `Usage:
  switchboard journeys check [FILE...] [--dir <journeys folder>] [--templates <templates folder>]
      Validates every journey (or the files given); exits 1 naming each problem's path in the document.
  switchboard journeys list [--dir <journeys folder>]
      Prints each journey: id, version, entry, steps.
  switchboard journeys simulate FILE --events <events.jsonl> [--customer <customer.json>]
      [--templates <templates folder>]
      Runs the journey over the events (one JSON event a line) with a fake clock; prints the path taken.
  switchboard journeys stats ID [--json] [--dir <folder of .switchboard/local.json> | --outputs FILE | --api-url URL]
      Prints a deployed journey's counts: entered, holdout, waiting, exited by reason, converted, and
      per step taken, waiting and outcomes (every version summed).`;

/** The `journeys` command. */
export const journeysCommand: Command = {
  summary: 'check, list, simulate journeys or print their counts (check | list | simulate | stats ID)',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'check') return check(rest, io);
    if (sub === 'list') return list(rest, io);
    if (sub === 'simulate') return simulate(rest, io);
    if (sub === 'stats') return stats(rest, io);
    io.err(sub === undefined ? USAGE : `unknown subcommand "${sub}"\n\n${USAGE}`);
    return 2;
  },
};

function templateNames(dir: string | undefined): ReadonlySet<string> {
  return new Set(Object.keys(loadTemplateSet(dir ?? defaultTemplatesLocation()).templates));
}

function filesOf(positionals: readonly string[], dir: string | undefined): string[] {
  return positionals.length > 0 ? [...positionals] : listJourneyFiles(dir ?? defaultJourneysLocation());
}

function shown(file: string): string {
  const path = relative(process.cwd(), file);
  return path.startsWith('..') ? file : path;
}

function problems(checked: JourneyFile): string[] {
  return checked.issues.map(
    (issue) =>
      `  ${shown(checked.file)}${issue.line === undefined ? '' : `:${issue.line}`}  ${issue.field}: ${issue.message}`,
  );
}

async function check(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { dir: { type: 'string' }, templates: { type: 'string' } },
    allowPositionals: true,
  });
  const templates = templateNames(values.templates);
  const files = filesOf(positionals, values.dir);
  let broken = 0;
  for (const file of files) {
    const checked = readJourneyFile(file, templates);
    if (checked.journey !== undefined) {
      io.out(
        `✓ ${shown(file)} (${checked.journey.id} v${checked.journey.version}, ${checked.journey.steps.length} steps)`,
      );
      continue;
    }
    broken += 1;
    io.out(`✗ ${shown(file)}`);
    for (const line of problems(checked)) io.out(line);
  }
  io.out(`\n${files.length} journeys: ${files.length - broken} valid, ${broken} broken`);
  return broken > 0 || files.length === 0 ? 1 : 0;
}

async function list(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { dir: { type: 'string' } },
    allowPositionals: true,
  });
  let broken = 0;
  for (const file of filesOf(positionals, values.dir)) {
    const { journey } = readJourneyFile(file);
    if (journey === undefined) {
      broken += 1;
      io.out(`${shown(file)}: broken (run switchboard journeys check)`);
      continue;
    }
    const key = journey.entry.key === undefined ? 'per customer' : `key ${journey.entry.key}`;
    const goals = journey.exitOn.map((goal) => goal.event).join(', ');
    io.out(
      [
        `${journey.id} v${journey.version}${journey.name === undefined ? '' : ` — ${journey.name}`}`,
        `  entry: ${journey.entry.event}, ${key}, re-entry ${formatReentry(journey.entry.reentry)}`,
        ...(goals === '' ? [] : [`  exit on: ${goals}`]),
        ...(journey.holdout > 0 ? [`  holdout: ${journey.holdout}%`] : []),
        `  steps: ${journey.steps.map((step) => `${step.id} (${step.type})`).join(' · ')}`,
      ].join('\n'),
    );
  }
  return broken > 0 ? 1 : 0;
}

function formatReentry(reentry: 'never' | 'always' | { after: string }): string {
  return typeof reentry === 'string' ? reentry : `after ${reentry.after}`;
}

async function simulate(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { events: { type: 'string' }, customer: { type: 'string' }, templates: { type: 'string' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (file === undefined || values.events === undefined) {
    io.err(`simulate needs a journey file and --events <events.jsonl>\n\n${USAGE}`);
    return 2;
  }
  const checked = readJourneyFile(file, templateNames(values.templates));
  if (checked.journey === undefined) {
    io.err([`${shown(file)} is broken:`, ...problems(checked)].join('\n'));
    return 1;
  }
  const lines = readFileSync(values.events, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('//'))
    .map(({ line, number }) => {
      try {
        return JSON.parse(line) as SimulationLine;
      } catch {
        throw new Error(`${values.events} line ${number} is not JSON`);
      }
    });
  const customer =
    values.customer === undefined
      ? {}
      : (JSON.parse(readFileSync(values.customer, 'utf8')) as JourneyCustomer);
  io.out(`${checked.journey.id} v${checked.journey.version} over ${lines.length} events (fake clock)`);
  for (const line of simulateJourney(checked.journey, lines, customer)) io.out(line);
  return 0;
}

async function stats(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...TARGET_OPTIONS, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const journeyId = positionals[0];
  if (journeyId === undefined || positionals.length > 1) {
    io.err(`stats needs one journey id\n\n${USAGE}`);
    return 2;
  }
  const counts = await resolveTarget(values).api.journeyStats(journeyId);
  if (values.json) io.out(JSON.stringify(counts, null, 2));
  else for (const line of journeyStatsLines(counts)) io.out(line);
  return 0;
}
