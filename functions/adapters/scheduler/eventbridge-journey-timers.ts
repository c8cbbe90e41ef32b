/**
 * Journey timers beyond 15 minutes on EventBridge Scheduler: a one-time schedule per timer token
 * that sends the timer message to the journey-timers queue at its time and deletes itself. A run
 * that leaves its wait early deletes the schedule, so a converted cart leaves no schedule behind.
 */
import { createHash } from 'node:crypto';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { JourneyTimerMessage } from '../../contract';
import type { LongTimerScheduler } from '../sqs/journey-timer-queue';
import { sqsJson } from '../sqs/sqs-json';
import { createOneTimeSchedule, deleteSchedule } from './one-time-schedules';

/** Options of {@link EventBridgeJourneyTimers}. */
export interface EventBridgeJourneyTimersOptions {
  readonly client: SchedulerClient;
  /** ARN of the journey-timers queue. */
  readonly queueArn: string;
  /** The role EventBridge Scheduler assumes to send to the queue (sqs:SendMessage). */
  readonly roleArn: string;
  /** The stack's schedule group for journey timers. */
  readonly groupName: string;
}

/** {@link LongTimerScheduler} on EventBridge Scheduler. */
export class EventBridgeJourneyTimers implements LongTimerScheduler {
  readonly #options: EventBridgeJourneyTimersOptions;

  constructor(options: EventBridgeJourneyTimersOptions) {
    this.#options = options;
  }

  async schedule(message: JourneyTimerMessage): Promise<void> {
    await createOneTimeSchedule(this.#options.client, {
      name: journeyScheduleName(message.token),
      groupName: this.#options.groupName,
      at: new Date(message.fireAt),
      queueArn: this.#options.queueArn,
      roleArn: this.#options.roleArn,
      input: sqsJson(message),
    });
  }

  async cancel(token: string): Promise<void> {
    await deleteSchedule(this.#options.client, journeyScheduleName(token), this.#options.groupName);
  }
}

/** A timer's schedule name: a digest of its token (tokens run past the 64 characters a name may have). */
export function journeyScheduleName(token: string): string {
  return `jt-${createHash('sha256').update(token).digest('hex').slice(0, 48)}`;
}
