/**
 * Hands channel messages to their channel queues with SendMessageBatch: grouped per queue, ten
 * entries per call, entries SQS refused retried once when SQS says the fault was its own.
 */

import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Channel } from '../../contract';
import type { ChannelDispatcher, Dispatch } from '../../domain/ports';
import { sqsJson } from './sqs-json';

/** Options for {@link SqsChannelDispatcher}. */
export interface SqsChannelDispatcherOptions {
  readonly client: SQSClient;
  /** The queue URL of each channel. */
  readonly queueUrls: Readonly<Record<Channel, string>>;
}

const SQS_BATCH_LIMIT = 10;

/** {@link ChannelDispatcher} on SQS. */
export class SqsChannelDispatcher implements ChannelDispatcher {
  readonly #client: SQSClient;
  readonly #queueUrls: Readonly<Record<Channel, string>>;

  constructor(options: SqsChannelDispatcherOptions) {
    this.#client = options.client;
    this.#queueUrls = options.queueUrls;
  }

  async dispatch(dispatches: readonly Dispatch[]): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    const byChannel = new Map<Channel, Dispatch[]>();
    for (const dispatch of dispatches) {
      const list = byChannel.get(dispatch.message.channel) ?? [];
      list.push(dispatch);
      byChannel.set(dispatch.message.channel, list);
    }
    const calls: Promise<void>[] = [];
    for (const [channel, list] of byChannel) {
      for (let start = 0; start < list.length; start += SQS_BATCH_LIMIT) {
        calls.push(
          this.#sendBatch(this.#queueUrls[channel], list.slice(start, start + SQS_BATCH_LIMIT), failures),
        );
      }
    }
    await Promise.all(calls);
    return failures;
  }

  async #sendBatch(
    queueUrl: string,
    batch: readonly Dispatch[],
    failures: Map<string, string>,
  ): Promise<void> {
    // SQS batch entry ids allow only letters, digits, - and _, so index them.
    let entries: { dispatch: Dispatch; entry: SendMessageBatchRequestEntry }[] = batch.map(
      (dispatch, index) => ({
        dispatch,
        entry: {
          Id: String(index),
          MessageBody: sqsJson(dispatch.message),
          ...(dispatch.delaySeconds > 0 ? { DelaySeconds: Math.min(dispatch.delaySeconds, 900) } : {}),
          MessageAttributes: {
            messageId: { DataType: 'String', StringValue: dispatch.message.messageId },
            channel: { DataType: 'String', StringValue: dispatch.message.channel },
          },
        },
      }),
    );
    for (let round = 0; round < 2 && entries.length > 0; round++) {
      try {
        const output = await this.#client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map((item) => item.entry) }),
        );
        const retry: typeof entries = [];
        for (const failed of output.Failed ?? []) {
          const item = entries.find((candidate) => candidate.entry.Id === failed.Id);
          if (!item) continue;
          if (failed.SenderFault === false && round === 0) retry.push(item);
          else
            failures.set(
              item.dispatch.id,
              `${failed.Code ?? 'Failed'}: ${failed.Message ?? 'refused by SQS'}`,
            );
        }
        entries = retry;
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        for (const item of entries) failures.set(item.dispatch.id, reason);
        return;
      }
    }
  }
}
