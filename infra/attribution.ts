/**
 * Attribution in the deployment configuration (`attribution` in the `switchboard` context object),
 * the environment it becomes on the ledger-stream function and the API (which must agree on the
 * shards), and the ledger stream's event filter built from the conversion event names
 * (functions/attribution-config.ts reads the environment; docs/attribution.md).
 */
import { FilterCriteria } from 'aws-cdk-lib/aws-lambda';
import { z } from 'zod';
import {
  AttributionEnv,
  attributionConfigFromEnv,
  MAX_CONVERSION_EVENTS,
  MAX_WINDOW_DAYS,
} from '../functions/attribution-config';
import { MAX_AGGREGATE_SHARDS } from '../functions/domain/attribution/attribution-settings';
import { ledgerStreamMessagesPatterns } from './ledger-stream-filter';

const days = z.number().positive().max(MAX_WINDOW_DAYS);

/** The `attribution` settings; every one optional (the functions' defaults apply). */
export const AttributionSettingsSchema = z
  .object({
    /** Track event names that are conversions (default `["Order Completed"]`). */
    conversionEvents: z.array(z.string().min(1).max(200)).min(1).max(MAX_CONVERSION_EVENTS).optional(),
    /** Days a sent message stays a touch before a conversion (default 7). */
    windowDays: days.optional(),
    /** Window days per message category, e.g. `{ "marketing": 14 }`. */
    categoryWindowDays: z
      .record(z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be a category name'), days)
      .optional(),
    /** Shards per aggregate (default 32; raise only). */
    shards: z.number().int().min(1).max(MAX_AGGREGATE_SHARDS).optional(),
  })
  .strict();

/** The `attribution` settings. */
export type AttributionSettingsInput = z.infer<typeof AttributionSettingsSchema>;

/** The settings as the functions' environment variables (only those set), checked as the functions will read them. */
export function attributionEnvironment(settings: AttributionSettingsInput): Record<string, string> {
  const env: Record<string, string> = {};
  if (settings.conversionEvents)
    env[AttributionEnv.CONVERSION_EVENTS] = JSON.stringify(settings.conversionEvents);
  if (settings.windowDays !== undefined) env[AttributionEnv.WINDOW_DAYS] = String(settings.windowDays);
  if (settings.categoryWindowDays && Object.keys(settings.categoryWindowDays).length > 0) {
    env[AttributionEnv.CATEGORY_WINDOW_DAYS] = Object.entries(settings.categoryWindowDays)
      .map(([category, value]) => `${category}=${value}`)
      .join(',');
  }
  if (settings.shards !== undefined) env[AttributionEnv.SHARDS] = String(settings.shards);
  // A value the functions would reject fails the synth, not the first conversion.
  attributionConfigFromEnv(env);
  return env;
}

/** The ledger stream's filter on the messages table (infra/ledger-stream-filter.ts) as Lambda filter criteria. */
export function ledgerStreamMessagesFilters(conversionEvents: readonly string[]): FilterCriteria[] {
  return ledgerStreamMessagesPatterns(conversionEvents).map((pattern) => FilterCriteria.filter(pattern));
}
