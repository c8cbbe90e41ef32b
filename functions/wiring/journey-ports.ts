/**
 * Production wiring of the journey engine: runs and journey versions on the messages table, timers
 * on the journey-timers queue (and EventBridge Scheduler beyond 15 minutes on AWS), messages to the
 * outbound queue, the customer's profile from the customers table, the counts on the messages table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbCustomerAttributes } from '../adapters/dynamodb/customer-attributes';
import { StoredJourneyCatalog } from '../adapters/dynamodb/journey-documents';
import { DynamoDbJourneyRunStore } from '../adapters/dynamodb/journey-run-store';
import { DynamoDbJourneyStats } from '../adapters/dynamodb/journey-stats-store';
import { loadJourneys } from '../adapters/files/journey-files';
import { EventBridgeJourneyTimers } from '../adapters/scheduler/eventbridge-journey-timers';
import { JourneySendQueue } from '../adapters/sqs/journey-send-queue';
import { JourneyTimerQueue } from '../adapters/sqs/journey-timer-queue';
import type { JourneyCatalog, JourneyEnginePorts } from '../domain/journeys/journey-ports';
import { JourneyStatsBuffer } from '../domain/journeys/journey-stats';
import { type JourneysConfig, journeysConfigFromEnv } from '../journeys-config';

/** The engine's ports, and the timer queue the timers consumer delays early messages on. */
export interface JourneyWiring extends JourneyEnginePorts {
  /** The outbound queue, with per-request results for the timers consumer's one publish per batch. */
  readonly sends: JourneySendQueue;
  readonly timerQueue: JourneyTimerQueue;
}

/** How {@link journeyPorts} builds what its configuration does not say. */
export interface JourneyPortsOptions {
  /** Buffer each batch's counts until the consumer flushes (the stream and timer consumers). */
  readonly bufferStats?: boolean;
  /** The deployed journeys, when the caller already holds them (the API's journey routes). */
  readonly catalog?: JourneyCatalog;
}

/**
 * The engine's ports; the Lambda entries use default clients, tests and the local runtime pass
 * their own. `bufferStats`: the counts of a batch are written together when the consumer flushes
 * (the stream and timer consumers); otherwise each run change is counted as it is made (the API).
 */
export function journeyPorts(
  config: JourneysConfig,
  clients: { dynamodb?: DynamoDBClient; sqs?: SQSClient } = {},
  options: JourneyPortsOptions = {},
): JourneyWiring {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({});
  const sqs = clients.sqs ?? new SQSClient({});
  const { scheduler } = config;
  const stats = new DynamoDbJourneyStats({ client: dynamodb, tableName: config.messagesTable });
  const timerQueue = new JourneyTimerQueue({
    client: sqs,
    queueUrl: config.timersQueueUrl,
    timeScale: config.timeScale,
    ...(scheduler
      ? { longTimers: new EventBridgeJourneyTimers({ client: new SchedulerClient({}), ...scheduler }) }
      : {}),
  });
  return {
    runs: new DynamoDbJourneyRunStore({
      client: dynamodb,
      tableName: config.messagesTable,
      retentionDays: config.retentionDays,
    }),
    timers: timerQueue,
    timerQueue,
    sends: new JourneySendQueue({ client: sqs, outboundQueueUrl: config.outboundQueueUrl }),
    catalog:
      options.catalog ??
      new StoredJourneyCatalog({
        client: dynamodb,
        tableName: config.messagesTable,
        journeys: loadJourneys(config.journeysDir),
      }),
    customers: new DynamoDbCustomerAttributes({ client: dynamodb, tableName: config.customersTable }),
    stats: options.bufferStats ? new JourneyStatsBuffer((delta) => stats.add(delta)) : stats,
  };
}

/** The engine's ports from the environment (functions/journeys-config.ts). */
export function journeyPortsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: JourneyPortsOptions = {},
): JourneyWiring {
  return journeyPorts(journeysConfigFromEnv(env), {}, options);
}
