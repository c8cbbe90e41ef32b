/**
 * The journey timers consumer on the emulators: an SQS client that counts (and can fail) the
 * SendMessageBatch requests to one queue, timer messages taken off the timers queue as Lambda
 * would deliver them, and a queue drained of what reached it.
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { localClientConfig } from '../../local/emulators';
import { testEndpoints } from './emulators';
import { anSqsRecord } from './factories';

/** An SQS client on fauxqs that counts the SendMessageBatch requests to `queueUrl`. */
export interface CountingSqsClient {
  readonly client: SQSClient;
  /** SendMessageBatch requests to the queue so far (the failed ones included). */
  batches(): number;
  /** Makes the next SendMessageBatch to the queue fail as a dropped connection would. */
  failNextBatch(): void;
}

/** A client whose SendMessageBatch requests to `queueUrl` are counted, and failed on demand. */
export function countingSqsClient(queueUrl: string): CountingSqsClient {
  const endpoints = testEndpoints();
  const client = new SQSClient(localClientConfig(endpoints, endpoints.sqsEndpoint));
  let batches = 0;
  let failNext = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { QueueUrl?: string };
      if (context.commandName === 'SendMessageBatchCommand' && input.QueueUrl === queueUrl) {
        batches += 1;
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'countSendMessageBatch' },
  );
  return {
    client,
    batches: () => batches,
    failNextBatch: () => {
      failNext = true;
    },
  };
}

/** Every message on a queue now, received and deleted (so a later drain sees only newer ones). */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
}

/** The messages now on a queue as the SQS records Lambda would hand a consumer (drained from it). */
export async function recordsOn(sqs: SQSClient, queueUrl: string): Promise<SQSRecord[]> {
  return (await drainQueue(sqs, queueUrl)).map((message) =>
    anSqsRecord(message.Body ?? '', message.MessageId ?? ''),
  );
}
