/**
 * The local run's address pepper (functions/adapters/secrets/keyed-hash.ts). A run without
 * `--persist` starts from empty tables, so a fresh pepper each run costs nothing; a persisted run
 * must hash addresses the way the previous run did or it would no longer find its customers, so its
 * pepper is kept in a file beside the persisted DynamoDB data (readable only by its owner).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A new random pepper, or the one kept at `file` (created on first use) when data persists. */
export function localAddressPepper(file?: string): string {
  if (!file) return randomBytes(32).toString('hex');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length > 0) return kept;
  }
  const pepper = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${pepper}\n`, { mode: 0o600 });
  return pepper;
}
