/**
 * The end of a journey timers batch: the messages its timers asked for are published together
 * (functions/domain/journeys/journey-send-buffer.ts `JourneySendBuffer`), and every record whose
 * messages did not all go out joins the batch's failures, so SQS brings it back and the engine
 * carries its run's last effects out again.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse } from 'aws-lambda';
import { RetryLaterError } from '../../domain/errors';
import type { JourneySendBuffer } from '../../domain/journeys/journey-send-buffer';

/** Publishes what the batch collected; returns `response` with the records not fully published added. */
export async function publishJourneySends(
  sends: JourneySendBuffer,
  response: SQSBatchResponse,
  logger: Logger,
): Promise<SQSBatchResponse> {
  const unsent = await sends.flush();
  if (unsent.length === 0) return response;
  const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
  for (const { inputId, requestIds, error } of unsent) {
    // A refused request is a broken document (as when the engine published it itself): it fails
    // its record until the DLQ; a transient refusal is retried with the record.
    const level = error instanceof RetryLaterError ? 'warn' : 'error';
    logger[level]('Journey messages not published; the timer comes back', {
      messageId: inputId,
      requestIds,
      error,
    });
    failed.add(inputId);
  }
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}
