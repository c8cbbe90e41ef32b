/**
 * The API's ports from its configuration: the customer store and the ledger on DynamoDB, message
 * requests onto the outbound queue through the typed publisher.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { publishMessage } from '@switchboard/client';
import { DynamoDbCustomerStore } from '../adapters/dynamodb/customer-store';
import { DynamoDbMessageLedger } from '../adapters/dynamodb/message-ledger';
import { addressKeyerFromEnv } from '../adapters/secrets/keyed-hash';
import { type ApiConfig, apiConfigFromEnv } from '../config';
import type { AddressKeyer } from '../domain/ports';
import type { ApiPorts } from '../handlers/api';

/** Clients the API's adapters use; the Lambda entry uses the defaults, tests and the local runtime pass their own. */
export interface ApiClients {
  readonly dynamodb?: DynamoDBClient;
  readonly sqs?: SQSClient;
  /** Names addresses in keys; by default from the environment (adapters/secrets/keyed-hash.ts). */
  readonly keyer?: AddressKeyer;
}

/** The API's ports on the given configuration and clients. */
export function apiPorts(config: ApiConfig, clients: ApiClients = {}): ApiPorts {
  const dynamodb = clients.dynamodb ?? new DynamoDBClient({});
  const sqs = clients.sqs ?? new SQSClient({});
  return {
    customers: new DynamoDbCustomerStore({
      client: dynamodb,
      tableName: config.customersTable,
      keyer: clients.keyer ?? addressKeyerFromEnv(),
    }),
    ledger: new DynamoDbMessageLedger({
      client: dynamodb,
      tableName: config.messagesTable,
      retentionDays: config.retentionDays,
    }),
    requests: {
      publish: async (request) => {
        await publishMessage(request, { client: sqs, queueUrl: config.outboundQueueUrl });
      },
    },
  };
}

/** The API's ports from the environment (functions/config.ts). */
export function apiPortsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiPorts {
  return apiPorts(apiConfigFromEnv(env));
}
