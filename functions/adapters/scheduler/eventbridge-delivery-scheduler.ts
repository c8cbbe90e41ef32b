/**
 * Delays longer than an SQS queue can hold (15 minutes), through EventBridge Scheduler: a one-time
 * schedule that sends the request back to the outbound queue at its time and deletes itself.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { DeliveryScheduler } from '../../domain/ports';

/** Options for {@link EventBridgeDeliveryScheduler}. */
export interface EventBridgeDeliverySchedulerOptions {
  readonly client: SchedulerClient;
  /** ARN of the outbound queue the schedule sends to. */
  readonly outboundQueueArn: string;
  /** Role EventBridge Scheduler assumes to send to the queue (sqs:SendMessage). */
  readonly roleArn: string;
  /** Schedule group; `default` unless the stack makes one. */
  readonly groupName?: string;
}

/** {@link DeliveryScheduler} on EventBridge Scheduler. */
export class EventBridgeDeliveryScheduler implements DeliveryScheduler {
  readonly #options: EventBridgeDeliverySchedulerOptions;

  constructor(options: EventBridgeDeliverySchedulerOptions) {
    this.#options = options;
  }

  async schedule(input: { key: string; at: Date; body: string }): Promise<void> {
    try {
      await this.#options.client.send(
        new CreateScheduleCommand({
          // Names are unique per group: a second schedule for the same key is a ConflictException.
          Name: scheduleName(input.key),
          GroupName: this.#options.groupName ?? 'default',
          ScheduleExpression: `at(${input.at.toISOString().slice(0, 19)})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.#options.outboundQueueArn,
            RoleArn: this.#options.roleArn,
            Input: input.body,
            RetryPolicy: { MaximumEventAgeInSeconds: 24 * 60 * 60, MaximumRetryAttempts: 185 },
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConflictException) return;
      throw error;
    }
  }
}

/** Options for {@link EventBridgeScheduleCanceller}. */
export interface EventBridgeScheduleCancellerOptions {
  readonly client: SchedulerClient;
  /** Schedule group; `default` unless the stack makes one. */
  readonly groupName?: string;
}

/** Deletes pending delivery schedules by key (erasure, domain/erase-customer.ts). */
export class EventBridgeScheduleCanceller {
  readonly #options: EventBridgeScheduleCancellerOptions;

  constructor(options: EventBridgeScheduleCancellerOptions) {
    this.#options = options;
  }

  /**
   * Deletes the schedules of these keys; one that already ran (and deleted itself) or never
   * existed is not an error. Returns how many were deleted.
   */
  async cancel(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of new Set(keys)) {
      try {
        await this.#options.client.send(
          new DeleteScheduleCommand({
            Name: scheduleName(key),
            GroupName: this.#options.groupName ?? 'default',
          }),
        );
        deleted++;
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }
    return deleted;
  }
}

/** The name of a key's schedule: names are unique per group, so one schedule per key. */
export function scheduleName(key: string): string {
  return `switchboard-${key}`.slice(0, 64);
}
