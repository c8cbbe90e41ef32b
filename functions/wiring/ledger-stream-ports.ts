/**
 * Production wiring of the ledger's stream consumer: the table names it maps stream ARNs to, the
 * events topic, the outbound queue and the engagement counters, from the environment
 * (functions/config.ts, functions/learned-routing-config.ts).
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SnsEventPublisher } from '../adapters/sns/event-publisher';
import { SqsFallbackQueue } from '../adapters/sqs/fallback-queue';
import { Env, requireEnv } from '../config';
import type { LedgerStreamHandlerDependencies } from '../handlers/ledger-stream';
import { engagementCountersFromEnv } from './engagement-counters';

/** The stream consumer's dependencies from the environment. */
export function ledgerStreamDependenciesFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const engagement = engagementCountersFromEnv(env);
  return {
    tables: {
      messages: requireEnv(Env.MESSAGES_TABLE, env),
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
  } satisfies LedgerStreamHandlerDependencies;
}
