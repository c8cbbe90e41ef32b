/**
 * Receipt-timeout checks on the receipts queue. SQS delays a message by at most 15 minutes, so a
 * check due later is sent with the longest delay and, when it arrives early, sent again
 * (domain/receipt-timeout.ts) until due: a 7-day timeout costs about 672 small messages, and no
 * poller ever scans the messages table.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReceiptCheck } from '../contract';
import type { ReceiptCheckScheduler } from '../domain/ports';

/** SQS's longest DelaySeconds. */
export const MAX_SQS_DELAY_SECONDS = 900;

/** Where to schedule. */
export interface SqsReceiptCheckSchedulerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly now?: () => Date;
}

/** A {@link ReceiptCheckScheduler} on an SQS queue with per-message delays. */
export class SqsReceiptCheckScheduler implements ReceiptCheckScheduler {
  readonly #options: SqsReceiptCheckSchedulerOptions;

  constructor(options: SqsReceiptCheckSchedulerOptions) {
    this.#options = options;
  }

  /** Sends the check, delayed until it is due or by 15 minutes, whichever is sooner. */
  async schedule(check: ReceiptCheck): Promise<void> {
    const now = (this.#options.now ?? (() => new Date()))();
    await this.#options.client.send(
      new SendMessageCommand({
        QueueUrl: this.#options.queueUrl,
        MessageBody: JSON.stringify(check),
        DelaySeconds: receiptCheckDelaySeconds(check.dueAt, now),
      }),
    );
  }
}

/** Seconds to delay a check due at `dueAt`: 0 when due, at most {@link MAX_SQS_DELAY_SECONDS}. */
export function receiptCheckDelaySeconds(dueAt: string, now: Date): number {
  const seconds = Math.ceil((Date.parse(dueAt) - now.getTime()) / 1000);
  return Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, seconds));
}
