/**
 * Journey timers beyond 15 minutes on EventBridge Scheduler: a one-time schedule per timer token
 * that sends the timer message to the journey-timers queue at its time and deletes itself. A run
 * that leaves its wait early deletes the schedule, so a converted cart leaves no schedule behind.
 */
import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { JourneyTimerMessage } from '../../contract';
import type { LongTimerScheduler } from '../sqs/journey-timer-queue';
import { sqsJson } from '../sqs/sqs-json';

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
    try {
      await this.#options.client.send(
        new CreateScheduleCommand({
          Name: journeyScheduleName(message.token),
          GroupName: this.#options.groupName,
          ScheduleExpression: `at(${message.fireAt.slice(0, 19)})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.#options.queueArn,
            RoleArn: this.#options.roleArn,
            Input: sqsJson(message),
            RetryPolicy: { MaximumEventAgeInSeconds: 24 * 60 * 60, MaximumRetryAttempts: 185 },
          },
        }),
      );
    } catch (error) {
      // Names are unique per group: the same token scheduled again is the same timer.
      if (!(error instanceof ConflictException)) throw error;
    }
  }

  async cancel(token: string): Promise<void> {
    try {
      await this.#options.client.send(
        new DeleteScheduleCommand({ Name: journeyScheduleName(token), GroupName: this.#options.groupName }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}

/** A timer's schedule name: a digest of its token (tokens run past the 64 characters a name may have). */
export function journeyScheduleName(token: string): string {
  return `jt-${createHash('sha256').update(token).digest('hex').slice(0, 48)}`;
}
