/**
 * Receipt-timeout checks from the receipts queue (batch, partial failures): each record is a
 * ReceiptCheck; a check not yet due is delayed again, a due one falls back once when no delivery
 * receipt arrived (domain/receipt-timeout.ts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseWith, ReceiptCheckSchema } from '../contract';
import { checkReceipt, type ReceiptTimeoutDependencies } from '../domain/receipt-timeout';
import { receiptTimeoutDependenciesFromEnv } from '../wiring/webhook-ports';
import { lazyHandler } from './shared/lazy-handler';

/** What the receipt-timeout handler needs. */
export interface ReceiptTimeoutHandlerDependencies extends ReceiptTimeoutDependencies {
  readonly logger?: Logger;
}

/** Builds the receipt-timeout handler. */
export function createReceiptTimeoutHandler(deps: ReceiptTimeoutHandlerDependencies) {
  const logger = deps.logger ?? new Logger({ serviceName: 'switchboard-receipt-timeout' });
  const recordHandler = async (record: SQSRecord) => {
    // A malformed check is a bug upstream: it fails, is retried, and lands in the DLQ to be seen.
    const check = parseWith(ReceiptCheckSchema, JSON.parse(record.body), 'ReceiptCheck');
    const outcome = await checkReceipt(check, deps);
    logger.info('Receipt check handled', { messageId: check.messageId, channel: check.channel, outcome });
  };
  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    // One processor per invocation: it holds the batch's state, and the local runtime (unlike Lambda)
    // runs concurrent batches through one handler; a shared one mixed their failures.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, recordHandler, processor, context ? { context } : undefined);
  };
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() => createReceiptTimeoutHandler(receiptTimeoutDependenciesFromEnv()));
