/**
 * Production wiring of the touchpoint ports, shared by `POST /v1/events` (./api-ports.ts) and the
 * touchpoints queue consumer so that both record events through the same adapters.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCustomerAttributes } from '../adapters/dynamodb/customer-attributes';
import { DynamoDbTouchpointStore } from '../adapters/dynamodb/touchpoint-store';
import type { TouchpointPorts } from '../domain/touchpoints/touchpoint-ports';
import { type TouchpointsConfig, touchpointsConfigFromEnv } from '../touchpoints-config';

/** The touchpoint ports on DynamoDB; the Lambda entries use the default client, tests and the local runtime pass their own. */
export function touchpointPorts(
  config: TouchpointsConfig,
  dynamodb: DynamoDBClient = new DynamoDBClient({}),
): TouchpointPorts {
  return {
    touchpoints: new DynamoDbTouchpointStore({
      client: dynamodb,
      tableName: config.messagesTable,
      retentionDays: config.retentionDays,
    }),
    attributes: new DynamoDbCustomerAttributes({ client: dynamodb, tableName: config.customersTable }),
    ...(config.keepClientContext ? { clientContext: { keep: config.keepClientContext } } : {}),
  };
}

/** The touchpoint ports from the environment (functions/config.ts). */
export function touchpointPortsFromEnv(env: NodeJS.ProcessEnv = process.env): TouchpointPorts {
  return touchpointPorts(touchpointsConfigFromEnv(env));
}
