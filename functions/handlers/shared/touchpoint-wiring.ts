/**
 * Production wiring of the touchpoint ports, shared by the API route and the touchpoints queue
 * consumer so that both record events through the same adapters.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCustomerAttributes } from '../../adapters/dynamodb/customer-attributes';
import { DEFAULT_RETENTION_DAYS } from '../../adapters/dynamodb/message-ledger';
import { DynamoDbTouchpointStore } from '../../adapters/dynamodb/touchpoint-store';
import { Env, positiveIntEnv, requireEnv } from '../../config';
import type { CustomerAttributes, TouchpointStore } from '../../domain/touchpoints/touchpoint-ports';

/** Where touchpoints and the profiles their traits update live. */
export interface TouchpointsConfig {
  readonly customersTable: string;
  readonly messagesTable: string;
  readonly retentionDays: number;
}

/** Reads the touchpoint configuration from the environment, failing fast on a missing variable. */
export function touchpointsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TouchpointsConfig {
  return {
    customersTable: requireEnv(Env.CUSTOMERS_TABLE, env),
    messagesTable: requireEnv(Env.MESSAGES_TABLE, env),
    retentionDays: positiveIntEnv(Env.RETENTION_DAYS, DEFAULT_RETENTION_DAYS, env),
  };
}

/** The touchpoint ports on DynamoDB. */
export function touchpointPorts(
  config: TouchpointsConfig,
  dynamodb: DynamoDBClient,
): { touchpoints: TouchpointStore; attributes: CustomerAttributes } {
  return {
    touchpoints: new DynamoDbTouchpointStore({
      client: dynamodb,
      tableName: config.messagesTable,
      retentionDays: config.retentionDays,
    }),
    attributes: new DynamoDbCustomerAttributes({ client: dynamodb, tableName: config.customersTable }),
  };
}
