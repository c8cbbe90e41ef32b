/**
 * Customer profiles from a flat row (a CSV line or flags): `customerId`, `sms`, `whatsapp`,
 * `email`, `push` (an FCM token), `channels` (preference order, `;`- or `,`-separated), `locale`,
 * `timezone`, `marketing` (`opted-in` gives marketing consent on every address given), and any
 * other column as an attribute. JSONL rows are full profiles and go through as they are.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { CustomerInput } from '../functions/contract';

const KNOWN = new Set([
  'customerId',
  'sms',
  'whatsapp',
  'email',
  'push',
  'channels',
  'locale',
  'timezone',
  'marketing',
]);

/** A profile from a flat row; validation is the contract's (the API client checks before sending). */
export function customerFromRow(
  row: Readonly<Record<string, string>>,
  now: Date = new Date(),
): CustomerInput {
  const value = (key: string) => {
    const v = row[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const addresses: Record<string, unknown> = {};
  for (const channel of ['sms', 'whatsapp', 'email'] as const) {
    const address = value(channel);
    if (address) addresses[channel] = address;
  }
  const token = value('push');
  if (token) addresses.push = [{ kind: 'fcm', token }];
  const channels = value('channels')
    ?.split(/[;,]/)
    .map((c) => c.trim())
    .filter(Boolean);
  const consent: Record<string, Record<string, unknown>> = {};
  if (value('marketing') === 'opted-in') {
    consent.marketing = Object.fromEntries(
      Object.keys(addresses).map((channel) => [
        channel,
        { status: 'opted-in', at: now.toISOString(), source: 'import' },
      ]),
    );
  }
  const attributes = Object.fromEntries(
    Object.entries(row).filter(([key, v]) => !KNOWN.has(key) && v.trim() !== ''),
  );
  return {
    customerId: value('customerId') ?? '',
    addresses,
    ...(channels ? { preferences: { channels } } : {}),
    ...(Object.keys(consent).length > 0 ? { consent } : {}),
    ...(value('locale') ? { locale: value('locale') } : {}),
    ...(value('timezone') ? { timezone: value('timezone') } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  } as CustomerInput;
}

/** One CSV record and the line of the file it starts on (1-based: the header is on line 1). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/** Thrown when a file is not CSV that can be read to its end; says the last line that could be. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly linesRead: number,
    reason: string,
  ) {
    super(`cannot read past line ${linesRead}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Splits CSV text into records with the line each starts on. csv-parse does the parsing (RFC 4180:
 * quoted fields, doubled quotes, line breaks inside quotes, CRLF, and the byte-order mark that
 * Excel's "CSV UTF-8" export writes); records may have any number of fields, for the caller to check.
 *
 * Line numbers are counted here from each record's raw text, not taken from csv-parse's
 * `info.lines`: that counts a CRLF inside a quoted field as two lines (csv-parse 7.0.3), and is the
 * line a record ends on, where a reader looking for a bad row wants the line it starts on.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let linesRead = 0;
  try {
    parse(text, {
      bom: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (parsed, { raw = '' }) => {
        // With `raw: true` the record comes wrapped as `{ record, raw }`, which the types omit.
        const { record: fields } = parsed as unknown as { record: string[] };
        // A record's raw text begins with the empty lines skipped before it.
        const skipped = lineBreaks(/^[\r\n]*/.exec(raw)?.[0] ?? '');
        records.push({ line: linesRead + skipped + 1, fields });
        linesRead += lineBreaks(raw);
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // csv-parse's own "at line N" can be off (see above); the line count here is not.
    throw new CsvSyntaxError(linesRead, error.message.replace(/ at line \d+/, ''));
  }
  return records;
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}
