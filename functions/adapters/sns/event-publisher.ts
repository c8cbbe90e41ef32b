/**
 * The events topic on SNS. Every event goes out with its `type` as a String message attribute
 * (`message.delivered`, `message.inbound`, `customer.consent_changed`, …), so a subscriber's filter
 * policy picks event types without reading bodies. Several events go out with PublishBatch, ten per
 * call (the SNS limit); a single event with Publish.
 */
import {
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { RetryLaterError } from '../../domain/errors';
import type { EventPublisher, SwitchboardEvent } from '../../domain/ports';

/** Most entries SNS accepts in one PublishBatch. */
export const SNS_BATCH_LIMIT = 10;

/** Where to publish. */
export interface SnsEventPublisherOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

/** An {@link EventPublisher} on an SNS topic. */
export class SnsEventPublisher implements EventPublisher {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(options: SnsEventPublisherOptions) {
    this.#client = options.client;
    this.#topicArn = options.topicArn;
  }

  /** Publishes every event; throws RetryLaterError naming how many SNS did not accept. */
  async publish(events: readonly SwitchboardEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (events.length === 1) {
      await this.#client.send(
        new PublishCommand({
          TopicArn: this.#topicArn,
          Message: JSON.stringify(events[0]),
          MessageAttributes: typeAttribute(events[0]!),
        }),
      );
      return;
    }
    let failed = 0;
    let firstFailure: string | undefined;
    for (let start = 0; start < events.length; start += SNS_BATCH_LIMIT) {
      const entries: PublishBatchRequestEntry[] = events
        .slice(start, start + SNS_BATCH_LIMIT)
        .map((event, index) => ({
          Id: String(start + index),
          Message: JSON.stringify(event),
          MessageAttributes: typeAttribute(event),
        }));
      const output = await this.#client.send(
        new PublishBatchCommand({ TopicArn: this.#topicArn, PublishBatchRequestEntries: entries }),
      );
      for (const failure of output.Failed ?? []) {
        failed++;
        firstFailure ??= `${failure.Code ?? 'unknown'}: ${failure.Message ?? ''}`;
      }
    }
    if (failed > 0) {
      throw new RetryLaterError(`SNS did not accept ${failed} of ${events.length} events (${firstFailure})`, {
        code: 'PublishBatchPartialFailure',
      });
    }
  }
}

function typeAttribute(event: SwitchboardEvent) {
  return { type: { DataType: 'String', StringValue: event.type } } as const;
}
