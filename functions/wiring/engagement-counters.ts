/** The ledger stream's engagement counters on the customers table, from the environment (learned-routing-config.ts). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEngagementCounters } from '../adapters/dynamodb/engagement-counters';
import { Env, requireEnv } from '../config';
import { learnedRoutingConfigFromEnv } from '../learned-routing-config';

/** The engagement counters with the configured half-life and population shards; none when counting is off. */
export function engagementCountersFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): DynamoDbEngagementCounters | undefined {
  const learned = learnedRoutingConfigFromEnv(env);
  if (!learned.counting) return undefined;
  return new DynamoDbEngagementCounters({
    client: new DynamoDBClient({}),
    tableName: requireEnv(Env.CUSTOMERS_TABLE, env),
    halfLifeDays: learned.choice.halfLifeDays,
    populationShards: learned.populationShards,
  });
}
