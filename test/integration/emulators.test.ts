import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  customersTable,
  messagesTable,
  queueDefinition,
  visibilityTimeoutSeconds,
} from '../../infra/resources';
import { isolatedResources, testClients } from '../helpers/emulators';

describe('Harness: emulators', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());

  it('creates the tables on DynamoDB Local from the shared definitions', async () => {
    // Prepare
    const resources = await isolatedResources();

    // Act
    const messages = await clients.dynamodb.send(
      new DescribeTableCommand({ TableName: resources.tables.messages }),
    );

    // Assess
    expect(messages.Table?.KeySchema).toEqual([
      { AttributeName: messagesTable.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: messagesTable.sortKey?.name, KeyType: 'RANGE' },
    ]);
    expect(messages.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(
      messagesTable.globalSecondaryIndexes.map((index) => index.indexName),
    );
  });

  it('observes a conditional write conflict on DynamoDB Local', async () => {
    // Prepare
    const resources = await isolatedResources();
    const put = () =>
      clients.dynamodb.send(
        new PutItemCommand({
          TableName: resources.tables.customers,
          Item: { [customersTable.partitionKey.name]: { S: 'customer#c-1' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await put();

    // Act
    const second = put();

    // Assess
    await expect(second).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('sets visibility timeout and redrive policy on fauxqs from the shared definitions', async () => {
    // Prepare
    const resources = await isolatedResources();

    // Act
    const attributes = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: resources.queues.sms, AttributeNames: ['All'] }),
    );

    // Assess
    const sms = queueDefinition('sms');
    expect(attributes.Attributes?.VisibilityTimeout).toBe(String(visibilityTimeoutSeconds(sms)));
    expect(JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: resources.queueArns.smsDlq,
      maxReceiveCount: sms.maxReceiveCount,
    });
  });

  it('moves a message to the DLQ on fauxqs after its max receive count', async () => {
    // Prepare
    const resources = await isolatedResources();
    const maxReceiveCount = queueDefinition('outbound').maxReceiveCount;
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: resources.queues.outbound, MessageBody: 'poison' }),
    );

    // Act: receive it and never delete it, letting it become visible again at once each time.
    for (let receive = 0; receive < maxReceiveCount; receive++) {
      const received = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: resources.queues.outbound,
          VisibilityTimeout: 0,
          WaitTimeSeconds: 1,
        }),
      );
      expect(received.Messages).toHaveLength(1);
    }
    const afterMax = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.outbound, WaitTimeSeconds: 1 }),
    );
    const dead = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.outboundDlq, WaitTimeSeconds: 1 }),
    );

    // Assess
    expect(afterMax.Messages ?? []).toHaveLength(0);
    expect(dead.Messages?.map((message) => message.Body)).toEqual(['poison']);
  });
});
