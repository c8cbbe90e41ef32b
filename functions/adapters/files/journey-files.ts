/**
 * Reads journey documents from files (`journeys/*.yaml`, `*.yml`, `*.json`) and checks them, each
 * problem with its path in the document and, where the file has it, its line. The `yaml` package
 * parses both forms (JSON is YAML 1.2) and keeps source positions.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { FieldIssue, Journey } from '../../contract';
import { validateJourney } from '../../domain/journeys';

/** The extensions a journey file may have. */
export const JOURNEY_FILE_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** A problem of a journey file, at a path in the document and a line of the file when known. */
export interface JourneyFileIssue extends FieldIssue {
  readonly line?: number;
}

/** One journey file, read and checked. */
export interface JourneyFile {
  readonly file: string;
  /** Set when the document has no problem. */
  readonly journey?: Journey;
  readonly issues: readonly JourneyFileIssue[];
}

/** The repository's `journeys/` folder. */
export function defaultJourneysLocation(): string {
  return resolve(__dirname, '..', '..', '..', 'journeys');
}

/** The journey files in a folder, sorted by name. */
export function listJourneyFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`journeys folder not found: ${dir}`);
  return readdirSync(dir)
    .filter((name) => (JOURNEY_FILE_EXTENSIONS as readonly string[]).includes(extname(name)))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Reads and checks one journey file. `templates`: the template names that exist (unchecked when
 * undefined). The journey's `id` must be the file's name, so that a journey is found by its id.
 */
export function readJourneyFile(file: string, templates?: ReadonlySet<string>): JourneyFile {
  const lines = new LineCounter();
  const document = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      file,
      issues: document.errors.map((error) => ({
        field: '(document)',
        message: error.message.split('\n')[0] ?? error.message,
        line: error.linePos?.[0]?.line,
      })),
    };
  }
  const { journey, issues } = validateJourney(document.toJS(), templates);
  const all: FieldIssue[] = [...issues];
  const expectedId = basename(file, extname(file));
  if (journey !== undefined && journey.id !== expectedId) {
    all.push({ field: 'id', message: `must be the file's name, "${expectedId}"` });
  }
  const located = all.map((issue) => {
    const line = lineOf(document.contents, issue.field, lines);
    return line === undefined ? issue : { ...issue, line };
  });
  return located.length === 0 ? { file, journey, issues: [] } : { file, issues: located };
}

/** The line of the node at a field path such as `steps[2].next`, or of its nearest existing parent. */
function lineOf(root: unknown, field: string, lines: LineCounter): number | undefined {
  const segments =
    field === '(request)' ? [] : field.split(/\.|(?=\[)/).map((part) => part.replace(/^\[(\d+)\]$/, '$1'));
  let node = root as Node | null | undefined;
  for (const segment of segments) {
    let child: unknown;
    if (isMap(node)) child = node.get(segment, true);
    else if (isSeq(node)) child = node.get(Number(segment), true);
    if (child === undefined || child === null || typeof child !== 'object') break;
    node = child as Node;
  }
  const start = node?.range?.[0];
  return start === undefined ? undefined : lines.linePos(start).line;
}

/**
 * The deployed journeys: every document in a folder, checked. A broken document stops the function
 * from starting (CI and `journeys check` refuse it before it can deploy).
 */
export function loadJourneys(dir: string = process.env.JOURNEYS_DIR || defaultJourneysLocation()): Journey[] {
  return listJourneyFiles(dir).map((file) => {
    const read = readJourneyFile(file);
    if (read.journey === undefined) {
      const first = read.issues[0];
      throw new Error(`${file}: ${first?.field}: ${first?.message} (run switchboard journeys check)`);
    }
    return read.journey;
  });
}
