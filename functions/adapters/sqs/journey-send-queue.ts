/**
 * A journey's messages on the outbound queue, published as any publisher's MessageRequests (the
 * client package's batch publisher: validated, ten to a SendMessageBatch). The router treats them as
 * any other request, except for the dispatch fence their journey metadata calls for.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { publishMessages } from '@switchboard/client';
import type { MessageRequest } from '../../contract';
import { RetryLaterError } from '../../domain/errors';
import { JourneyDefinitionError } from '../../domain/journeys/journey-errors';
import type { JourneySendQueue as JourneySendPort } from '../../domain/journeys/journey-ports';

/** Options of {@link SqsJourneySendQueue}. */
export interface JourneySendQueueOptions {
  readonly client: SQSClient;
  readonly outboundQueueUrl: string;
}

/** The journey send port on the outbound SQS queue. */
export class JourneySendQueue implements JourneySendPort {
  readonly #options: JourneySendQueueOptions;

  constructor(options: JourneySendQueueOptions) {
    this.#options = options;
  }

  /**
   * Publishes every request. A request the contract refuses is a broken journey document
   * (JourneyDefinitionError); an entry SQS refused is retried with the input (RetryLaterError):
   * the ones that went out come back as duplicates the router ignores.
   */
  async send(requests: readonly MessageRequest[]): Promise<void> {
    const results = await publishMessages(requests, {
      client: this.#options.client,
      queueUrl: this.#options.outboundQueueUrl,
    });
    for (const result of results) {
      if (result.status === 'invalid') {
        const issue = result.issues[0];
        throw new JourneyDefinitionError(
          requests.find((request) => request.requestId === result.requestId)?.metadata?.journeyId ?? '?',
          `its message ${result.requestId} breaks the contract: ${issue?.field}: ${issue?.message}`,
        );
      }
      if (result.status === 'failed') {
        throw new RetryLaterError(`outbound queue refused ${result.requestId}: ${result.message}`, {
          code: result.code,
        });
      }
    }
  }
}
