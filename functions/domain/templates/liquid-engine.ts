/**
 * The Liquid engines templates run in. Sandboxed by construction: templates and partials come from
 * the in-memory template set (no file system lookups), properties resolve on own keys only, an
 * undefined variable is an error naming it, filters must exist, and render time and memory are capped.
 */
import { Liquid } from 'liquidjs';
import type { FilterImpl } from 'liquidjs/dist/template/filter-impl-options';

/** How numbers and dates are shown for one render: the customer's locale, time zone and the currency. */
export interface FormatSettings {
  readonly locale: string;
  readonly timeZone: string;
  readonly currency: string;
}

/** The key under which each render passes its FormatSettings to the filters; a symbol, so templates cannot read it. */
export const FORMAT_SETTINGS = Symbol('switchboard.format');

const DATE_STYLES = ['full', 'long', 'medium', 'short'] as const;
type DateStyle = (typeof DATE_STYLES)[number];

/** Builds the Liquid engine: `html` escapes every output (use `| raw` for trusted HTML), `text` does not. */
export function createLiquidEngine(partials: Readonly<Record<string, string>>, html: boolean): Liquid {
  const liquid = new Liquid({
    templates: { ...partials },
    strictVariables: true,
    strictFilters: true,
    // `{% if customer.firstName %}` and `| default:` may test an absent variable; printing one still fails.
    lenientIf: true,
    ownPropertyOnly: true,
    // Partials are parsed once, not on every `{% render %}`; the set never changes while loaded.
    cache: true,
    outputEscape: html ? 'escape' : undefined,
    // Liquid's own `date` filter formats in UTC, with English names; `date_local` and friends use
    // the customer's zone and locale. Naming the locale also keeps the runtime's default locale out
    // of renders, and spares a cold start Intl's locale data (~20 ms) until a template needs it.
    timezoneOffset: 0,
    locale: 'en-US',
    parseLimit: 1_000_000,
    renderLimit: 2_000,
    memoryLimit: 10_000_000,
  });
  liquid.registerFilter('date_local', function (this: FilterImpl, value: unknown, style?: unknown) {
    const settings = formatSettings(this);
    return dateTimeFormat(settings.locale, {
      dateStyle: dateStyle(style, 'medium', 'date_local'),
      timeZone: settings.timeZone,
    }).format(toDate(value, 'date_local'));
  });
  liquid.registerFilter('datetime_local', function (this: FilterImpl, value: unknown, style?: unknown) {
    const settings = formatSettings(this);
    return dateTimeFormat(settings.locale, {
      dateStyle: dateStyle(style, 'medium', 'datetime_local'),
      timeStyle: 'short',
      timeZone: settings.timeZone,
    }).format(toDate(value, 'datetime_local'));
  });
  liquid.registerFilter('time_local', function (this: FilterImpl, value: unknown, style?: unknown) {
    const settings = formatSettings(this);
    return dateTimeFormat(settings.locale, {
      timeStyle: dateStyle(style, 'short', 'time_local'),
      timeZone: settings.timeZone,
    }).format(toDate(value, 'time_local'));
  });
  liquid.registerFilter('money', function (this: FilterImpl, value: unknown, currency?: unknown) {
    const settings = formatSettings(this);
    const code = currency === undefined ? settings.currency : String(currency).toUpperCase();
    try {
      return numberFormat(settings.locale, { style: 'currency', currency: code }).format(
        toNumber(value, 'money'),
      );
    } catch (error) {
      if (error instanceof RangeError) throw new Error(`money: "${code}" is not an ISO 4217 currency code`);
      throw error;
    }
  });
  liquid.registerFilter(
    'number',
    function (this: FilterImpl, value: unknown, maximumFractionDigits?: unknown) {
      const settings = formatSettings(this);
      const digits =
        maximumFractionDigits === undefined ? undefined : toNumber(maximumFractionDigits, 'number');
      return numberFormat(settings.locale, { maximumFractionDigits: digits }).format(
        toNumber(value, 'number'),
      );
    },
  );
  return liquid;
}

// Building an Intl formatter costs about 0.2 ms, more than the rest of a render; a warm Lambda
// sees the same few locales, zones and currencies again and again.
const MAX_CACHED_FORMATTERS = 500;
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(dateTimeFormats, locale, options, () => new Intl.DateTimeFormat(locale, options));
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options));
}

function cached<T>(cache: Map<string, T>, locale: string, options: object, create: () => T): T {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = cache.get(key);
  if (formatter === undefined) {
    formatter = create();
    if (cache.size >= MAX_CACHED_FORMATTERS) cache.clear();
    cache.set(key, formatter);
  }
  return formatter;
}

function formatSettings(filter: FilterImpl): FormatSettings {
  const settings = (filter.context.globals as Record<symbol, FormatSettings | undefined>)[FORMAT_SETTINGS];
  if (settings === undefined) throw new Error('locale filters need a render started by the TemplateRenderer');
  return settings;
}

function dateStyle(style: unknown, fallback: DateStyle, filter: string): DateStyle {
  if (style === undefined) return fallback;
  if ((DATE_STYLES as readonly unknown[]).includes(style)) return style as DateStyle;
  throw new Error(`${filter}: style must be one of ${DATE_STYLES.join(', ')}, got "${String(style)}"`);
}

function toDate(value: unknown, filter: string): Date {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'number'
        ? new Date(value < 1e11 ? value * 1000 : value) // seconds or milliseconds since the epoch
        : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`${filter}: "${String(value)}" is not a date`);
  return date;
}

function toNumber(value: unknown, filter: string): number {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(number)) throw new Error(`${filter}: "${String(value)}" is not a number`);
  return number;
}
