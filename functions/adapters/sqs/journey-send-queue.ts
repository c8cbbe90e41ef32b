/**
 * A journey's messages on the outbound queue, published as any publisher's MessageRequests (the
 * client package's batch publisher: validated, ten to a SendMessageBatch). The router treats them as
 * any other request, except for the dispatch fence their journey metadata calls for.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type PublishResult, publishMessages } from '@switchboard/client';
import { journeyOriginOf, type MessageRequest } from '../../contract';
import { RetryLaterError } from '../../domain/errors';
import { JourneyDefinitionError } from '../../domain/journeys/journey-errors';
import type { JourneyBatchSendQueue, JourneySendResult } from '../../domain/journeys/journey-ports';

/** Options of {@link JourneySendQueue}. */
export interface JourneySendQueueOptions {
  readonly client: SQSClient;
  readonly outboundQueueUrl: string;
}

/** The journey send port on the outbound SQS queue. */
export class JourneySendQueue implements JourneyBatchSendQueue {
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
    const failed = (await this.sendEach(requests)).find((result) => result.error !== undefined);
    if (failed?.error) throw failed.error;
  }

  /**
   * Publishes every request it can and says what became of each, in input order, with the error
   * {@link send} would throw for it; never throws for a request SQS or the contract refused.
   */
  async sendEach(requests: readonly MessageRequest[]): Promise<JourneySendResult[]> {
    const results = await publishMessages(requests, {
      client: this.#options.client,
      queueUrl: this.#options.outboundQueueUrl,
    });
    return requests.map((request, index) => resultOf(request, results[index]));
  }
}

function resultOf(request: MessageRequest, result: PublishResult | undefined): JourneySendResult {
  const { requestId } = request;
  // SQS answers every entry, in Successful or Failed; one it left out was not published.
  if (result === undefined) {
    const error = new RetryLaterError(`outbound queue did not answer for ${requestId}`, {
      code: 'NoAnswer',
    });
    return { requestId, error };
  }
  if (result.status === 'published') return { requestId };
  if (result.status === 'invalid') {
    const issue = result.issues[0];
    const error = new JourneyDefinitionError(
      journeyOriginOf(request.metadata).journeyId ?? '?',
      `its message ${result.requestId} breaks the contract: ${issue?.field}: ${issue?.message}`,
    );
    return { requestId, error };
  }
  const error = new RetryLaterError(`outbound queue refused ${result.requestId}: ${result.message}`, {
    code: result.code,
  });
  return { requestId, error };
}
