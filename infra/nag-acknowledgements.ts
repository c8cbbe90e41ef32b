/**
 * Every cdk-nag AwsSolutions finding this app accepts, each with the reason it is acceptable,
 * acknowledged on the narrowest construct that produces it. docs/deploy.md lists the same reasons
 * (the infra tests check that the two lists agree).
 *
 * `AwsSolutions-L1` (not the latest runtime) is not acknowledged: every function runs the newest
 * Node.js runtime aws-cdk-lib knows, so when an upgrade brings a newer one, synth fails until all
 * functions move together (infra/constructs/switchboard-function.ts and infra/bundling.mjs).
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { SwitchboardFunction } from './constructs/switchboard-function';
import type { StatefulStack } from './stateful-stack';
import type { StatelessStack } from './stateless-stack';

/** Why each accepted finding is acceptable, by rule id. */
export const ACKNOWLEDGEMENTS = {
  'AwsSolutions-SMG4':
    'Provider credentials (Twilio auth token, SendGrid API key, FCM service-account key, VAPID keys) are issued by the provider and cannot be rotated by a Secrets Manager rotation Lambda; rotate them at the provider and update the secret (docs/deploy.md, "Rotating provider credentials"). The address pepper must never rotate: every stored address key is its HMAC, and a new pepper would orphan them all (docs/deploy.md, "Keyed address hashes").',
  'AwsSolutions-IAM5[Resource::*]':
    'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires "*" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html). The only other statement with a "*" resource is dynamodb:ListStreams, which the stream event sources of the ledger-stream and journey-events functions need and which likewise supports no resource-level permission.',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/switchboard-<stage>/*]':
    "The router creates one-off schedules whose names are only known at run time, and the API deletes an erased customer's; the wildcard is limited to scheduler:CreateSchedule (router) and scheduler:DeleteSchedule (API) inside this stage's own schedule group.",
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/switchboard-<stage>-journeys/*]':
    "Journey timers are one-time schedules named after timer tokens only known at run time; the wildcard is limited to this stage's own journey schedule group, with scheduler:CreateSchedule and scheduler:DeleteSchedule for the journey-events and journey-timers functions and scheduler:DeleteSchedule alone for the API (a cancelled run's timer).",
  'AwsSolutions-SQS3':
    "The ledger-stream and journey-events failure queues are themselves dead-letter destinations (their stream event sources' on-failure destinations); a DLQ of a DLQ would only move the same records again. Their depth is alarmed.",
} as const;

/** The stacks whose findings are acknowledged. */
export interface AcknowledgedStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** Acknowledges the accepted findings, each on the constructs that produce it. */
export function acknowledgeFindings({ stateful, stateless }: AcknowledgedStacks): void {
  const ack = (scope: IConstruct, id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id, reason });

  for (const secret of Object.values(stateful.secrets)) {
    ack(secret, 'AwsSolutions-SMG4', ACKNOWLEDGEMENTS['AwsSolutions-SMG4']);
  }
  ack(stateful.addressPepper, 'AwsSolutions-SMG4', ACKNOWLEDGEMENTS['AwsSolutions-SMG4']);
  for (const fn of Object.values(stateless.functions) as SwitchboardFunction[]) {
    ack(fn.role, 'AwsSolutions-IAM5[Resource::*]', ACKNOWLEDGEMENTS['AwsSolutions-IAM5[Resource::*]']);
  }
  for (const queue of [stateful.ledgerStreamFailures, stateful.journeyEventsFailures]) {
    ack(queue, 'AwsSolutions-SQS3', ACKNOWLEDGEMENTS['AwsSolutions-SQS3']);
  }
  const scheduleFinding = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${stateful.scheduleGroup.name}/*]`;
  for (const fn of [stateless.functions.router!, stateless.functions.api!]) {
    ack(
      fn.role,
      scheduleFinding,
      ACKNOWLEDGEMENTS[
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/switchboard-<stage>/*]'
      ],
    );
  }
  const journeyFinding = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${stateful.journeyScheduleGroup.name}/*]`;
  const journeyReason =
    ACKNOWLEDGEMENTS[
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/switchboard-<stage>-journeys/*]'
    ];
  for (const name of ['journeyEvents', 'journeyTimers', 'api']) {
    ack(stateless.functions[name]!.role, journeyFinding, journeyReason);
  }
}
