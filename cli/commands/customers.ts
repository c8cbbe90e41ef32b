/**
 * `switchboard customers put|get|erase|import`.
 *
 *   switchboard customers put ada --sms +447700900123 --email ada@example.com --channels sms,email
 *   switchboard customers put --file ada.json
 *   switchboard customers get ada
 *   switchboard customers erase ada
 *   switchboard customers import shoppers.csv        (or .jsonl; one profile per row/line)
 *
 * Import puts each row on its own: a good row is stored whole, a bad row is not stored at all and
 * is listed with its row number and the contract's reasons; the exit code is 1 if any row failed.
 * A row number is the line of the file the row starts on (a CSV header is row 1), so an editor's
 * "go to line" finds it even when a quoted field above it spans lines. A CSV that cannot be read
 * to its end (an unclosed quote) is refused whole, before anything is put.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SwitchboardApiError } from '@switchboard/client';
import { ContractValidationError, type CustomerInput } from '../../functions/contract';
import type { Command, CommandIo } from '../command';
import { type CsvRecord, CsvSyntaxError, customerFromRow, parseCsv } from '../customer-rows';
import { resolveTarget, TARGET_OPTIONS, UsageError } from '../target';

const ROW_OPTIONS = {
  sms: { type: 'string' },
  whatsapp: { type: 'string' },
  email: { type: 'string' },
  push: { type: 'string' },
  channels: { type: 'string' },
  locale: { type: 'string' },
  timezone: { type: 'string' },
  marketing: { type: 'string' },
  name: { type: 'string' },
} as const;

/** Concurrent puts during an import. */
const IMPORT_CONCURRENCY = 8;

/** The `customers` command. */
export const customersCommand: Command = {
  summary: 'put, get, erase or import customer profiles',
  async run(args, io) {
    const [action, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { ...TARGET_OPTIONS, ...ROW_OPTIONS, file: { type: 'string' }, quiet: { type: 'boolean' } },
    });
    const target = resolveTarget(values);
    const id = positionals[0];
    switch (action) {
      case 'put': {
        let profile: CustomerInput;
        if (values.file) profile = JSON.parse(readFileSync(values.file, 'utf8')) as CustomerInput;
        else {
          if (!id) throw new UsageError('customers put <customerId> [--sms …] [--email …] (or --file)');
          const { name, ...row } = values;
          profile = customerFromRow({
            customerId: id,
            ...stringsOf(row, Object.keys(ROW_OPTIONS)),
            ...(name ? { firstName: name } : {}),
          });
        }
        const stored = await target.api.putCustomer(profile);
        io.out(JSON.stringify(stored, null, 2));
        return 0;
      }
      case 'get': {
        if (!id) throw new UsageError('customers get <customerId>');
        const stored = await target.api.getCustomer(id);
        if (!stored) {
          io.err(`customer ${id} not found`);
          return 1;
        }
        io.out(JSON.stringify(stored, null, 2));
        return 0;
      }
      case 'erase': {
        if (!id) throw new UsageError('customers erase <customerId>');
        await target.api.deleteCustomer(id);
        io.out(`erased customer ${id} (profile and timeline)`);
        return 0;
      }
      case 'import': {
        if (!id) throw new UsageError('customers import <file.csv|file.jsonl>');
        const rows = readRows(id);
        return importRows(rows, (profile) => target.api.putCustomer(profile), io, values.quiet === true);
      }
      default:
        throw new UsageError('customers put|get|erase|import …');
    }
  },
};

function stringsOf(values: Record<string, unknown>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    keys.filter((k) => typeof values[k] === 'string').map((k) => [k, values[k] as string]),
  );
}

/** One row of an import: its line number in the file and the profile, or why it could not be read. */
export interface ImportRow {
  readonly line: number;
  readonly profile?: CustomerInput;
  readonly error?: string;
}

/** Reads a CSV (header row first) or JSONL file into rows with their line numbers. */
export function readRows(path: string): ImportRow[] {
  const text = readFileSync(path, 'utf8');
  if (/\.jsonl?$/i.test(path)) {
    // Editors on Windows may save JSONL with a byte-order mark, which JSON.parse refuses.
    return text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, number }) => {
        try {
          return { line: number, profile: JSON.parse(line) as CustomerInput };
        } catch (error) {
          return { line: number, error: `not JSON: ${(error as Error).message}` };
        }
      });
  }
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new UsageError(`${path}: ${error.message}; nothing was imported`);
    throw error;
  }
  const [header, ...body] = records;
  const columns = header?.fields.map((name) => name.trim());
  if (!columns?.includes('customerId'))
    throw new UsageError(`${path}: the first row must name the columns, with customerId`);
  return body.map(({ line, fields }) => {
    if (fields.length !== columns.length) {
      return { line, error: `has ${fields.length} fields, the header has ${columns.length}` };
    }
    return {
      line,
      profile: customerFromRow(Object.fromEntries(columns.map((name, i) => [name, fields[i] ?? '']))),
    };
  });
}

/** Puts every readable row, a few at a time, with a progress line; lists the rows that failed. */
export async function importRows(
  rows: readonly ImportRow[],
  put: (profile: CustomerInput) => Promise<unknown>,
  io: CommandIo & { progress?: (text: string) => void },
  quiet = false,
): Promise<number> {
  const failures: { line: number; reason: string }[] = [];
  let done = 0;
  let imported = 0;
  const progress =
    io.progress ?? ((text: string) => process.stderr.isTTY && process.stderr.write(`\r${text}`));
  const report = () => {
    if (quiet) return;
    const width = 30;
    const filled = Math.round((done / Math.max(rows.length, 1)) * width);
    progress(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${rows.length}`);
  };
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++] as ImportRow;
      if (row.error || !row.profile) failures.push({ line: row.line, reason: row.error ?? 'empty row' });
      else {
        try {
          await put(row.profile);
          imported++;
        } catch (error) {
          failures.push({ line: row.line, reason: describe(error) });
        }
      }
      done++;
      report();
    }
  };
  await Promise.all(Array.from({ length: IMPORT_CONCURRENCY }, worker));
  if (!quiet && process.stderr.isTTY && !io.progress) process.stderr.write('\n');
  io.out(`imported ${imported} of ${rows.length} rows`);
  for (const failure of failures.sort((a, b) => a.line - b.line)) {
    io.err(`  row ${failure.line}: ${failure.reason}`);
  }
  return failures.length > 0 ? 1 : 0;
}

function describe(error: unknown): string {
  if (error instanceof ContractValidationError) {
    return error.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  }
  if (error instanceof SwitchboardApiError) {
    const issues = error.body.issues?.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    return issues || error.message;
  }
  return (error as Error).message;
}
