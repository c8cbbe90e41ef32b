/**
 * Production wiring of the ledger's stream consumer: the table names it maps stream ARNs to, the
 * events topic, the outbound queue, the engagement counters and attribution, from the environment
 * (functions/config.ts, functions/learned-routing-config.ts, functions/attribution-config.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SnsEventPublisher } from '../adapters/sns/event-publisher';
import { SqsFallbackQueue } from '../adapters/sqs/fallback-queue';
import { attributionConfigFromEnv } from '../attribution-config';
import { Env, requireEnv, retentionDaysFromEnv } from '../config';
import type { LedgerStreamHandlerDependencies } from '../handlers/ledger-stream';
import { attributionPorts } from './attribution-ports';
import { engagementCountersFromEnv } from './engagement-counters';

/** The stream consumer's dependencies from the environment. */
export function ledgerStreamDependenciesFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const engagement = engagementCountersFromEnv(env);
  const messages = requireEnv(Env.MESSAGES_TABLE, env);
  return {
    tables: {
      messages,
      customers: requireEnv(Env.CUSTOMERS_TABLE, env),
    },
    events: new SnsEventPublisher({
      client: new SNSClient({}),
      topicArn: requireEnv(Env.EVENTS_TOPIC_ARN, env),
    }),
    fallbacks: new SqsFallbackQueue({
      client: new SQSClient({}),
      outboundQueueUrl: requireEnv(Env.OUTBOUND_QUEUE_URL, env),
    }),
    ...(engagement ? { engagement } : {}),
    attribution: attributionPorts({
      client: new DynamoDBClient({}),
      messagesTable: messages,
      retentionDays: retentionDaysFromEnv(env),
      settings: attributionConfigFromEnv(env),
    }),
  } satisfies LedgerStreamHandlerDependencies;
}
