/**
 * Configuration of the journey engine (the journey-events and journey-timers functions and the
 * API's cancel), read from the environment like functions/config.ts, whose helpers it uses.
 */
import { Env, requireEnv, retentionDaysFromEnv } from './config';

/** The journey engine's environment variables. */
export const JourneyEnv = {
  /** The folder of deployed journey documents (bundled beside the function; the repo's journeys/ locally). */
  JOURNEYS_DIR: 'JOURNEYS_DIR',
  TIMERS_QUEUE_URL: 'SWITCHBOARD_JOURNEY_TIMERS_QUEUE_URL',
  /** With the role and group: timers beyond 15 minutes go to EventBridge Scheduler. */
  TIMERS_QUEUE_ARN: 'SWITCHBOARD_JOURNEY_TIMERS_QUEUE_ARN',
  SCHEDULER_ROLE_ARN: 'SWITCHBOARD_JOURNEY_SCHEDULER_ROLE_ARN',
  SCHEDULE_GROUP: 'SWITCHBOARD_JOURNEY_SCHEDULE_GROUP',
  /** Journey seconds per real second for waits and timeouts (local runs; default 1). */
  TIME_SCALE: 'SWITCHBOARD_TIME_SCALE',
} as const;

/** Where the engine's runs, messages and timers go. */
export interface JourneysConfig {
  readonly customersTable: string;
  readonly messagesTable: string;
  readonly outboundQueueUrl: string;
  readonly timersQueueUrl: string;
  readonly retentionDays: number;
  readonly timeScale: number;
  readonly journeysDir?: string;
  /** Set on AWS: long timers on EventBridge Scheduler. */
  readonly scheduler?: { readonly queueArn: string; readonly roleArn: string; readonly groupName: string };
}

/** Reads the journey configuration, failing fast on a missing or malformed variable. */
export function journeysConfigFromEnv(env: NodeJS.ProcessEnv = process.env): JourneysConfig {
  const queueArn = env[JourneyEnv.TIMERS_QUEUE_ARN];
  const roleArn = env[JourneyEnv.SCHEDULER_ROLE_ARN];
  const groupName = env[JourneyEnv.SCHEDULE_GROUP];
  const journeysDir = env[JourneyEnv.JOURNEYS_DIR];
  return {
    customersTable: requireEnv(Env.CUSTOMERS_TABLE, env),
    messagesTable: requireEnv(Env.MESSAGES_TABLE, env),
    outboundQueueUrl: requireEnv(Env.OUTBOUND_QUEUE_URL, env),
    timersQueueUrl: requireEnv(JourneyEnv.TIMERS_QUEUE_URL, env),
    retentionDays: retentionDaysFromEnv(env),
    timeScale: timeScaleFromEnv(env),
    ...(journeysDir ? { journeysDir } : {}),
    ...(queueArn && roleArn && groupName ? { scheduler: { queueArn, roleArn, groupName } } : {}),
  };
}

/** {@link JourneyEnv.TIME_SCALE}: a number ≥ 1, 1 when unset. */
export function timeScaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[JourneyEnv.TIME_SCALE];
  if (raw === undefined || raw.trim() === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 1) {
    throw new Error(
      `${JourneyEnv.TIME_SCALE} must be a number ≥ 1 (journey seconds per second), not "${raw}"`,
    );
  }
  return scale;
}
