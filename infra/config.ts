/**
 * Deployment configuration: read from CDK context, filled with defaults, checked with zod.
 *
 * A wrong value fails `cdk synth` with the setting's name and what was expected, before anything
 * reaches CloudFormation. Values come from the `switchboard` context object (cdk.json, cdk.context.json
 * or `-c switchboard='{"stage":"prod"}'`), and a few common ones from flat context keys
 * (`-c stage=prod`, `-c protect=false`, `-c alarmEmail=ops@example.com`) which win over the object.
 *
 * Data protection is its own setting (`protectData`, flat `protect`), on unless switched off: a
 * stage's name says nothing about whether it holds real customers, and the cost of a wrong guess is
 * lost data one way and a table left to delete by hand the other.
 */
import { z } from 'zod';
import { FrequencyCapsSchema } from '../functions/domain/routing/frequency-caps';
import { ClientContextField } from '../functions/domain/touchpoints/touchpoint';
import {
  DEFAULT_INGEST_RATE_LIMIT,
  DEFAULT_INGEST_RATE_WINDOW_SECONDS,
} from '../functions/touchpoints-config';
import { AttributionSettingsSchema } from './attribution';
import { LearnedRoutingSettingsSchema } from './learned-routing';
import type { QueueKey } from './resources';
import { queues } from './resources';

/** CloudWatch Logs retention values that CloudFormation accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** How stateful resources are treated when the stack or the resource is deleted. */
export const RemovalMode = { RETAIN: 'retain', DESTROY: 'destroy' } as const;

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +14155550100');
const concurrency = z.coerce
  .number()
  .int()
  .min(2, 'must be at least 2 (Lambda SQS maxConcurrency minimum)')
  .max(1000, 'must be at most 1000 (Lambda SQS maxConcurrency maximum)');

/**
 * Default reserved concurrency per webhook function. Well above what the default senders can cause
 * (two status callbacks per message at the senders' default concurrency), well below the account's
 * default quota of 1000 (of which 100 must stay unreserved).
 */
export const DEFAULT_WEBHOOK_RESERVED_CONCURRENCY = 50;

/** Default reserved concurrency of the public ingest function (as the webhooks, for the same reasons). */
export const DEFAULT_INGEST_RESERVED_CONCURRENCY = 50;

const queueKeys = queues.map((q) => q.key) as [QueueKey, ...QueueKey[]];

