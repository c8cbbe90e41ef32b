/**
 * The one channel-queue consumer the four senders share: each record is parsed through the
 * contract and delivered by domain/delivery/deliver-channel-message.ts; failures are reported per record
 * (Powertools batch), and MessageSent / SendFailed are counted per channel. The receipt-timeout
 * checks of one invocation are sent together at its end (SendMessageBatch); a record whose check
 * could not be sent is failed, so SQS redelivers it and the redelivery schedules the check again.
 */
import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoDbCustomerStore } from '../../adapters/dynamodb/customer-store';
import { DEFAULT_RETENTION_DAYS, DynamoDbMessageLedger } from '../../adapters/dynamodb/message-ledger';
import { SqsFallbackQueue } from '../../adapters/sqs/fallback-queue';
import { ReceiptCheckBatch } from '../../adapters/sqs/receipt-check-scheduler';
import {
  CHANNEL_DIMENSION,
  DEFAULT_MAX_RETRYABLE_FAILURES,
  DEFAULT_SEND_LEASE_SECONDS,
  Env,
  METRICS_NAMESPACE,
  positiveIntEnv,
  requireEnv,
  SERVICE_NAME,
  SenderEnv,
  SenderMetric,
} from '../../config';
import { type Channel, ChannelMessageSchema, parseWith } from '../../contract';
import {
  DeliveryOutcome,
  type DeliveryPolicy,
  type DeliveryResult,
  deliverChannelMessage,
} from '../../domain/delivery';
import type { ChannelSender } from '../../domain/ports';

/** Where a channel sender finds its tables and queues, and its lease and retry settings. */
export interface ChannelConsumerConfig {
  readonly customersTable: string;
  readonly messagesTable: string;
  /** Where fallback requests go (the router's queue). */
  readonly outboundQueueUrl: string;
  /** Where receipt-timeout checks go. */
  readonly receiptsQueueUrl: string;
  readonly retentionDays: number;
  readonly policy: DeliveryPolicy;
}

/** What a channel sender is built from; tests and the local runtime pass their own. */
export interface ChannelConsumerDeps {
  /** The provider (or sandbox) sender for the channel. */
  readonly sender: ChannelSender;
  /** Read from the environment when absent. */
  readonly config?: ChannelConsumerConfig;
  readonly dynamodb?: DynamoDBClient;
  readonly sqs?: SQSClient;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => Date;
}

/** Reads a channel sender's configuration from the environment, failing fast on a missing variable. */
export function channelConsumerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelConsumerConfig {
  return {
    customersTable: requireEnv(Env.CUSTOMERS_TABLE, env),
    messagesTable: requireEnv(Env.MESSAGES_TABLE, env),
    outboundQueueUrl: requireEnv(Env.OUTBOUND_QUEUE_URL, env),
    receiptsQueueUrl: requireEnv(Env.RECEIPTS_QUEUE_URL, env),
    retentionDays: positiveIntEnv(Env.RETENTION_DAYS, DEFAULT_RETENTION_DAYS, env),
    policy: {
      leaseSeconds: positiveIntEnv(SenderEnv.LEASE_SECONDS, DEFAULT_SEND_LEASE_SECONDS, env),
      maxRetryableFailures: positiveIntEnv(
        SenderEnv.MAX_RETRYABLE_FAILURES,
        DEFAULT_MAX_RETRYABLE_FAILURES,
        env,
      ),
    },
  };
}

/** A channel queue consumer's Lambda handler. */
export type ChannelHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/** Builds the consumer of one channel's queue around its sender. */
export function createChannelConsumer(channel: Channel, deps: ChannelConsumerDeps): ChannelHandler {
  if (deps.sender.channel !== channel) {
    throw new TypeError(`The ${channel} consumer was given a ${deps.sender.channel} sender`);
  }
  const config = deps.config ?? channelConsumerConfigFromEnv();
  const dynamodb = deps.dynamodb ?? new DynamoDBClient({});
  const sqs = deps.sqs ?? new SQSClient({});
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE_NAME, persistentKeys: { channel } });
  const metrics =
    deps.metrics ??
    new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
      defaultDimensions: { [CHANNEL_DIMENSION]: channel },
    });
  const ledger = new DynamoDbMessageLedger({
    client: dynamodb,
    tableName: config.messagesTable,
    retentionDays: config.retentionDays,
  });
  const delivery = {
    sender: deps.sender,
    ledger,
    customers: new DynamoDbCustomerStore({ client: dynamodb, tableName: config.customersTable }),
    fallback: new SqsFallbackQueue({ client: sqs, outboundQueueUrl: config.outboundQueueUrl }),
    policy: config.policy,
    ...(deps.now ? { now: deps.now } : {}),
    logger: {
      info: (message: string, extra: Record<string, unknown> = {}) => logger.info(message, extra),
      warn: (message: string, extra: Record<string, unknown> = {}) => logger.warn(message, extra),
    },
  };

  const receiptsOptions = {
    client: sqs,
    queueUrl: config.receiptsQueueUrl,
    ...(deps.now ? { now: deps.now } : {}),
  };

  return async (event, context) => {
    // One processor per invocation: it holds the batch's state, and the local runtime (unlike Lambda)
    // runs concurrent batches through one handler; a shared one mixed their failures.
    const processor = new BatchProcessor(EventType.SQS);
    const results: DeliveryResult[] = [];
    const receipts = new ReceiptCheckBatch(receiptsOptions);
    const recordHandler = async (record: SQSRecord): Promise<DeliveryResult['outcome']> => {
      try {
        // A record that does not parse is a bug upstream: it fails, is retried, and lands in the
        // DLQ where it can be seen. Its body is never logged (it holds addresses and text).
        const message = parseWith(ChannelMessageSchema, JSON.parse(record.body), 'ChannelMessage');
        if (message.channel !== channel) {
          throw new TypeError(`A ${message.channel} message is on the ${channel} queue`);
        }
        const result = await deliverChannelMessage(
          {
            message,
            receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1,
            // Unique per invocation and record: a duplicate delivery running at the same time
            // must not share the lease.
            owner: randomUUID(),
          },
          { ...delivery, receipts: receipts.forRecord(record.messageId) },
        );
        results.push(result);
        return result.outcome;
      } catch (error) {
        logger.warn('Record not delivered; it will be retried', {
          sqsMessageId: record.messageId,
          receiveCount: record.attributes?.ApproximateReceiveCount,
          error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
        });
        throw error;
      }
    };
    try {
      // Partial failures are returned, never thrown for a whole failed batch, so that every failed
      // record is logged as itself.
      const response = await processPartialResponse(event, recordHandler, processor, {
        ...(context ? { context } : {}),
        throwOnFullBatchFailure: false,
      });
      const unscheduled = await receipts.flush();
      if (unscheduled.size === 0) return response;
      logger.warn('Receipt checks not scheduled; their records will be redelivered', {
        records: unscheduled.size,
      });
      const failures = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      for (const id of unscheduled) failures.add(id);
      return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
    } finally {
      const sent = results.filter((result) => result.outcome === DeliveryOutcome.SENT).length;
      const failed = results.filter((result) => result.outcome === DeliveryOutcome.FAILED).length;
      if (sent > 0) metrics.addMetric(SenderMetric.SENT, MetricUnit.Count, sent);
      if (failed > 0) metrics.addMetric(SenderMetric.FAILED, MetricUnit.Count, failed);
      if (sent + failed > 0) metrics.publishStoredMetrics();
    }
  };
}
