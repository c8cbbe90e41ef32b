/**
 * Configuration of conversion attribution (docs/attribution.md), from the environment, read once
 * and checked like functions/config.ts: the conversion event names, the window in days (overall and
 * per category) and the aggregate shards. Every variable is optional.
 */
import { ConfigurationError } from './config';
import {
  type AttributionSettings,
  DEFAULT_ATTRIBUTION_SETTINGS,
  MAX_AGGREGATE_SHARDS,
} from './domain/attribution/attribution-settings';

/** Environment variable names of attribution. */
export const AttributionEnv = {
  /** A JSON array of track event names that are conversions (default `["Order Completed"]`). */
  CONVERSION_EVENTS: 'SWITCHBOARD_CONVERSION_EVENTS',
  /** Days a sent message stays a touch before a conversion (default 7). */
  WINDOW_DAYS: 'SWITCHBOARD_ATTRIBUTION_WINDOW_DAYS',
  /** Window days per message category, `marketing=14,transactional=1`. */
  CATEGORY_WINDOW_DAYS: 'SWITCHBOARD_ATTRIBUTION_CATEGORY_WINDOW_DAYS',
  /** Shards per aggregate (default 32; raise only: the report reads shards 0 … n − 1). */
  SHARDS: 'SWITCHBOARD_ATTRIBUTION_SHARDS',
} as const;

/** Longest window, in days, that may be configured (a conversion's touch query reads that far back). */
export const MAX_WINDOW_DAYS = 90;

/** Most conversion event names (each is one value of the stream's event filter). */
export const MAX_CONVERSION_EVENTS = 20;

function malformed(name: string, expected: string, raw: string): ConfigurationError {
  return new ConfigurationError(`Environment variable ${name} must be ${expected}, got "${raw}"`);
}

const windowExpected = `a number of days above 0 and at most ${MAX_WINDOW_DAYS}`;

function windowDays(name: string, raw: string, value: string): number {
  const days = Number(value);
  if (value.trim() === '' || !Number.isFinite(days) || days <= 0 || days > MAX_WINDOW_DAYS) {
    throw malformed(name, windowExpected, raw);
  }
  return days;
}

/** Reads attribution's configuration; throws naming the variable when one is malformed. */
export function attributionConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AttributionSettings {
  const defaults = DEFAULT_ATTRIBUTION_SETTINGS;
  const events = env[AttributionEnv.CONVERSION_EVENTS];
  const window = env[AttributionEnv.WINDOW_DAYS];
  const shards = env[AttributionEnv.SHARDS];
  return {
    conversionEvents: events?.trim() ? conversionEventsOf(events) : defaults.conversionEvents,
    windowDays: window?.trim() ? windowDays(AttributionEnv.WINDOW_DAYS, window, window) : defaults.windowDays,
    windowDaysByCategory: categoryWindowsOf(env[AttributionEnv.CATEGORY_WINDOW_DAYS]),
    shards: shards?.trim() ? shardsOf(shards) : defaults.shards,
  };
}

function conversionEventsOf(raw: string): string[] {
  const expected = `a JSON array of 1 to ${MAX_CONVERSION_EVENTS} event names (1 to 200 characters)`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw malformed(AttributionEnv.CONVERSION_EVENTS, expected, raw);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length === 0 ||
    parsed.length > MAX_CONVERSION_EVENTS ||
    !parsed.every((name) => typeof name === 'string' && name.length > 0 && name.length <= 200)
  ) {
    throw malformed(AttributionEnv.CONVERSION_EVENTS, expected, raw);
  }
  return [...new Set(parsed as string[])];
}

function categoryWindowsOf(raw: string | undefined): Record<string, number> {
  const windows: Record<string, number> = {};
  if (raw === undefined || raw.trim() === '') return windows;
  for (const part of raw.split(',')) {
    const [category = '', value = ''] = part.split('=').map((piece) => piece.trim());
    if (!/^[a-z][a-z0-9_-]{0,63}$/.test(category)) {
      throw malformed(AttributionEnv.CATEGORY_WINDOW_DAYS, `category=days pairs (${windowExpected})`, raw);
    }
    windows[category] = windowDays(AttributionEnv.CATEGORY_WINDOW_DAYS, raw, value);
  }
  return windows;
}

function shardsOf(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_AGGREGATE_SHARDS) {
    throw malformed(AttributionEnv.SHARDS, `a whole number from 1 to ${MAX_AGGREGATE_SHARDS}`, raw);
  }
  return value;
}
