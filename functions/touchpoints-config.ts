/**
 * Configuration of the touchpoint recorders (`POST /v1/events`, the touchpoints queue consumer and
 * the public ingest), read from the environment like functions/config.ts, whose helpers it uses.
 */
import { Env, positiveIntEnv, requireEnv, retentionDaysFromEnv } from './config';
import { ClientContextField } from './domain/touchpoints/touchpoint';

/** Where touchpoints and the profiles their traits update live. */
export interface TouchpointsConfig {
  readonly customersTable: string;
  readonly messagesTable: string;
  readonly retentionDays: number;
  /** The personal context fields kept ({@link Env.KEEP_CLIENT_CONTEXT}); absent keeps none. */
  readonly keepClientContext?: readonly ClientContextField[];
}

/** Reads the touchpoint configuration from the environment, failing fast on a missing variable. */
export function touchpointsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TouchpointsConfig {
  const keep = keepClientContextFromEnv(env);
  return {
    customersTable: requireEnv(Env.CUSTOMERS_TABLE, env),
    messagesTable: requireEnv(Env.MESSAGES_TABLE, env),
    retentionDays: retentionDaysFromEnv(env),
    ...(keep.length > 0 ? { keepClientContext: keep } : {}),
  };
}

/** The fields of {@link Env.KEEP_CLIENT_CONTEXT}; an unknown name fails fast rather than keeping nothing silently. */
export function keepClientContextFromEnv(env: NodeJS.ProcessEnv = process.env): ClientContextField[] {
  const names = (env[Env.KEEP_CLIENT_CONTEXT] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const known: readonly string[] = Object.values(ClientContextField);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new Error(`${Env.KEEP_CLIENT_CONTEXT}: unknown field "${name}" (expected ${known.join(', ')})`);
    }
  }
  return [...new Set(names)] as ClientContextField[];
}

/** Environment of the public ingest (`/ingest/v1/...`, handlers/public-ingest.ts). */
export const IngestEnv = {
  /** Requests one write key may make per window, counted per instance (domain/sources/rate-limit.ts). */
  RATE_LIMIT: 'SWITCHBOARD_INGEST_RATE_LIMIT',
  /** The rate limit's window in seconds. */
  RATE_WINDOW_SECONDS: 'SWITCHBOARD_INGEST_RATE_WINDOW_SECONDS',
} as const;

/** Default requests per key per window per instance ({@link IngestEnv.RATE_LIMIT}). */
export const DEFAULT_INGEST_RATE_LIMIT = 100;
/** Default rate-limit window in seconds ({@link IngestEnv.RATE_WINDOW_SECONDS}). */
export const DEFAULT_INGEST_RATE_WINDOW_SECONDS = 1;

/** The public ingest's tables and its per-key rate limit. */
export interface IngestConfig extends TouchpointsConfig {
  readonly rateLimit: { readonly limit: number; readonly windowSeconds: number };
}

/** Reads the public ingest's configuration from the environment, failing fast on a missing variable. */
export function ingestConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  return {
    ...touchpointsConfigFromEnv(env),
    rateLimit: {
      limit: positiveIntEnv(IngestEnv.RATE_LIMIT, DEFAULT_INGEST_RATE_LIMIT, env),
      windowSeconds: positiveIntEnv(IngestEnv.RATE_WINDOW_SECONDS, DEFAULT_INGEST_RATE_WINDOW_SECONDS, env),
    },
  };
}
