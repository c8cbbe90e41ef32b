/**
 * Long delays without a scheduler service, for the local runtime: the request goes back on the
 * outbound queue with the longest SQS delay (15 minutes); when it comes back early, the router sees
 * its message is still `scheduled` and not due, and calls this again. No state is held anywhere but
 * the queue and the ledger, so a restart loses nothing. Costs one SQS request per 15 minutes waited.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type DeliveryScheduler, MAX_QUEUE_DELAY_SECONDS } from '../../domain/ports';

/** Options for {@link SqsDelayChainScheduler}. */
export interface SqsDelayChainSchedulerOptions {
  readonly client: SQSClient;
  readonly outboundQueueUrl: string;
  readonly now?: () => Date;
}

/** {@link DeliveryScheduler} as a chain of SQS delays. */
export class SqsDelayChainScheduler implements DeliveryScheduler {
  readonly #options: SqsDelayChainSchedulerOptions;

  constructor(options: SqsDelayChainSchedulerOptions) {
    this.#options = options;
  }

  async schedule(input: { key: string; at: Date; body: string }): Promise<void> {
    const now = (this.#options.now ?? (() => new Date()))();
    const seconds = Math.ceil((input.at.getTime() - now.getTime()) / 1000);
    await this.#options.client.send(
      new SendMessageCommand({
        QueueUrl: this.#options.outboundQueueUrl,
        MessageBody: input.body,
        DelaySeconds: Math.min(Math.max(seconds, 0), MAX_QUEUE_DELAY_SECONDS),
      }),
    );
  }
}
