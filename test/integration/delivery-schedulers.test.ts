/**
 * Long-delay schedulers: the SQS delay chain on fauxqs, and the EventBridge Scheduler request shape.
 */
import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeDeliveryScheduler } from '../../functions/adapters/scheduler/eventbridge-delivery-scheduler';
import { SqsDelayChainScheduler } from '../../functions/adapters/sqs/delay-chain-scheduler';
import { isolatedResources, testClients } from '../helpers/emulators';

describe('Class: SqsDelayChainScheduler', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());

  it('puts the request back on the outbound queue with the longest delay a queue allows', async () => {
    // Prepare
    const resources = await isolatedResources();
    const now = new Date('2026-11-23T22:00:00Z');
    const scheduler = new SqsDelayChainScheduler({
      client: clients.sqs,
      outboundQueueUrl: resources.queues.outbound,
      now: () => now,
    });

    // Act
    await scheduler.schedule({
      key: 'msg_1',
      at: new Date('2026-11-24T07:00:00Z'),
      body: '{"requestId":"r"}',
    });

    // Assess
    const attributes = await clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: resources.queues.outbound,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessages'],
      }),
    );
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessagesDelayed: '1',
      ApproximateNumberOfMessages: '0',
    });
  });
});

describe('Class: EventBridgeDeliveryScheduler', () => {
  // No local EventBridge Scheduler exists; this checks the request we build, not the service.
  const scheduler = mockClient(SchedulerClient);
  afterEach(() => scheduler.reset());

  it('creates a one-time schedule to the outbound queue that deletes itself', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const adapter = new EventBridgeDeliveryScheduler({
      client: new SchedulerClient({ region: 'us-east-1' }),
      outboundQueueArn: 'arn:aws:sqs:us-east-1:1:outbound',
      roleArn: 'arn:aws:iam::1:role/scheduler',
    });

    // Act
    await adapter.schedule({ key: 'msg_1', at: new Date('2026-11-24T07:00:00.123Z'), body: '{}' });

    // Assess
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toMatchObject({
      Name: 'switchboard-msg_1',
      ScheduleExpression: 'at(2026-11-24T07:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:sqs:us-east-1:1:outbound',
        RoleArn: 'arn:aws:iam::1:role/scheduler',
        Input: '{}',
      },
    });
  });

  it('treats an existing schedule of the same key as done', async () => {
    // Prepare
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    const adapter = new EventBridgeDeliveryScheduler({
      client: new SchedulerClient({ region: 'us-east-1' }),
      outboundQueueArn: 'arn',
      roleArn: 'role',
    });

    // Act
    const scheduling = adapter.schedule({ key: 'msg_1', at: new Date(), body: '{}' });

    // Assess
    await expect(scheduling).resolves.toBeUndefined();
  });
});
