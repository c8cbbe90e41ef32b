/** Production wiring of the short-link redirect: the link store on the messages table. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLinkStore } from '../adapters/dynamodb/link-store';
import { Env, requireEnv, retentionDaysFromEnv } from '../config';
import type { LinkStore } from '../domain/links/link-ports';

/** The link store from the environment; the local runtime and tests pass their own client. */
export function linkStoreFromEnv(
  dynamodb: DynamoDBClient = new DynamoDBClient({}),
  env: NodeJS.ProcessEnv = process.env,
): LinkStore {
  return new DynamoDbLinkStore({
    client: dynamodb,
    tableName: requireEnv(Env.MESSAGES_TABLE, env),
    retentionDays: retentionDaysFromEnv(env),
  });
}
