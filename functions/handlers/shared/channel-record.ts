/**
 * One record of a channel queue: parsed through the contract, checked to be on its channel's queue,
 * delivered by domain/deliver-channel-message.ts. A failure is logged (never the body: it holds
 * addresses and text) and thrown, so the batch reports the record and SQS retries it.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import { type Channel, ChannelMessageSchema, parseWith } from '../../contract';
import {
  type DeliveryDependencies,
  type DeliveryLogger,
  type DeliveryResult,
  deliverChannelMessage,
} from '../../domain/delivery';
import type { ReceiptCheckScheduler } from '../../domain/ports';

/** Delivers one record of `channel`'s queue with `deps`. */
export async function deliverRecord(
  channel: Channel,
  record: SQSRecord,
  deps: DeliveryDependencies,
  logger: Logger,
): Promise<DeliveryResult> {
  try {
    // A record that does not parse is a bug upstream: it fails, is retried, and lands in the DLQ.
    const message = parseWith(ChannelMessageSchema, JSON.parse(record.body), 'ChannelMessage');
    if (message.channel !== channel) {
      throw new TypeError(`A ${message.channel} message is on the ${channel} queue`);
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
    // Unique per invocation and record: a duplicate delivery running at the same time must not share the lease.
    const owner = randomUUID();
    return await deliverChannelMessage({ message, receiveCount, owner }, deps);
  } catch (error) {
    logger.warn('Record not delivered; it will be retried', {
      sqsMessageId: record.messageId,
      receiveCount: record.attributes?.ApproximateReceiveCount,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
    throw error;
  }
}

/** The receipt checks of one invocation: collected per record; `flush` sends them and returns the records whose checks were not sent. */
export interface ReceiptCheckCollector {
  forRecord(recordId: string): ReceiptCheckScheduler;
  flush(): Promise<Set<string>>;
}

/** The use case's logger on Powertools (which takes its extra keys as one object). */
export function deliveryLogger(logger: Logger): DeliveryLogger {
  return {
    info: (message, extra = {}) => logger.info(message, extra),
    warn: (message, extra = {}) => logger.warn(message, extra),
  };
}
