/**
 * The ledger's stream consumer (the transactional outbox): DynamoDB Streams records of the
 * messages and customers tables, in order per shard; each change's events go to the events topic,
 * its owed fallbacks to the outbound queue, and its engagement to the counters on the customers
 * table (domain/ledger-outbox.ts).
 *
 * Records are handled one by one; the batch stops at the first failure and reports it, so Lambda
 * retries from that record and no later change of an item is published before it. (Powertools'
 * BatchProcessor carries on past a failure: right for SQS, a reordering for a stream.)
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type LedgerTableNames, toLedgerChange } from '../adapters/dynamodb/stream-records';
import { SnsEventPublisher } from '../adapters/sns/event-publisher';
import { SqsFallbackQueue } from '../adapters/sqs/fallback-queue';
import { Env, requireEnv } from '../config';
import { type LedgerOutboxPorts, relayLedgerChange } from '../domain/ledger-outbox';
import { engagementCountersFromEnv } from '../wiring/engagement-counters';

/** What the stream consumer needs. */
export interface LedgerStreamHandlerDependencies extends LedgerOutboxPorts {
  readonly tables: LedgerTableNames;
  readonly logger?: Logger;
}

/** Builds the stream consumer. */
export function createLedgerStreamHandler(deps: LedgerStreamHandlerDependencies) {
  const logger = deps.logger ?? new Logger({ serviceName: 'switchboard-ledger-stream' });
  return async (event: DynamoDBStreamEvent, _context?: Context): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      try {
        const sent = await relayLedgerChange(toLedgerChange(record, deps.tables), deps);
        if (sent.events + sent.fallbacks > 0) logger.debug('Ledger change relayed', { ...sent });
      } catch (error) {
        logger.error('Ledger change not relayed; retried from here', {
          sequenceNumber: record.dynamodb?.SequenceNumber,
          error,
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

/** The stream consumer's dependencies from the environment. */
export function ledgerStreamDependenciesFromEnv(env: NodeJS.ProcessEnv = process.env) {
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
    engagement: engagementCountersFromEnv(env),
  } satisfies LedgerStreamHandlerDependencies;
}

let built: ReturnType<typeof createLedgerStreamHandler> | undefined;
/** The Lambda entry point, wired from the environment on first use. */
export const handler = (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  built ??= createLedgerStreamHandler(ledgerStreamDependenciesFromEnv());
  return built(event, context);
};
