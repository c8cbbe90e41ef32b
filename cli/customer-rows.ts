/**
 * Customer profiles from a flat row (a CSV line or flags): `customerId`, `sms`, `whatsapp`,
 * `email`, `push` (an FCM token), `channels` (preference order, `;`- or `,`-separated), `locale`,
 * `timezone`, `marketing` (`opted-in` gives marketing consent on every address given), and any
 * other column as an attribute. JSONL rows are full profiles and go through as they are.
 */
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

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
