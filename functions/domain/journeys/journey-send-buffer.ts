/**
 * The messages of one batch of journey inputs, published together: each input's engine call gets a
 * send port that only collects its requests ({@link JourneySendBuffer.portFor}), and the batch
 * publishes them all at its end, so ten messages share a SendMessageBatch instead of each input
 * paying for one of its own (docs/journeys.md, "Cost").
 *
 * Nothing is lost: the flush names every input whose requests did not all go out, and the consumer
 * reports it as failed, so it comes back, finds itself already applied (its run item remembers the
 * input and its effects, journey-engine.ts) and carries the same effects out again.
 *
 * Only for the timers consumer: the timer an advance schedules is never in the batch that made it,
 * so a run's stored last effects are still the ones a failed flush needs redone. Not for the stream
 * consumer: a later change of its batch may advance the same run again and replace them.
 */
import type { MessageRequest } from '../../contract';
import type { JourneyBatchSendQueue, JourneySendQueue } from './journey-ports';

/** An input of the batch whose requests did not all go out, and the first reason why. */
export interface UnsentInput {
  readonly inputId: string;
  /** The requests of that input that were not published. */
  readonly requestIds: readonly string[];
  readonly error: Error;
}

/** Collects the requests of a batch's inputs and publishes them together (one buffer per batch). */
export class JourneySendBuffer {
  /** requestId → the request (the first collected) and the inputs that asked for it. */
  #pending = new Map<string, { request: MessageRequest; inputs: Set<string> }>();

  constructor(private readonly queue: Pick<JourneyBatchSendQueue, 'sendEach'>) {}

  /**
   * The send port of one input (`inputId`: e.g. its SQS message id): it collects, never publishes.
   * A request collected twice (the same timer delivered twice in one batch) is published once, and
   * both inputs depend on it.
   */
  portFor(inputId: string): JourneySendQueue {
    return {
      send: async (requests) => {
        for (const request of requests) {
          const pending = this.#pending.get(request.requestId);
          if (pending) pending.inputs.add(inputId);
          else this.#pending.set(request.requestId, { request, inputs: new Set([inputId]) });
        }
      },
    };
  }

  /**
   * Publishes every collected request in one call of the queue (which packs them ten to a
   * SendMessageBatch) and returns the inputs that had a request not published, empty when all went out.
   */
  async flush(): Promise<UnsentInput[]> {
    // Taken before the first await: requests collected meanwhile go to the next flush.
    const pending = [...this.#pending.values()];
    this.#pending = new Map();
    if (pending.length === 0) return [];
    const requests = pending.map((entry) => entry.request);
    let errors: (Error | undefined)[];
    try {
      const results = await this.queue.sendEach(requests);
      errors = pending.map((_, index) => results[index]?.error ?? noResult(results[index]));
    } catch (failure) {
      const error = failure instanceof Error ? failure : new Error(String(failure));
      errors = pending.map(() => error);
    }
    const unsent = new Map<string, { requestIds: string[]; error: Error }>();
    pending.forEach((entry, index) => {
      const error = errors[index];
      if (error === undefined) return;
      for (const inputId of entry.inputs) {
        const input = unsent.get(inputId) ?? { requestIds: [], error };
        input.requestIds.push(entry.request.requestId);
        unsent.set(inputId, input);
      }
    });
    return [...unsent].map(([inputId, input]) => ({ inputId, ...input }));
  }
}

/** A queue that gave no result for a request did not say it was published: it counts as unsent. */
function noResult(result: unknown): Error | undefined {
  return result === undefined ? new Error('the outbound queue gave no result for it') : undefined;
}
