/**
 * The journey engine in the stack: the deployed journey documents (the repository's `journeys/`,
 * bundled beside the functions that read them), the journey-events function's stream filters built
 * from them (infra/journey-stream-filter.ts), and the IAM statements of the functions that schedule
 * or delete journey timers on EventBridge Scheduler.
 */
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria } from 'aws-cdk-lib/aws-lambda';
import type { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { loadJourneys } from '../functions/adapters/files/journey-files';
import type { Journey } from '../functions/contract';
import { PROJECT_ROOT } from './constructs/switchboard-function';
import { journeyStreamPatterns } from './journey-stream-filter';
import type { TableDefinition } from './resources';

/**
 * The journeys this deployment ships: the documents infra/bundling.mjs copies beside the functions,
 * read and checked by the functions' own loader, so a broken document fails the synth.
 */
export function deployedJourneys(): Journey[] {
  return loadJourneys(path.join(PROJECT_ROOT, 'journeys'));
}

/** The journey-events function's filter on one table's stream as Lambda filter criteria (none: no event source). */
export function journeyStreamFilters(
  table: TableDefinition['key'],
  journeys: readonly Journey[],
): FilterCriteria[] {
  return journeyStreamPatterns(table, journeys).map((pattern) => FilterCriteria.filter(pattern));
}

/** The ARN pattern of every schedule in a group (names are digests of timer tokens, known at run time). */
export function schedulesOf(scope: Stack, group: CfnScheduleGroup): string {
  return Stack.of(scope).formatArn({
    service: 'scheduler',
    resource: 'schedule',
    resourceName: `${group.name}/*`,
  });
}

/**
 * What a function that schedules journey timers needs on EventBridge Scheduler: one-time schedules
 * created and deleted in the journey group only, and the timers' role passed to the scheduler only.
 */
export function journeyTimerStatements(
  scope: Stack,
  group: CfnScheduleGroup,
  schedulerRole: iam.IRole,
): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ScheduleJourneyTimers',
      actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
      resources: [schedulesOf(scope, group)],
    }),
    new PolicyStatement({
      sid: 'PassJourneySchedulerRole',
      actions: ['iam:PassRole'],
      resources: [schedulerRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }),
  ];
}
