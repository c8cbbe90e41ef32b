/**
 * Reads `.switchboard/local.json`, the file `npm start` writes (see docs/local.md), for tools that
 * talk to the running local system: the CLI, scripts, other local services.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalJson } from './runtime';

/** Why local.json could not be used. */
export class LocalJsonError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalJsonError';
  }
}

const REQUIRED_KEYS = [
  'region',
  'sqsEndpoint',
  'dynamodbEndpoint',
  'queues',
  'tables',
  'eventsTopicArn',
  'httpUrl',
  'consoleUrl',
  'sandbox',
] as const;

/** Reads and checks local.json under `rootDir` (the repository root by default). */
export function readLocalJson(rootDir: string = process.cwd()): LocalJson {
  const path = join(rootDir, '.switchboard', 'local.json');
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LocalJsonError(`${path} not found: start Switchboard locally with \`npm start\` first`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new LocalJsonError(`${path} is not valid JSON: restart \`npm start\` to rewrite it`, {
      cause: error,
    });
  }
  const missing = REQUIRED_KEYS.filter((key) => !(parsed && typeof parsed === 'object' && key in parsed));
  if (missing.length > 0) {
    throw new LocalJsonError(`${path} lacks ${missing.join(', ')}: restart \`npm start\` to rewrite it`);
  }
  return parsed as LocalJson;
}
