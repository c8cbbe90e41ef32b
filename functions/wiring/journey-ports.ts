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
import type { JourneyEnginePorts } from '../domain/journeys/journey-ports';
import { type JourneysConfig, journeysConfigFromEnv } from '../journeys-config';

/** The engine's ports, and the timer queue the timers consumer delays early messages on. */
export interface JourneyWiring extends JourneyEnginePorts {
  readonly timerQueue: JourneyTimerQueue;
}

/** The engine's ports; the Lambda entries use default clients, tests and the local runtime pass their own. */
export function journeyPorts(
  config: JourneysConfig,
  clients: { dynamodb?: DynamoDBClient; sqs?: SQSClient } = {},
): JourneyWiring {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({});
  const sqs = clients.sqs ?? new SQSClient({});
  const { scheduler } = config;
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
    catalog: new StoredJourneyCatalog({
      client: dynamodb,
      tableName: config.messagesTable,
      journeys: loadJourneys(config.journeysDir),
    }),
    customers: new DynamoDbCustomerAttributes({ client: dynamodb, tableName: config.customersTable }),
    stats: new DynamoDbJourneyStats({ client: dynamodb, tableName: config.messagesTable }),
  };
}

/** The engine's ports from the environment (functions/journeys-config.ts). */
export function journeyPortsFromEnv(env: NodeJS.ProcessEnv = process.env): JourneyWiring {
  return journeyPorts(journeysConfigFromEnv(env));
}
