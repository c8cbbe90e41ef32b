/** Faults in the outbox relay's ports (chaos suite): an outage of the events topic or of the fallback queue. */
import type { EventPublisher, FallbackQueue, SwitchboardEvent } from '../../functions/domain/ports';

/** A port wrapper and what it did. */
export interface OutboxFault<P> {
  readonly wrap: (port: P) => P;
  /** Calls refused with an error (the stream record is retried). */
  readonly refused: () => number;
  /** Calls acknowledged without being passed on (the planted defect). */
  readonly dropped: () => number;
}

/** How a faulty port misbehaves: every call throws for `outageMs` from its first call, or drops the first `drop` calls. */
export interface OutboxFaultPlan {
  readonly outageMs?: number;
  readonly drop?: number;
}

function faulty<A extends unknown[]>(plan: OutboxFaultPlan, what: string) {
  let firstCall: number | undefined;
  let refused = 0;
  let dropped = 0;
  const around =
    (call: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      firstCall ??= Date.now();
      if (plan.outageMs !== undefined && Date.now() - firstCall < plan.outageMs) {
        refused++;
        throw new Error(`injected: ${what} unavailable`);
      }
      if (dropped < (plan.drop ?? 0)) {
        dropped++;
        return;
      }
      await call(...args);
    };
  return { around, refused: () => refused, dropped: () => dropped };
}

/** An events publisher that fails (SNS publish outage) or drops events, per `plan`. */
export function faultyEvents(
  plan: OutboxFaultPlan,
  // Only batches this accepts count for `drop` (e.g. ones holding delivery events).
  droppable: (batch: readonly SwitchboardEvent[]) => boolean = () => true,
): OutboxFault<EventPublisher> {
  const fault = faulty<Parameters<EventPublisher['publish']>>(plan, 'SNS Publish');
  return {
    wrap: (events) => {
      const publish = fault.around((batch) => events.publish(batch));
      return {
        publish: (batch) => (plan.drop && !droppable(batch) ? events.publish(batch) : publish(batch)),
      };
    },
    refused: fault.refused,
    dropped: fault.dropped,
  };
}

/** A fallback queue that fails (SQS SendMessage outage) or drops fallbacks, per `plan`. */
export function faultyFallbacks(plan: OutboxFaultPlan): OutboxFault<FallbackQueue> {
  const fault = faulty<Parameters<FallbackQueue['enqueue']>>(plan, 'SQS SendMessage');
  return {
    wrap: (fallbacks) => ({ enqueue: fault.around((request) => fallbacks.enqueue(request)) }),
    refused: fault.refused,
    dropped: fault.dropped,
  };
}
