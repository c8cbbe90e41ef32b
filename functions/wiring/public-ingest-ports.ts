/**
 * Production wiring of the public ingest: the touchpoint ports (./touchpoint-ports.ts) and the
 * write-key sources on the customers table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbSourceStore } from '../adapters/dynamodb/source-store';
import type { PublicIngestPorts } from '../handlers/public-ingest';
import { type IngestConfig, ingestConfigFromEnv } from '../touchpoints-config';
import { touchpointPorts } from './touchpoint-ports';

/** The public ingest's ports on DynamoDB; the Lambda entry uses the default client, tests and the local runtime pass their own. */
export function publicIngestPorts(
  config: IngestConfig,
  dynamodb: DynamoDBClient = new DynamoDBClient({}),
): PublicIngestPorts {
  return {
    ...touchpointPorts(config, dynamodb),
    sources: new DynamoDbSourceStore({ client: dynamodb, tableName: config.customersTable }),
    rateLimit: config.rateLimit,
  };
}

/** The public ingest's ports from the environment (functions/config.ts). */
export function publicIngestPortsFromEnv(env: NodeJS.ProcessEnv = process.env): PublicIngestPorts {
  return publicIngestPorts(ingestConfigFromEnv(env));
}
