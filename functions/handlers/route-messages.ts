/**
 * The router: consumes the outbound queue (batches of up to 10), plans and records each message,
 * and hands it to its channel queues. See domain/routing/route-batch.ts for the main path.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoDbCustomerStore } from '../adapters/dynamodb/customer-store';
import { DEFAULT_RETENTION_DAYS, DynamoDbMessageLedger } from '../adapters/dynamodb/message-ledger';
import { loadTemplateSet } from '../adapters/files/template-files';
import { EventBridgeDeliveryScheduler } from '../adapters/scheduler/eventbridge-delivery-scheduler';
import { SqsChannelDispatcher } from '../adapters/sqs/channel-dispatcher';
import { SqsDelayChainScheduler } from '../adapters/sqs/delay-chain-scheduler';
import { Env, optionalEnv, positiveIntEnv, requireEnv } from '../config';
import { type Channel, QuietHoursSchema, timeZone } from '../contract';
import { createMessageRenderer } from '../domain/literal-content-renderer';
import { DEFAULT_ROUTING, type RoutingDefaults } from '../domain/plan-route';
import type { DeliveryScheduler, MessageRenderer } from '../domain/ports';
import { type RecordResult, routeBatch } from '../domain/routing';
import { TemplateRenderer } from '../domain/templates/template-renderer';

/** Where the router finds its tables and queues, and its routing defaults. */
export interface RouteMessagesConfig {
  readonly customersTable: string;
  readonly messagesTable: string;
  readonly outboundQueueUrl: string;
  readonly channelQueueUrls: Readonly<Record<Channel, string>>;
  readonly retentionDays: number;
  readonly defaults: RoutingDefaults;
  /** EventBridge Scheduler settings; without them long delays chain through SQS (local runtime). */
  readonly scheduler?: {
    readonly outboundQueueArn: string;
    readonly roleArn: string;
    readonly groupName: string;
  };
}

/** What the router is built from; tests and the local runtime pass their own clients. */
export interface RouteMessagesDeps {
  readonly config: RouteMessagesConfig;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  /** Overrides the scheduler chosen from config. */
  readonly scheduler?: DeliveryScheduler;
  /** The template renderer, when this build has one; literal content needs none. */
  readonly templates?: MessageRenderer;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => Date;
}

/** Reads the router's configuration from the environment, failing fast on a missing variable. */
export function routeMessagesConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RouteMessagesConfig {
  const roleArn = env[Env.SCHEDULER_ROLE_ARN];
  return {
    customersTable: requireEnv(Env.CUSTOMERS_TABLE, env),
    messagesTable: requireEnv(Env.MESSAGES_TABLE, env),
    outboundQueueUrl: requireEnv(Env.OUTBOUND_QUEUE_URL, env),
    channelQueueUrls: {
      sms: requireEnv(Env.SMS_QUEUE_URL, env),
      whatsapp: requireEnv(Env.WHATSAPP_QUEUE_URL, env),
      email: requireEnv(Env.EMAIL_QUEUE_URL, env),
      push: requireEnv(Env.PUSH_QUEUE_URL, env),
    },
    retentionDays: positiveIntEnv(Env.RETENTION_DAYS, DEFAULT_RETENTION_DAYS, env),
    defaults: routingDefaultsFromEnv(env),
    ...(roleArn
      ? {
          scheduler: {
            roleArn,
            outboundQueueArn: requireEnv(Env.OUTBOUND_QUEUE_ARN, env),
            groupName: optionalEnv(Env.SCHEDULE_GROUP, 'default', env),
          },
        }
      : {}),
  };
}

