/**
 * A new SQS queue subscribed to an SNS topic (raw delivery, optional filter policy), the way a
 * consuming service subscribes to Switchboard's events topic. Shared by the tests that read events.
 */
import { randomBytes } from 'node:crypto';
import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** Creates a queue the topic may send to, subscribes it, and returns its URL. */
export async function subscribedQueue(
  clients: { readonly sqs: SQSClient; readonly sns: SNSClient },
  topicArn: string,
  options: { readonly namePrefix?: string; readonly filterPolicy?: Record<string, unknown> } = {},
): Promise<string> {
  const { QueueUrl: queueUrl } = await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: `${options.namePrefix ?? 'events'}-${randomBytes(4).toString('hex')}`,
    }),
  );
  if (!queueUrl) throw new Error('CreateQueue returned no queue URL');
  const { Attributes = {} } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes.QueueArn;
  if (!queueArn) throw new Error('GetQueueAttributes returned no QueueArn');
  await clients.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        }),
      },
    }),
  );
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: {
        RawMessageDelivery: 'true',
        ...(options.filterPolicy ? { FilterPolicy: JSON.stringify(options.filterPolicy) } : {}),
      },
    }),
  );
  return queueUrl;
}
