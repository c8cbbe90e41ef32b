/**
 * Journey timers on the journey-timers queue. A timer within SQS's longest delay (15 minutes) is
 * one delayed message; a longer one goes to EventBridge Scheduler when the stack has it (a one-time
 * schedule that sends the same message at its time and deletes itself), and otherwise, locally,
 * rides the SQS delay chain: the consumer sends a message that arrives early back with the delay
 * left ({@link JourneyTimerQueue.delayAgain}). No state but the queue and the run item.
 *
 * `SWITCHBOARD_TIME_SCALE` compresses journey time here and only here: a timer for one hour of
 * journey time fires after 1 s at a scale of 3600. The run still says when it waits until in
 * journey time.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JourneyTimerMessage } from '../../contract';
import type { JourneyTimer, JourneyTimers } from '../../domain/journeys/journey-ports';
import { MAX_QUEUE_DELAY_SECONDS } from '../../domain/ports';
import { sqsJson } from './sqs-json';

/** Long timers beyond SQS's reach (EventBridge Scheduler on AWS). */
export interface LongTimerScheduler {
  /** Sends `message` to the timers queue at `fireAt`; scheduling the same token twice makes one. */
  schedule(message: JourneyTimerMessage): Promise<void>;
  /** Deletes the schedule of a token; one that fired or never existed is not an error. */
  cancel(token: string): Promise<void>;
}

/** Options of {@link JourneyTimerQueue}. */
export interface JourneyTimerQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** Journey seconds per real second (≥ 1); 1 unless SWITCHBOARD_TIME_SCALE says otherwise. */
  readonly timeScale?: number;
  /** Timers beyond 15 minutes; absent, they ride the SQS delay chain. */
  readonly longTimers?: LongTimerScheduler;
  readonly now?: () => Date;
}

/** {@link JourneyTimers} on the journey-timers queue. */
export class JourneyTimerQueue implements JourneyTimers {
  readonly #options: JourneyTimerQueueOptions;

  constructor(options: JourneyTimerQueueOptions) {
    if (options.timeScale !== undefined && !(options.timeScale >= 1)) {
      throw new RangeError(`the time scale must be a number ≥ 1, not ${options.timeScale}`);
    }
    this.#options = options;
  }

  async schedule(timer: JourneyTimer): Promise<void> {
    const now = this.#now();
    const scale = this.#options.timeScale ?? 1;
    const journeyMs = Math.max(0, Date.parse(timer.at) - now.getTime());
    const fireAt = new Date(now.getTime() + journeyMs / scale).toISOString();
    const message: JourneyTimerMessage = { kind: 'journey-timer', ...timer, fireAt };
    const { longTimers } = this.#options;
    if (longTimers !== undefined && this.#secondsUntil(fireAt) > MAX_QUEUE_DELAY_SECONDS) {
      await longTimers.schedule(message);
      return;
    }
    await this.delayAgain(message);
  }

  async cancel(token: string): Promise<void> {
    // A queued message cannot be taken back: it arrives, and the run, no longer holding its token,
    // ignores it. Only a schedule can be deleted.
    await this.#options.longTimers?.cancel(token);
  }

  /** Whether a timer message is due now (it may arrive early, on the delay chain). */
  isDue(message: JourneyTimerMessage): boolean {
    return this.#secondsUntil(message.fireAt) <= 0;
  }

  /** Puts a timer message back on the queue with the delay left, at most 15 minutes. */
  async delayAgain(message: JourneyTimerMessage): Promise<void> {
    const seconds = this.#secondsUntil(message.fireAt);
    await this.#options.client.send(
      new SendMessageCommand({
        QueueUrl: this.#options.queueUrl,
        MessageBody: sqsJson(message),
        DelaySeconds: Math.min(Math.max(seconds, 0), MAX_QUEUE_DELAY_SECONDS),
      }),
    );
  }

  #secondsUntil(iso: string): number {
    return Math.ceil((Date.parse(iso) - this.#now().getTime()) / 1000);
  }

  #now(): Date {
    return (this.#options.now ?? (() => new Date()))();
  }
}
