/**
 * Fallback requests on the outbound queue: a channel sender hands a message back to the router,
 * which plans the next channel with fresh consent and preferences.
 */

import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FallbackRequest } from '../../contract';
import type { FallbackQueue } from '../../domain/ports';
import { sqsJson } from './sqs-json';

/** Where the outbound queue is. */
export interface SqsFallbackQueueOptions {
  readonly client: SQSClient;
  readonly outboundQueueUrl: string;
}

/** A {@link FallbackQueue} on the outbound SQS queue. */
export class SqsFallbackQueue implements FallbackQueue {
  readonly #options: SqsFallbackQueueOptions;

  constructor(options: SqsFallbackQueueOptions) {
    this.#options = options;
  }

  /** Sends one FallbackRequest; an SQS error propagates (the record is retried). */
  async enqueue(request: FallbackRequest): Promise<void> {
    await this.#options.client.send(
      new SendMessageCommand({
        QueueUrl: this.#options.outboundQueueUrl,
        MessageBody: sqsJson(request),
        MessageAttributes: { kind: { DataType: 'String', StringValue: request.kind } },
      }),
    );
  }
}
