/**
 * Journeys in the stack: the journey-events function on both tables' streams (filtered to what the
 * deployed journeys react to, with its own on-failure queue), the journey-timers function on its
 * queue, the documents bundled beside the three functions that read them, the engine's environment
 * as its own reader reads it, and the journey timers' schedule group and scheduler role.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { JourneyEnv, journeysConfigFromEnv } from '../../functions/journeys-config';
import { BUNDLED_JOURNEYS_DIR } from '../../infra/constructs/switchboard-function';
import { journeyStreamPatterns } from '../../infra/journey-stream-filter';
import { deployedJourneys } from '../../infra/journeys';
import { journeyStream } from '../../infra/resources';
import {
  environmentOf,
  logicalId,
  refersTo,
  type SynthesizedSwitchboard,
  synthSwitchboard,
} from '../helpers/cdk-app';

/** An event source mapping as synthesized. */
interface Mapping {
  readonly Properties: {
    readonly FunctionName: unknown;
    readonly EventSourceArn: unknown;
    readonly FilterCriteria?: { readonly Filters: { readonly Pattern: string }[] };
    readonly [key: string]: unknown;
  };
}

describe('Infra: journeys', () => {
  let sb: SynthesizedSwitchboard;
  let mappingsOf: (name: string) => Mapping[];
  beforeAll(() => {
    sb = synthSwitchboard({ stage: 'dev' });
    mappingsOf = (name) =>
      (Object.values(sb.services.findResources('AWS::Lambda::EventSourceMapping')) as Mapping[]).filter(
        (mapping) =>
          refersTo(
            mapping.Properties.FunctionName,
            logicalId(sb.stateless, sb.stateless.functions[name]!.function),
          ),
      );
  });

  it("reads the messages table's stream through the deployed journeys' filter, with the journey stream settings", () => {
    // Prepare
    const messagesTable = logicalId(sb.stateful, sb.stateful.tables.messages.table);

    // Act
    const mappings = mappingsOf('journeyEvents');
    const onMessages = mappings.filter((mapping) =>
      refersTo(mapping.Properties.EventSourceArn, messagesTable),
    );

    // Assess
    expect(onMessages).toHaveLength(1);
    const properties = onMessages[0]!.Properties;
    expect(properties.FilterCriteria?.Filters.map((filter) => JSON.parse(filter.Pattern))).toEqual(
      journeyStreamPatterns('messages', deployedJourneys()),
    );
    expect(properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: journeyStream.batchSize,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: journeyStream.maxRetryAttempts,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ParallelizationFactor: 1,
    });
    expect(
      refersTo(properties.DestinationConfig, logicalId(sb.stateful, sb.stateful.journeyEventsFailures)),
    ).toBe(true);
    expect(sb.stateless.functions.journeyEvents!.function.timeout?.toSeconds()).toBe(
      journeyStream.timeoutSeconds,
    );
  });

  it('leaves the customers stream unread while no deployed journey reacts to a consent change', () => {
    // Prepare: the seed journeys name no customer.consent_changed.
    const customersTable = logicalId(sb.stateful, sb.stateful.tables.customers.table);

    // Act
    const onCustomers = mappingsOf('journeyEvents').filter((mapping) =>
      refersTo(mapping.Properties.EventSourceArn, customersTable),
    );

    // Assess
    expect(journeyStreamPatterns('customers', deployedJourneys())).toEqual([]);
    expect(onCustomers).toEqual([]);
  });

  it('keeps the ledger-stream function on its own filters and failure queue', () => {
    // Act
    const destinations = mappingsOf('ledgerStream').map((mapping) => mapping.Properties.DestinationConfig);

    // Assess
    expect(destinations).toHaveLength(2);
    for (const destination of destinations) {
      expect(refersTo(destination, logicalId(sb.stateful, sb.stateful.ledgerStreamFailures))).toBe(true);
      expect(refersTo(destination, logicalId(sb.stateful, sb.stateful.journeyEventsFailures))).toBe(false);
    }
  });

  it.each(['journeyEvents', 'journeyTimers', 'api'])(
    'bundles the journey documents beside %s and points JOURNEYS_DIR at them',
    (name) => {
      // Act
      const fn = sb.stateless.functions[name]!;
      const env = environmentOf(sb, name);

      // Assess
      expect(fn.withJourneys).toBe(true);
      expect(env[JourneyEnv.JOURNEYS_DIR]).toBe(BUNDLED_JOURNEYS_DIR);
    },
  );

  it('bundles the journey documents with no other function', () => {
    // Act
    const others = Object.entries(sb.stateless.functions).filter(
      ([name, fn]) =>
        !['journeyEvents', 'journeyTimers', 'api'].includes(name) &&
        (fn.withJourneys || environmentOf(sb, name)[JourneyEnv.JOURNEYS_DIR] !== undefined),
    );

    // Assess
    expect(others.map(([name]) => name)).toEqual([]);
  });

  it.each(['journeyEvents', 'journeyTimers', 'api'])(
    "gives %s every variable the engine's configuration reads, with EventBridge Scheduler configured",
    (name) => {
      // Prepare
      const env = environmentOf(sb, name);

      // Act: the functions' own reader, which fails on any missing variable.
      const config = journeysConfigFromEnv(env);

      // Assess
      const id = (construct: Parameters<typeof logicalId>[1]) => logicalId(sb.stateful, construct);
      expect(config.timersQueueUrl).toContain(id(sb.stateful.queues.journeyTimers.queue));
      expect(config.outboundQueueUrl).toContain(id(sb.stateful.queues.outbound.queue));
      expect(config.messagesTable).toContain(id(sb.stateful.tables.messages.table));
      expect(config.customersTable).toContain(id(sb.stateful.tables.customers.table));
      expect(config.timeScale).toBe(1);
      expect(config.scheduler?.groupName).toBe('switchboard-dev-journeys');
      expect(config.scheduler?.queueArn).toContain(id(sb.stateful.queues.journeyTimers.queue));
      expect(config.scheduler?.roleArn).toContain(logicalId(sb.stateless, sb.stateless.journeySchedulerRole));
    },
  );

  it('keeps journey timers in a schedule group of their own, kept with the data', () => {
    // Act
    const groups = sb.data.findResources('AWS::Scheduler::ScheduleGroup');
    const journeyGroup = groups[logicalId(sb.stateful, sb.stateful.journeyScheduleGroup)];

    // Assess
    expect(Object.keys(groups)).toHaveLength(2);
    expect(journeyGroup?.Properties).toMatchObject({ Name: 'switchboard-dev-journeys' });
    expect(journeyGroup?.DeletionPolicy).toBe('Retain');
  });

  it('keeps the journey-events failure queue with the data, encrypted and TLS-only', () => {
    // Act
    const queue = sb.data.toJSON().Resources[logicalId(sb.stateful, sb.stateful.journeyEventsFailures)];

    // Assess
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    expect(queue.DeletionPolicy).toBe('Retain');
    sb.data.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(sb.stateful, sb.stateful.journeyEventsFailures) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});
