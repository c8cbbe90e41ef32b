/**
 * The channel-queue consumer the four senders share: records delivered by ./channel-record.ts,
 * failures reported per record (Powertools batch), MessageSent / SendFailed counted per channel.
 * Receipt checks are sent together at the end; a record whose check was not sent is failed, so its
 * redelivery schedules the check again.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { SERVICE_NAME } from '../../config';
import type { Channel } from '../../contract';
import type { DeliveryDependencies, DeliveryResult } from '../../domain/delivery';
import { publishOutcomes, senderMetrics, withUnscheduled } from './channel-outcomes';
import { deliverRecord, deliveryLogger, type ReceiptCheckCollector } from './channel-record';

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
  const metrics = ports.metrics ?? senderMetrics(channel);
  const log = deliveryLogger(logger);
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
      return withUnscheduled(response, unscheduled);
    } finally {
      publishOutcomes(metrics, results);
    }
  };
}
