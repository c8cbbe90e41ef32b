/**
 * The typed publisher helper: validates a MessageRequest against the contract before it is sent,
 * so that a bad request fails in the publisher's own code, not later in Switchboard.
 */

import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsJson } from '../../../functions/adapters/sqs/sqs-json';
import {
  ContractValidationError,
  type FieldIssue,
  type MessageRequestInput,
  MessageRequestSchema,
  safeParseMessageRequest,
} from '../../../functions/contract';

/** Where and how to publish. */
export interface PublishOptions {
  /** URL of Switchboard's outbound queue (stack output `OutboundQueueUrl`). */
  readonly queueUrl: string;
  /** An SQS client; the caller owns its region, credentials and lifetime. */
  readonly client: SQSClient;
}

/** What happened to one request of {@link publishMessages}. */
export type PublishResult =
  | { readonly requestId: string; readonly status: 'published'; readonly sqsMessageId: string }
  | { readonly requestId: string; readonly status: 'invalid'; readonly issues: readonly FieldIssue[] }
  | {
      readonly requestId: string;
      readonly status: 'failed';
      readonly code: string;
      readonly message: string;
    };

/** Most entries SQS accepts in one SendMessageBatch. */
const SQS_BATCH_LIMIT = 10;

/**
 * Validates one request and sends it to the outbound queue.
 * Throws {@link ContractValidationError} (nothing is sent) when the request breaks the contract.
 * Returns the SQS message id.
 */
export async function publishMessage(request: MessageRequestInput, options: PublishOptions): Promise<string> {
  const parsed = safeParseMessageRequest(request);
  if (!parsed.success) throw new ContractValidationError('MessageRequest', parsed.issues);
  const output = await options.client.send(
    new SendMessageCommand({
      QueueUrl: options.queueUrl,
      // Send what the publisher wrote: defaults are applied by Switchboard, in the version it runs.
      MessageBody: sqsJson(request),
      MessageAttributes: { requestId: { DataType: 'String', StringValue: parsed.data.requestId } },
    }),
  );
  if (!output.MessageId) throw new Error('SQS accepted the message but returned no MessageId');
  return output.MessageId;
}

/**
 * Validates many requests and sends the valid ones with SendMessageBatch, ten at a time.
 * Never throws for a bad request or a refused entry: every request gets a result, in input order.
 */
export async function publishMessages(
  requests: readonly MessageRequestInput[],
  options: PublishOptions,
): Promise<PublishResult[]> {
  const results: PublishResult[] = new Array(requests.length);
  const valid: { index: number; entry: SendMessageBatchRequestEntry; requestId: string }[] = [];
  requests.forEach((request, index) => {
    const parsed = MessageRequestSchema.safeParse(request);
    const requestId = typeof request?.requestId === 'string' ? request.requestId : `#${index}`;
    if (!parsed.success) {
      results[index] = { requestId, status: 'invalid', issues: safeIssues(request) };
      return;
    }
    valid.push({
      index,
      requestId,
      entry: {
        Id: String(index),
        MessageBody: sqsJson(request),
        MessageAttributes: { requestId: { DataType: 'String', StringValue: requestId } },
      },
    });
  });
  for (let start = 0; start < valid.length; start += SQS_BATCH_LIMIT) {
    const chunk = valid.slice(start, start + SQS_BATCH_LIMIT);
    try {
      const output = await options.client.send(
        new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: chunk.map((item) => item.entry) }),
      );
      for (const ok of output.Successful ?? []) {
        const item = chunk.find((candidate) => candidate.entry.Id === ok.Id);
        if (item)
          results[item.index] = {
            requestId: item.requestId,
            status: 'published',
            sqsMessageId: ok.MessageId ?? '',
          };
      }
      for (const failed of output.Failed ?? []) {
        const item = chunk.find((candidate) => candidate.entry.Id === failed.Id);
        if (item) {
          results[item.index] = {
            requestId: item.requestId,
            status: 'failed',
            code: failed.Code ?? 'Unknown',
            message: failed.Message ?? 'SQS refused the entry',
          };
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = error instanceof Error ? error.name : 'Error';
      for (const item of chunk)
        results[item.index] = { requestId: item.requestId, status: 'failed', code, message };
    }
  }
  return results;
}

function safeIssues(request: unknown): FieldIssue[] {
  const parsed = safeParseMessageRequest(request);
  return parsed.success ? [] : parsed.issues;
}
