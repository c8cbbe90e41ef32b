/**
 * EventBridge Scheduler one-time schedules that send a message to an SQS queue at a moment and
 * delete themselves: the one shape both long delays (`sendAt`, eventbridge-delivery-scheduler.ts)
 * and journey timers (eventbridge-journey-timers.ts) use. A name is unique per group, so creating a
 * schedule twice makes one, and deleting one that fired or never existed is not an error.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';

/** One schedule to create. */
export interface OneTimeSchedule {
  readonly name: string;
  readonly groupName: string;
  /** When it fires (UTC; to the second). */
  readonly at: Date;
  /** The queue it sends to, and the role Scheduler assumes to send there. */
  readonly queueArn: string;
  readonly roleArn: string;
  /** The message body it sends. */
  readonly input: string;
}

/** Creates the schedule; false when one of that name was already there (the same schedule). */
export async function createOneTimeSchedule(
  client: SchedulerClient,
  schedule: OneTimeSchedule,
): Promise<boolean> {
  try {
    await client.send(
      new CreateScheduleCommand({
        Name: schedule.name,
        GroupName: schedule.groupName,
        ScheduleExpression: `at(${schedule.at.toISOString().slice(0, 19)})`,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: schedule.queueArn,
          RoleArn: schedule.roleArn,
          Input: schedule.input,
          RetryPolicy: { MaximumEventAgeInSeconds: 24 * 60 * 60, MaximumRetryAttempts: 185 },
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConflictException) return false;
    throw error;
  }
}

/** Deletes a schedule; false when there was none (it fired and deleted itself, or never existed). */
export async function deleteSchedule(
  client: SchedulerClient,
  name: string,
  groupName: string,
): Promise<boolean> {
  try {
    await client.send(new DeleteScheduleCommand({ Name: name, GroupName: groupName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
