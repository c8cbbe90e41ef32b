/**
 * Dead-letter queue tools, used by the console and the CLI (`switchboard dlq list|redrive`):
 * look at what is in a DLQ without consuming it, and move messages back to their source queue.
 * Plain SQS calls, so they work on the emulator and on a deployed stack alike.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** One message sitting in a DLQ. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** How many times the source queue delivered it before giving up (plus any peeks here). */
  readonly receiveCount: number;
  /** When it was first sent, ISO 8601. */
  readonly sentAt: string | undefined;
  readonly messageAttributes: Readonly<Record<string, string>>;
}

/** Options for {@link listDeadLetters}. */
export interface ListDeadLettersOptions {
  /** Stop after this many messages. */
  readonly max?: number;
  /** Seconds each peeked message stays hidden while the list is built; reset to 0 afterwards. */
  readonly peekSeconds?: number;
}

const SQS_BATCH = 10;

/**
 * Lists messages in a queue without removing them. SQS has no peek: messages are received with a
 * short visibility timeout so that paging does not see them twice, then made visible again.
 */
export async function listDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  options: ListDeadLettersOptions = {},
): Promise<DeadLetter[]> {
  const max = options.max ?? 100;
  const seen = new Map<string, Message>();
  while (seen.size < max) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(SQS_BATCH, max - seen.size),
        VisibilityTimeout: options.peekSeconds ?? 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const fresh = (received.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const message of fresh) seen.set(message.MessageId as string, message);
  }
  const messages = [...seen.values()];
  await releaseAll(sqs, queueUrl, messages);
  return messages.map(toDeadLetter);
}

/** Options for {@link redriveDeadLetters}. */
export interface RedriveOptions {
  /** The DLQ to empty. */
  readonly deadLetterQueueUrl: string;
  /** Where its messages go back to (the queue whose redrive policy points at the DLQ). */
  readonly sourceQueueUrl: string;
  /** Move at most this many messages. */
  readonly max?: number;
}

/** What a redrive did. */
export interface RedriveResult {
  readonly moved: number;
  /** Messages SQS would not accept on the source queue; they stay in the DLQ. */
  readonly failed: number;
}

/**
 * Moves messages from a DLQ back to their source queue: send first, then delete from the DLQ, so a
 * crash in between duplicates a message (harmless: every consumer is idempotent) but never loses one.
 */
export async function redriveDeadLetters(sqs: SQSClient, options: RedriveOptions): Promise<RedriveResult> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  let failed = 0;
  const failedIds = new Set<string>();
  while (moved + failed < max) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(SQS_BATCH, max - moved - failed),
        VisibilityTimeout: 30,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = (received.Messages ?? []).filter((m) => !failedIds.has(m.MessageId ?? ''));
    if (messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: options.sourceQueueUrl,
        Entries: messages.map((m, index) => ({
          Id: String(index),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes ? { MessageAttributes: resendable(m.MessageAttributes) } : {}),
        })),
      }),
    );
    const accepted = new Set((sent.Successful ?? []).map((entry) => Number(entry.Id)));
    const toDelete = messages.filter((_, index) => accepted.has(index));
    const rejected = messages.filter((_, index) => !accepted.has(index));
    for (const message of rejected) failedIds.add(message.MessageId ?? '');
    if (toDelete.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.deadLetterQueueUrl,
          Entries: toDelete.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    await releaseAll(sqs, options.deadLetterQueueUrl, rejected);
    moved += toDelete.length;
    failed += rejected.length;
  }
  return { moved, failed };
}

function resendable(
  attributes: Record<string, MessageAttributeValue>,
): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = {
      DataType: value.DataType,
      ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
    };
  }
  return out;
}

async function releaseAll(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += SQS_BATCH) {
    const chunk = messages.slice(start, start + SQS_BATCH);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((m, index) => ({
          Id: String(index),
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

function toDeadLetter(message: Message): DeadLetter {
  const sent = message.Attributes?.SentTimestamp;
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    attributes[name] = value.StringValue ?? `(${value.DataType})`;
  }
  return {
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '0'),
    sentAt: sent ? new Date(Number(sent)).toISOString() : undefined,
    messageAttributes: attributes,
  };
}
