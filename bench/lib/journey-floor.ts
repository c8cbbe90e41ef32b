/**
 * The floor of AWS requests for one run of `cart-recovery`: the fewest requests the issue's design
 * needs (a pure interpreter over one run item per customer × journey × key, each input read
 * strongly consistently and written back only if the version read is still stored; timers beyond
 * 15 minutes on EventBridge Scheduler; inputs from the tables' streams), priced as bench/lib/cost.ts
 * prices measured requests, with no Lambda duration. docs/journeys.md ("Cost") states it in prose.
 *
 * Per input that changes a run:
 * - 1 RRU: a strongly consistent GetItem of the run item (≤ 4 KB; a missing item costs the same):
 *   the interpreter needs the state, and the entry needs to know whether a run exists (at most
 *   one active run per key, re-entry policies);
 * - 1 WRU: the version-conditioned PutItem of a run item of at most 1 KB (the run's position,
 *   version, status, sends and the entry's cart data fit in 1 KB).
 * Per input from a stream (an entry, a goal): 1/100 Lambda invocation (batch size 100); the stream
 * reads are free, and the engine's own writes never invoke it (the event filter drops them).
 * Per timer (both of cart-recovery's waits are beyond 15 minutes, so each is a schedule):
 * - CreateSchedule when scheduled, DeleteSchedule when the run leaves the wait early: no charge;
 * - when it fires: 1 Scheduler invocation, 1 SQS SendMessage (the schedule's target), and for the
 *   timers consumer 1/10 ReceiveMessage, 1/10 DeleteMessageBatch, 1/10 Lambda invocation (batch 10).
 * Per message sent: 1/10 SendMessageBatch to the outbound queue (ten sends of a batch together).
 * What the messages then cost to deliver (router, sender, callbacks: about $4.7 per 1M messages,
 * bench/load.ts) is not the journey's; nor are the touchpoints that carry the events in
 * (bench/touchpoints.ts).
 *
 * - converted (Product Added, then Order Completed with the cart's id before the first timeout):
 *   2 stream inputs → 2 RRU + 2 WRU + 0.02 invocation; one schedule created and deleted, none fired.
 * - timed out (no order): 1 stream input and 2 timers fired → 3 RRU + 3 WRU, 2 Scheduler
 *   invocations, SQS 2 × (1 + 0.1 + 0.1) + 2 × 0.1 = 2.6 requests, 0.01 + 2 × 0.1 invocations.
 */
import { type CostPerMillion, priceRequests } from './cost';

/** A path a run of cart-recovery takes. */
export type CartRecoveryPath = 'converted' | 'timed-out';

/** What one run of a path asks for, in the floor's terms. */
export interface JourneyFloorShape {
  readonly streamInputs: number;
  readonly timersFired: number;
  readonly sends: number;
}

/** The floor's shape of each path of cart-recovery. */
export const CART_RECOVERY_FLOOR: Readonly<Record<CartRecoveryPath, JourneyFloorShape>> = {
  converted: { streamInputs: 2, timersFired: 0, sends: 0 },
  'timed-out': { streamInputs: 1, timersFired: 2, sends: 2 },
};

/** Stream records per journey-events invocation at best (the event source's batch size). */
const STREAM_BATCH = 100;

/** SQS's batch limit: messages per receive (the timers consumer's batch) and per SendMessageBatch. */
const SQS_BATCH = 10;

/** The floor per million runs of one shape. */
export function journeyFloorPerMillion(shape: JourneyFloorShape): CostPerMillion {
  const inputs = shape.streamInputs + shape.timersFired;
  return priceRequests({
    lambdaInvocations: shape.streamInputs / STREAM_BATCH + shape.timersFired / SQS_BATCH,
    sqsRequests: shape.timersFired * (1 + 2 / SQS_BATCH) + shape.sends / SQS_BATCH,
    readUnits: inputs,
    writeUnits: inputs,
    schedulerInvocations: shape.timersFired,
  });
}
