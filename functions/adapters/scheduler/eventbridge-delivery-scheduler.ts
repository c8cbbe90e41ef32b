/**
 * Delays longer than an SQS queue can hold (15 minutes), through EventBridge Scheduler: a one-time
 * schedule that sends the request back to the outbound queue at its time and deletes itself.
 */
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DeliveryScheduler } from '../../domain/ports';
import { createOneTimeSchedule, deleteSchedule } from './one-time-schedules';

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
    await createOneTimeSchedule(this.#options.client, {
      name: scheduleName(input.key),
      groupName: this.#options.groupName ?? 'default',
      at: input.at,
      queueArn: this.#options.outboundQueueArn,
      roleArn: this.#options.roleArn,
      input: input.body,
    });
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
      if (
        await deleteSchedule(this.#options.client, scheduleName(key), this.#options.groupName ?? 'default')
      ) {
        deleted++;
      }
    }
    return deleted;
  }
}

/** The name of a key's schedule: names are unique per group, so one schedule per key. */
export function scheduleName(key: string): string {
  return `switchboard-${key}`.slice(0, 64);
}