/** The shape of the `switchboard` context object. */
export const SwitchboardConfigSchema = z
  .object({
    /** Short name of this deployment; part of every stack name and SSM parameter path. */
    stage: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,15}$/,
        'must be 1-16 lowercase letters, digits or dashes, starting with a letter',
      )
      .default('dev'),
    /**
     * Whether the stage's data is protected from deletion: RETAIN on tables, queues, topic key,
     * secrets, schedule group and log groups, DynamoDB deletion protection, stack termination
     * protection, and a synth warning when alarms notify nobody. On unless set to false, whatever
     * the stage is called.
     */
    protectData: z.boolean().optional(),
    /** Older name of `protectData`, still accepted; the two may not disagree. */
    production: z.boolean().optional(),
    /** What happens to tables, queues, the topic and secrets when the stack goes: defaults by `protectData`. */
    removalPolicy: z.enum([RemovalMode.RETAIN, RemovalMode.DESTROY]).optional(),
    /** DynamoDB deletion protection: defaults by `protectData`. */
    deletionProtection: z.boolean().optional(),
    /** AWS account and region; leave unset for an environment-agnostic synth. */
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1')
      .optional(),
    /** Days a message stays on the timeline before DynamoDB TTL removes it. */
    retentionDays: z.coerce.number().int().min(1).max(3650).default(400),
    /**
     * Personal context fields touchpoints keep (`ip`, `userAgent`: Segment's `context.ip` and
     * `context.userAgent`, or the public ingest's connection); none unless listed here.
     */
    keepClientContext: z.array(z.enum(Object.values(ClientContextField))).default([]),
    /** Days Lambda and API access logs are kept. */
    logRetentionDays: z.coerce
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    /** Powertools log level of every function. */
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /**
     * Run every function with `--enable-source-maps`, so that logged stack traces name the
     * TypeScript files and lines. Off by default: Node then reads and parses each bundle's source
     * map at start, on every cold start (measured in docs/BENCHMARKS.md, "Cold start"). The maps
     * are deployed beside the bundles either way.
     */
    sourceMaps: z.boolean().default(false),
    twilio: z
      .object({
        /** Messaging Service SID (MG…); preferred over a single sender number. */
        messagingServiceSid: z
          .string()
          .regex(
            /^MG[0-9a-fA-F]{32}$/,
            'must be a Twilio Messaging Service SID (MG followed by 32 hex digits)',
          )
          .optional(),
        /** SMS sender number, used when no Messaging Service SID is set. */
        smsFrom: e164.optional(),
        /** WhatsApp sender number (without the `whatsapp:` prefix). */
        whatsappFrom: e164.optional(),
      })
      .strict()
      .default({}),
    email: z
      .object({
        from: z.email('must be an email address').optional(),
        fromName: z.string().max(100).optional(),
        replyTo: z.email('must be an email address').optional(),
        /**
         * One-click unsubscribe URL (RFC 8058) for every category but transactional; `{customerId}`,
         * `{category}` and `{messageId}` are replaced. Marketing email needs this or unsubscribeMailto.
         */
        unsubscribeUrl: z
          .string()
          .regex(/^https:\/\/\S+$/, 'must be an https: URL')
          .optional(),
        /** mailto address for List-Unsubscribe. */
        unsubscribeMailto: z.email('must be an email address').optional(),
      })
      .strict()
      .default({}),
    push: z
      .object({
        /** Firebase project for FCM HTTP v1, when not the service account's own `project_id`. */
        fcmProjectId: z
          .string()
          .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a Firebase project id')
          .optional(),
        /** VAPID subject: a `mailto:` or `https:` URL identifying the sender to push services. */
        vapidSubject: z
          .string()
          .regex(/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/, 'must be a mailto: or https: URL')
          .optional(),
      })
      .strict()
      .default({}),
    /** Maximum concurrent consumers per queue (overrides infra/resources.ts). */
    concurrency: z.partialRecord(z.enum(queueKeys), concurrency).default({}),
    /** HTTP API stage throttling. */
    throttling: z
      .object({
        rateLimit: z.coerce.number().int().min(1).max(10_000).default(50),
        burstLimit: z.coerce.number().int().min(1).max(5_000).default(100),
      })
      .strict()
      .default({ rateLimit: 50, burstLimit: 100 }),
    /** Email address subscribed to a new alarm topic. */
    alarmEmail: z.email('must be an email address').optional(),
    /** An existing SNS topic for alarm notifications (instead of, or as well as, alarmEmail). */
    alarmTopicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN')
      .optional(),
    /**
     * `read` while a stage deployed before keyed address hashes migrates: lookups also try the plain
     * SHA-256 keys it stored (docs/deploy.md, "Keyed address hashes"). New stages leave it `off`.
     */
    legacyAddressHash: z.enum(['read', 'off']).default('off'),
    /** Learned channel choice: default strategy per category, costs, half-life (docs/customers-and-routing.md). */
    learnedRouting: LearnedRoutingSettingsSchema.default({ strategies: {} }),
    /**
     * Frequency caps on non-transactional messages, e.g. `[{ "categories": ["marketing"], "max": 3,
     * "per": "P7D" }]` (docs/customers-and-routing.md, "Frequency caps"); none by default.
     */
    frequencyCaps: FrequencyCapsSchema.default([]),
    /** Conversion attribution: conversion events, windows, aggregate shards (docs/attribution.md). */
    attribution: AttributionSettingsSchema.default({}),
    /** How the webhooks read what customers and providers say (docs/webhooks.md). */
    webhooks: z
      .object({
        /** What "please stop texting me" does: `flag` it for a person to review, or `opt-out`. */
        plainLanguage: z.enum(['flag', 'opt-out']).default('flag'),
        /** Seconds a signed SendGrid event request stays acceptable (replay window). */
        sendgridToleranceSeconds: z.coerce.number().int().min(30).max(3600).default(300),
        /**
         * The SendGrid Event Webhook verification key (public). Unset, the webhook reads
         * `eventWebhookPublicKey` from the SendGrid secret.
         */
        sendgridEventWebhookPublicKey: z
          .string()
          .regex(/^[A-Za-z0-9+/=\s-]{40,2000}$/, 'must be the base64 verification key SendGrid shows')
          .optional(),
        /**
         * Reserved concurrency of each webhook function: the most instances a flood of requests to
         * the public URLs can take from the account (the rest stays for the senders and the router),
         * and a floor guaranteed to the webhooks. `false` reserves nothing (accounts whose
         * concurrency quota is too low to reserve any).
         */
        reservedConcurrency: z
          .union([
            z.literal(false),
            z
              .number()
              .int()
              .min(1, 'must be at least 1 (0 would stop the webhook), or false to reserve nothing')
              .max(10_000, 'must be at most 10000'),
          ])
          .default(DEFAULT_WEBHOOK_RESERVED_CONCURRENCY),
      })
      .strict()
      .default({
        plainLanguage: 'flag',
        sendgridToleranceSeconds: 300,
        reservedConcurrency: DEFAULT_WEBHOOK_RESERVED_CONCURRENCY,
      }),
    /** Link tracking (docs/links.md): the short links' base URL and the categories left untracked. */
    links: z
      .object({
        /**
         * Scheme and host of the short links (`https://go.example.com`, a custom domain in front of
         * the click function); unset, the click function's own URL.
         */
        baseUrl: z
          .string()
          .regex(/^https:\/\/[^\s?#]+$/, 'must be an https: URL without query')
          .optional(),
        /** Per category, `false` to leave its links untouched (`{ "transactional": false }`); others are tracked. */
        categories: z
          .record(
            z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be a category name'),
            z.boolean('must be true or false'),
          )
          .default({}),
        /** Reserved concurrency of the click function (as the webhooks'); `false` reserves nothing. */
        reservedConcurrency: z
          .union([z.literal(false), z.number().int().min(1).max(10_000)])
          .default(DEFAULT_WEBHOOK_RESERVED_CONCURRENCY),
      })
      .strict()
      .default({ categories: {}, reservedConcurrency: DEFAULT_WEBHOOK_RESERVED_CONCURRENCY }),
    /** The public ingest (`/ingest/v1/...`, docs/touchpoints.md): its reserved concurrency and per-key rate limit. */
    ingest: z
      .object({
        /**
         * Reserved concurrency of the ingest function: the most instances a flood can take, and so
         * (with the per-instance rate limit) the most requests one key can make. `false` reserves nothing.
         */
        reservedConcurrency: z
          .union([
            z.literal(false),
            z
              .number()
              .int()
              .min(1, 'must be at least 1 (0 would stop the ingest), or false to reserve nothing')
              .max(10_000, 'must be at most 10000'),
          ])
          .default(DEFAULT_INGEST_RESERVED_CONCURRENCY),
        /** Requests one write key may make per window, counted per instance. */
        rateLimit: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_INGEST_RATE_LIMIT),
        /** The rate limit's window in seconds. */
        rateWindowSeconds: z.coerce
          .number()
          .int()
          .min(1)
          .max(3600)
          .default(DEFAULT_INGEST_RATE_WINDOW_SECONDS),
        /** Origins browsers may send events from (CORS of the function URL); `*` by default. */
        allowedOrigins: z.array(z.string().min(1)).min(1).default(['*']),
      })
      .strict()
      .default({
        reservedConcurrency: DEFAULT_INGEST_RESERVED_CONCURRENCY,
        rateLimit: DEFAULT_INGEST_RATE_LIMIT,
        rateWindowSeconds: DEFAULT_INGEST_RATE_WINDOW_SECONDS,
        allowedOrigins: ['*'],
      }),
  })
  .strict();