/** Default time zone and quiet hours from the environment. */
export function routingDefaultsFromEnv(env: NodeJS.ProcessEnv = process.env): RoutingDefaults {
  const zone = optionalEnv(Env.DEFAULT_TIMEZONE, DEFAULT_ROUTING.timeZone, env);
  // A configured zone is checked here, so a typo fails at start-up rather than on the first
  // marketing message. The built-in UTC is not: the check loads Intl's time-zone data (~20 ms of a
  // ~140 ms cold start, `npm run bench:cold`), which transactional messages never need otherwise.
  if (zone !== DEFAULT_ROUTING.timeZone && !timeZone.safeParse(zone).success) {
    throw new Error(`Environment variable ${Env.DEFAULT_TIMEZONE} must be an IANA time zone, got "${zone}"`);
  }
  const raw = env[Env.QUIET_HOURS];
  if (!raw) return { timeZone: zone, quietHours: DEFAULT_ROUTING.quietHours };
  const [start, end] = raw.split('-');
  const quietHours = QuietHoursSchema.safeParse({ start: start?.trim(), end: end?.trim() });
  if (!quietHours.success) {
    throw new Error(`Environment variable ${Env.QUIET_HOURS} must look like 21:00-08:00, got "${raw}"`);
  }
  return { timeZone: zone, quietHours: quietHours.data };
}

/** Builds the router's Lambda handler from its dependencies. */
export function createRouteMessagesHandler(deps: RouteMessagesDeps) {
  const { config } = deps;
  const logger = deps.logger ?? new Logger({ serviceName: 'router' });
  const metrics = deps.metrics ?? new Metrics({ namespace: 'Switchboard', serviceName: 'router' });
  const customers = new DynamoDbCustomerStore({ client: deps.dynamodb, tableName: config.customersTable });
  const ledger = new DynamoDbMessageLedger({
    client: deps.dynamodb,
    tableName: config.messagesTable,
    retentionDays: config.retentionDays,
  });
  const dispatcher = new SqsChannelDispatcher({ client: deps.sqs, queueUrls: config.channelQueueUrls });
  const scheduler =
    deps.scheduler ??
    (config.scheduler
      ? new EventBridgeDeliveryScheduler({ client: new SchedulerClient({}), ...config.scheduler })
      : new SqsDelayChainScheduler({
          client: deps.sqs,
          outboundQueueUrl: config.outboundQueueUrl,
          now: deps.now,
        }));
  const renderer = createMessageRenderer(deps.templates);

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    // One processor per invocation: it holds the batch's state, and the local runtime (unlike Lambda)
    // runs concurrent batches through one handler; a shared one mixed their failures.
    const processor = new BatchProcessor(EventType.SQS);
    const counts = new Map<string, number>();
    const results = await routeBatch(
      event.Records.map((record) => ({ id: record.messageId, body: record.body })),
      {
        customers,
        ledger,
        dispatcher,
        scheduler,
        renderer,
        defaults: config.defaults,
        logger: {
          info: (message, extra = {}) => logger.info(message, extra),
          warn: (message, extra = {}) => logger.warn(message, extra),
          error: (message, extra = {}) => logger.error(message, extra),
        },
        metrics: { count: (name, value = 1) => counts.set(name, (counts.get(name) ?? 0) + value) },
        ...(deps.now ? { now: deps.now } : {}),
      },
    );
    for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
    metrics.publishStoredMetrics();
    const byId = new Map<string, RecordResult>(results.map((result) => [result.id, result]));
    // Powertools turns each thrown error into a batch item failure. When every record failed the
    // response lists them all rather than throwing, so that the failures stay itemised in the logs.
    const settle = (record: SQSRecord) => {
      const result = byId.get(record.messageId);
      if (!result || result.error) throw result?.error ?? new Error('no result for this record');
      return result.outcome;
    };
    return processPartialResponse(event, settle, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
  };
}

let lambdaHandler: ReturnType<typeof createRouteMessagesHandler> | undefined;

/** The Lambda entry: built once per container from the environment, on first use. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  if (!lambdaHandler) {
    const config = routeMessagesConfigFromEnv();
    lambdaHandler = createRouteMessagesHandler({
      config,
      dynamodb: new DynamoDBClient({}),
      sqs: new SQSClient({}),
      // The bundler writes the template set beside the handler (templates.json, infra/bundling.mjs).
      templates: new TemplateRenderer({
        templates: loadTemplateSet(),
        defaultTimeZone: config.defaults.timeZone,
      }),
    });
  }
  return lambdaHandler(event, context);
};
