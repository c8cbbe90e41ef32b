/**
 * The one channel-queue consumer the four senders share: each record is delivered by
 * ./channel-record.ts; failures are reported per record (Powertools batch), and MessageSent /
 * SendFailed are counted per channel. The receipt-timeout checks of one invocation are sent together
 * at its end; a record whose check could not be sent is failed, so SQS redelivers it and the
 * redelivery schedules the check again.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { CHANNEL_DIMENSION, METRICS_NAMESPACE, SERVICE_NAME, SenderMetric } from '../../config';
import type { Channel } from '../../contract';
import {
  type DeliveryDependencies,
  DeliveryOutcome,
  type DeliveryResult,
} from '../../domain/deliver-channel-message';
import type { ReceiptCheckScheduler } from '../../domain/ports';
import { deliverRecord } from './channel-record';

/** The receipt checks of one invocation: collected per record; `flush` sends them and returns the records whose checks were not sent. */
export interface ReceiptCheckCollector {
  forRecord(recordId: string): ReceiptCheckScheduler;
  flush(): Promise<Set<string>>;
}

/** What a channel consumer is built from; the Lambda entries wire them from the environment. */
export interface ChannelConsumerPorts extends Omit<DeliveryDependencies, 'receipts' | 'logger'> {
  /** A new collector per invocation. */
  readonly receipts: () => ReceiptCheckCollector;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** A channel queue consumer's Lambda handler. */
export type ChannelHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/** Builds the consumer of one channel's queue around its ports. */
export function createChannelConsumer(channel: Channel, ports: ChannelConsumerPorts): ChannelHandler {
  if (ports.sender.channel !== channel) {
    throw new TypeError(`The ${channel} consumer was given a ${ports.sender.channel} sender`);
  }
  const logger = ports.logger ?? new Logger({ serviceName: SERVICE_NAME, persistentKeys: { channel } });
  const defaultDimensions = { [CHANNEL_DIMENSION]: channel };
  const metrics =
    ports.metrics ??
    new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions });
  const log = {
    info: (message: string, extra = {}) => logger.info(message, extra),
    warn: (message: string, extra = {}) => logger.warn(message, extra),
  };
  return async (event, context) => {
    // One processor per invocation: it holds the batch's state, and the local runtime (unlike Lambda)
    // runs concurrent batches through one handler; a shared one mixed their failures.
    const processor = new BatchProcessor(EventType.SQS);
    const results: DeliveryResult[] = [];
    const receipts = ports.receipts();
    const recordHandler = async (record: SQSRecord) => {
      const deps = { ...ports, logger: log, receipts: receipts.forRecord(record.messageId) };
      const result = await deliverRecord(channel, record, deps, logger);
      results.push(result);
      return result.outcome;
    };
    try {
      // Partial failures are returned, never thrown for a whole failed batch, so that every failed
      // record is logged as itself.
      const options = { ...(context ? { context } : {}), throwOnFullBatchFailure: false };
      const response = await processPartialResponse(event, recordHandler, processor, options);
      const unscheduled = await receipts.flush();
      if (unscheduled.size === 0) return response;
      logger.warn('Receipt checks not scheduled; their records will be redelivered', {
        records: unscheduled.size,
      });
      const failures = new Set([
        ...response.batchItemFailures.map((failure) => failure.itemIdentifier),
        ...unscheduled,
      ]);
      return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
    } finally {
      const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
      const [sent, failed] = [count(DeliveryOutcome.SENT), count(DeliveryOutcome.FAILED)];
      if (sent > 0) metrics.addMetric(SenderMetric.SENT, MetricUnit.Count, sent);
      if (failed > 0) metrics.addMetric(SenderMetric.FAILED, MetricUnit.Count, failed);
      if (sent + failed > 0) metrics.publishStoredMetrics();
    }
  };
}
