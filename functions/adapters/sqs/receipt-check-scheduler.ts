/**
 * Receipt-timeout checks on the receipts queue. SQS delays a message by at most 15 minutes, so a
 * check due later is sent with the longest delay and, when it arrives early, sent again
 * (domain/receipt-timeout.ts) until due: a 7-day timeout costs about 672 small messages, and no
 * poller ever scans the messages table.
 *
 * A channel sender collects the checks of one invocation ({@link ReceiptCheckBatch}) and sends them
 * with SendMessageBatch, ten per request, instead of one SendMessage per sent attempt.
 */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReceiptCheck } from '../../contract';
import type { ReceiptCheckScheduler } from '../../domain/ports';

/** Entries in one SendMessageBatch (SQS's limit). */
export const SEND_BATCH_LIMIT = 10;
/** Sends of the entries SQS refused before their records are failed. */
const SEND_BATCH_ROUNDS = 3;

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

/** One check collected for a batch, with the SQS record it came from. */
export interface CollectedCheck {
  /** The id of the channel-queue record that owes the check (its `itemIdentifier`). */
  readonly recordId: string;
  readonly check: ReceiptCheck;
}

/**
 * The receipt checks of one sender invocation: {@link ReceiptCheckBatch.forRecord} hands each record
 * a scheduler that only collects; {@link ReceiptCheckBatch.flush} sends them all in batches of ten.
 */
export class ReceiptCheckBatch {
  readonly #options: SqsReceiptCheckSchedulerOptions;
  readonly #collected: CollectedCheck[] = [];

  constructor(options: SqsReceiptCheckSchedulerOptions) {
    this.#options = options;
  }

  /** A scheduler that collects the checks of one record. */
  forRecord(recordId: string): ReceiptCheckScheduler {
    return {
      schedule: async (check) => {
        this.#collected.push({ recordId, check });
      },
    };
  }

  /**
   * Sends every collected check (SendMessageBatch, ten per request; entries SQS refused are sent
   * again, up to three rounds). Returns the ids of the records whose checks could not be sent: the
   * caller fails them so SQS redelivers them, and the redelivered record schedules its check again.
   */
  async flush(): Promise<Set<string>> {
    const failed = new Set<string>();
    const pending = this.#collected.splice(0);
    const now = (this.#options.now ?? (() => new Date()))();
    for (let start = 0; start < pending.length; start += SEND_BATCH_LIMIT) {
      let chunk = pending.slice(start, start + SEND_BATCH_LIMIT);
      for (let round = 0; chunk.length > 0 && round < SEND_BATCH_ROUNDS; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
        try {
          const output = await this.#options.client.send(
            new SendMessageBatchCommand({
              QueueUrl: this.#options.queueUrl,
              Entries: chunk.map(({ check }, index) => ({
                Id: String(index),
                MessageBody: JSON.stringify(check),
                DelaySeconds: receiptCheckDelaySeconds(check.dueAt, now),
              })),
            }),
          );
          const refused = new Set((output.Failed ?? []).map((entry) => Number(entry.Id)));
          chunk = chunk.filter((_, index) => refused.has(index));
        } catch {
          // The whole request failed (throttled, network): try the same entries again.
        }
      }
      for (const { recordId } of chunk) failed.add(recordId);
    }
    return failed;
  }
}

/** Seconds to delay a check due at `dueAt`: 0 when due, at most {@link MAX_SQS_DELAY_SECONDS}. */
export function receiptCheckDelaySeconds(dueAt: string, now: Date): number {
  const seconds = Math.ceil((Date.parse(dueAt) - now.getTime()) / 1000);
  return Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, seconds));
}
