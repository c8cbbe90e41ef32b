/**
 * "Do this later" on one machine. On AWS, delays up to 15 minutes are SQS `DelaySeconds` and
 * longer ones an EventBridge Scheduler schedule; locally there is no scheduler, so this holds
 * long delays in a timer and hands them to SQS once they are within SQS's 15-minute reach.
 *
 * The seam: the router's scheduler port (issue 3) gets a local adapter that calls
 * {@link LocalScheduler.schedule}. Timers live in memory: schedules beyond 15 minutes do not
 * survive a restart of `npm start` (documented in docs/local.md).
 */
import { SendMessageCommand, type SendMessageCommandInput, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS's longest delay. */
export const MAX_SQS_DELAY_SECONDS = 15 * 60;

/** One message to put on a queue at a given time. */
export interface ScheduledSend {
  readonly at: Date;
  readonly queueUrl: string;
  readonly body: string;
  readonly messageAttributes?: SendMessageCommandInput['MessageAttributes'];
}

/** Sends messages to SQS at (or just after) their time. */
export class LocalScheduler {
  readonly #sqs: SQSClient;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #log: (message: string, error: unknown) => void;
  #stopped = false;

  constructor(sqs: SQSClient, log: (message: string, error: unknown) => void = () => {}) {
    this.#sqs = sqs;
    this.#log = log;
  }

  /** How many sends are being held in memory. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Schedules a send; within 15 minutes it goes to SQS at once with a delay. */
  async schedule(send: ScheduledSend): Promise<void> {
    if (this.#stopped) throw new Error('The local scheduler has stopped');
    const seconds = Math.max(0, Math.ceil((send.at.getTime() - Date.now()) / 1000));
    if (seconds <= MAX_SQS_DELAY_SECONDS) {
      await this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: send.queueUrl,
          MessageBody: send.body,
          DelaySeconds: seconds,
          ...(send.messageAttributes ? { MessageAttributes: send.messageAttributes } : {}),
        }),
      );
      return;
    }
    // Wake when the send is 15 minutes away (at most ~24 days per timer: Node's limit).
    const wakeInMs = Math.min((seconds - MAX_SQS_DELAY_SECONDS) * 1000, 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.schedule(send).catch((error: unknown) => this.#log('local scheduler: send failed', error));
    }, wakeInMs);
    this.#timers.add(timer);
  }

  /** Drops every held send. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
