/**
 * The API's ports from its configuration: the customer store, the ledger, the timeline reader and the anonymous contacts
 * on DynamoDB, message requests onto the outbound queue through the typed publisher, the delivery
 * schedules (EventBridge Scheduler) that an erasure deletes, touchpoints (./touchpoint-ports.ts),
 * the attribution aggregates the report reads (./attribution-ports.ts) and the journey routes'
 * catalog, counts and cancel (./journey-operation-ports.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { publishMessage } from '@switchboard/client';
import { DynamoDbCustomerStore } from '../adapters/dynamodb/customer-store';
import { DynamoDbMessageLedger } from '../adapters/dynamodb/message-ledger';
import { DynamoDbTimelineReader } from '../adapters/dynamodb/timeline-reader';
import { DynamoDbWebhookLedger } from '../adapters/dynamodb/webhook-ledger';
import { EventBridgeScheduleCanceller } from '../adapters/scheduler/eventbridge-delivery-scheduler';
import { addressKeyerFromEnv } from '../adapters/secrets/keyed-hash';
import { type ApiConfig, apiConfigFromEnv } from '../config';
import type { AddressKeyer } from '../domain/ports';
import type { ApiPorts } from '../handlers/api';
import { type JourneysConfig, journeysConfigFromEnv } from '../journeys-config';
import { attributionAggregates } from './attribution-ports';
import { journeyOperationPorts } from './journey-operation-ports';
import { journeyPorts } from './journey-ports';
import { touchpointPorts } from './touchpoint-ports';

/** Clients the API's adapters use; the Lambda entry uses the defaults, tests and the local runtime pass their own. */
export interface ApiClients {
  readonly dynamodb?: DynamoDBClient;
  readonly sqs?: SQSClient;
  /** Names addresses in keys; by default from the environment (adapters/secrets/keyed-hash.ts). */
  readonly keyer?: AddressKeyer;
  readonly scheduler?: SchedulerClient;
}

/**
 * The API's ports on the given configuration and clients. `journeys` configures the engine that a
 * journey cancel goes through; without it, it is read from the environment on the first cancel.
 */
export function apiPorts(
  config: ApiConfig & { readonly journeys?: JourneysConfig },
  clients: ApiClients = {},
): ApiPorts {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({});
  const sqs = clients.sqs ?? new SQSClient({});
  const keyer = clients.keyer ?? addressKeyerFromEnv();
  return {
    customers: new DynamoDbCustomerStore({ client: dynamodb, tableName: config.customersTable, keyer }),
    ledger: new DynamoDbMessageLedger({
      client: dynamodb,
      tableName: config.messagesTable,
      retentionDays: config.retentionDays,
    }),
    timeline: new DynamoDbTimelineReader({
      client: dynamodb,
      messagesTable: config.messagesTable,
      customersTable: config.customersTable,
    }),
    contacts: new DynamoDbWebhookLedger({ client: dynamodb, tableName: config.messagesTable, keyer }),
    ...(config.scheduleGroup
      ? {
          schedules: new EventBridgeScheduleCanceller({
            client: clients.scheduler ?? new SchedulerClient({}),
            groupName: config.scheduleGroup,
          }),
        }
      : {}),
    requests: {
      publish: async (request) => {
        await publishMessage(request, { client: sqs, queueUrl: config.outboundQueueUrl });
      },
    },
    aggregates: attributionAggregates({
      client: dynamodb,
      messagesTable: config.messagesTable,
      retentionDays: config.retentionDays,
    }),
    journeys: journeyOperationPorts({
      client: dynamodb,
      messagesTable: config.messagesTable,
      engine: (catalog) =>
        journeyPorts(config.journeys ?? journeysConfigFromEnv(), { dynamodb, sqs }, { catalog }),
    }),
    ...touchpointPorts(config, dynamodb),
  };
}

/** The API's ports from the environment (functions/config.ts). */
export function apiPortsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiPorts {
  return apiPorts(apiConfigFromEnv(env));
}