/** Raw configuration as written in context. */
export type SwitchboardConfigInput = z.input<typeof SwitchboardConfigSchema>;

/** Configuration with every default applied and every stage-dependent choice resolved. */
export interface SwitchboardConfig
  extends Omit<
    z.output<typeof SwitchboardConfigSchema>,
    'protectData' | 'production' | 'removalPolicy' | 'deletionProtection'
  > {
  /** Whether the stage's data is protected (see the schema); resolved, never undefined. */
  readonly protectData: boolean;
  readonly removalPolicy: (typeof RemovalMode)[keyof typeof RemovalMode];
  readonly deletionProtection: boolean;
  /** Concurrency per queue after overrides. */
  readonly maxConcurrency: Readonly<Record<QueueKey, number>>;
}

/** Thrown when the deployment configuration is invalid; the message lists every bad setting. */
export class InvalidConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidConfigurationError';
  }
}

/** Checks raw configuration and resolves defaults; throws InvalidConfigurationError listing every problem. */
export function parseConfig(input: unknown): SwitchboardConfig {
  const result = SwitchboardConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - switchboard.${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new InvalidConfigurationError(`Invalid Switchboard configuration:\n${problems.join('\n')}`);
  }
  const { production, ...raw } = result.data;
  if (raw.protectData !== undefined && production !== undefined && raw.protectData !== production) {
    throw new InvalidConfigurationError(
      'Invalid Switchboard configuration:\n  - switchboard.production: is the older name of protectData and disagrees with it; set protectData only',
    );
  }
  const protectData = raw.protectData ?? production ?? true;
  const maxConcurrency = Object.fromEntries(
    queues.map((q) => [q.key, raw.concurrency[q.key] ?? q.maxConcurrency]),
  ) as Record<QueueKey, number>;
  return {
    ...raw,
    protectData,
    removalPolicy: raw.removalPolicy ?? (protectData ? RemovalMode.RETAIN : RemovalMode.DESTROY),
    deletionProtection: raw.deletionProtection ?? protectData,
    maxConcurrency,
  };
}

