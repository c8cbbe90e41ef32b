/**
 * Delays longer than an SQS queue can hold (15 minutes), through EventBridge Scheduler: a one-time
 * schedule that sends the request back to the outbound queue at its time and deletes itself.
 */
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
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
          Name: `switchboard-${input.key}`.slice(0, 64),
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