/** Flat context keys accepted on the command line (`-c key=value`), overriding the object. */
const FLAT_KEYS = [
  'stage',
  'protectData',
  'production',
  'removalPolicy',
  'deletionProtection',
  'account',
  'region',
  'retentionDays',
  'logRetentionDays',
  'logLevel',
  'sourceMaps',
  'alarmEmail',
  'alarmTopicArn',
] as const;

/** Short flat keys and the setting each one sets (`-c protect=false`). */
const FLAT_ALIASES = { protect: 'protectData' } as const;

/** Flat keys whose command-line strings are read as booleans. */
const BOOLEAN_KEYS: ReadonlySet<string> = new Set([
  'protect',
  'protectData',
  'production',
  'deletionProtection',
  'sourceMaps',
]);

/** Reads the configuration from a construct node's context (the App's). */
export function configFromContext(tryGetContext: (key: string) => unknown): SwitchboardConfig {
  let base = tryGetContext('switchboard') ?? {};
  if (typeof base === 'string') {
    try {
      base = JSON.parse(base);
    } catch {
      throw new InvalidConfigurationError('Context "switchboard" must be a JSON object');
    }
  }
  if (typeof base !== 'object' || base === null || Array.isArray(base)) {
    throw new InvalidConfigurationError('Context "switchboard" must be a JSON object');
  }
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const key of [...FLAT_KEYS, ...(Object.keys(FLAT_ALIASES) as (keyof typeof FLAT_ALIASES)[])]) {
    const value = tryGetContext(key);
    if (value === undefined) continue;
    const setting = key in FLAT_ALIASES ? FLAT_ALIASES[key as keyof typeof FLAT_ALIASES] : key;
    merged[setting] = BOOLEAN_KEYS.has(key) ? parseBoolean(key, value) : value;
  }
  return parseConfig(merged);
}

// z.coerce.boolean() turns the string "false" into true; command-line context values are strings.
function parseBoolean(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidConfigurationError(`Context "${key}" must be true or false, got "${String(value)}"`);
}
