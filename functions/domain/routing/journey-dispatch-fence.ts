/**
 * The journey dispatch fence: the router's last check, just before it commits to sending a journey's
 * message, that the run which asked for it still lets it go — so that no reminder follows a purchase.
 *
 * The check is ONE conditional write on the run item (the adapter, journey-dispatch-fence.ts in
 * adapters/dynamodb): mark the request dispatched and raise the run's version, if the item still
 * holds the same run, the run asked for this request, and the run is active or ended `completed`
 * (a thank-you then an exit, in one advance). The engine writes the run only on the version it read,
 * so the two writes are ordered by DynamoDB: either the fence lands first (the message goes, and the
 * engine's exit, written on a stale version, is refused and made again on the run that now says the
 * message went), or the exit lands first (the fence's condition fails and the message is cancelled).
 *
 * When the condition fails, the run as it stood says why ({@link fenceVerdict}): exited on a goal or
 * cancelled, replaced by a newer run, or gone → `cancelled`; still active but not yet recording the
 * request (the engine's write has not landed) → retried for {@link UNRECORDED_SEND_GRACE_MS}, then
 * `cancelled`. A request already marked dispatched on the same run keeps that verdict: a repeat of
 * its first dispatch is dispatched again (the ledger and the channel senders keep it to one send).
 */
import { journeyOriginOf, type MessageRequest, MessageStatus } from '../../contract';
import { RetryLaterError } from '../errors';
import { MAX_QUEUE_DELAY_SECONDS } from '../ports';
import {
  duplicateResult,
  type OutboundRecord,
  RouteOutcome,
  type RoutingContext,
  type StepResult,
} from './types';

/** Where a journey's message belongs: its run's item (customer × journey × key) and the run and request ids. */
export interface JourneySend {
  readonly customerId: string;
  readonly journeyId: string;
  /** The run's business key, `-` for a journey without one. */
  readonly key: string;
  readonly runId: string;
  readonly requestId: string;
}

/** The run item as the fence's refused write found it. */
export interface FencedRun {
  readonly runId: string;
  /** `active` or `exited` (anything else is a run the fence does not understand). */
  readonly status: string;
  /** Why it exited: `completed`, `goal` or `cancelled`. */
  readonly exitReason?: string;
  /** The request ids the run asked for. */
  readonly sendIds: readonly string[];
  /** Request ids the fence let through, with when. */
  readonly dispatched: Readonly<Record<string, string>>;
}

/** The fence's write: made, or refused with the run as it stood (no `run`: there is no run item). */
export type FenceWrite = { readonly written: true } | { readonly written: false; readonly run?: FencedRun };

/** The runs' side of the fence (the messages table's run items on DynamoDB). */
export interface JourneyDispatchFence {
  /**
   * One conditional write: marks `send.requestId` dispatched at `at` (kept if already marked) and
   * raises the run's version, if the item holds `send.runId`, its `sendIds` has the request, and
   * the run is active or exited `completed`. Refused: the item as it stood when the condition failed.
   */
  markDispatched(send: JourneySend, at: string): Promise<FenceWrite>;
}

/** What the fence decides for a message: send it, never send it (with why), or ask again later. */
export type FenceVerdict =
  | { readonly kind: 'dispatch' }
  | { readonly kind: 'cancel'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string };

/** What the router does with a message once the fence is through asking: send it, or never. */
export type FenceDecision = Exclude<FenceVerdict, { readonly kind: 'retry' }>;

/**
 * How long a journey's message waits for its run to record it before it is cancelled. The engine
 * records a send before it publishes it, so a run that misses it for this long never will; with the
 * outbound queue's visibility timeout (180 s) and 5 receives, the last retry falls after it.
 */
export const UNRECORDED_SEND_GRACE_MS = 5 * 60 * 1000;

/**
 * Seconds a journey's message may wait on its channel queue once the fence let it through (clock
 * rounding at most). A longer wait, such as the end of quiet hours ten minutes away, is scheduled
 * instead and fenced when it is due: a purchase during the wait still stops it.
 */
const JOURNEY_QUEUE_DELAY_SECONDS = 5;

/** The longest wait on a channel queue a message may be dispatched with; a longer one is scheduled. */
export function maxQueueDelayFor(request: MessageRequest): number {
  return journeySendOf(request) ? JOURNEY_QUEUE_DELAY_SECONDS : MAX_QUEUE_DELAY_SECONDS;
}

/** Which dispatch of the message the fence guards: its first, or a fallback to another channel. */
export type FencedDispatch = 'first' | 'fallback';

/** The run a request belongs to, from the metadata a journey's send step writes; undefined for any other request. */
export function journeySendOf(request: MessageRequest): JourneySend | undefined {
  const origin = journeyOriginOf(request.metadata);
  const { runId } = origin;
  if (runId === undefined) return undefined;
  return {
    customerId: request.customerId,
    // Missing ids address no run item: the fence then finds no run and cancels (fails safe).
    journeyId: origin.journeyId ?? '',
    key: origin.key ?? '-',
    runId,
    requestId: request.requestId,
  };
}

/**
 * The verdict on the fence's write. `waitedMs` is how long the message has waited for its run
 * (since the router first received its record). A fallback is a new send: it goes only while the
 * run still lets messages go, whatever its first dispatch was allowed.
 */
export function fenceVerdict(
  write: FenceWrite,
  send: JourneySend,
  situation: { readonly dispatch: FencedDispatch; readonly waitedMs: number },
): FenceVerdict {
  if (write.written) return { kind: 'dispatch' };
  const { run } = write;
  if (!run) return { kind: 'cancel', reason: 'journey run not found' };
  if (run.runId !== send.runId) return { kind: 'cancel', reason: 'journey run replaced by a newer run' };
  if (situation.dispatch === 'first' && run.dispatched[send.requestId] !== undefined) {
    return { kind: 'dispatch' };
  }
  if (run.status === 'exited' && run.exitReason !== 'completed') {
    return { kind: 'cancel', reason: `journey exited: ${run.exitReason ?? 'unknown reason'}` };
  }
  if (!run.sendIds.includes(send.requestId)) {
    const waitedTooLong = run.status === 'exited' || situation.waitedMs > UNRECORDED_SEND_GRACE_MS;
    return waitedTooLong
      ? { kind: 'cancel', reason: 'journey never recorded the send' }
      : { kind: 'retry', reason: 'the journey has not recorded the send yet' };
  }
  // The condition held on everything above, so the run's own state is one the fence cannot read.
  return { kind: 'cancel', reason: `journey run in an unknown state (${run.status})` };
}

/**
 * The fence for a message the router is about to record for dispatch: `dispatch` at no cost for a
 * message no journey sent; for a journey's, the verdict of one conditional write. Throws a
 * {@link RetryLaterError} while the run has not recorded the send yet (SQS redelivers the record).
 */
export async function applyJourneyFence(
  request: MessageRequest,
  record: OutboundRecord,
  dispatch: FencedDispatch,
  context: RoutingContext,
): Promise<FenceDecision> {
  const send = journeySendOf(request);
  if (!send) return { kind: 'dispatch' };
  const fence = context.deps.journeyFence;
  if (!fence) {
    // A configuration error, loud on purpose: sending without the fence could follow a purchase.
    throw new Error('The router has no journey dispatch fence; a journey message cannot be dispatched');
  }
  const write = await fence.markDispatched(send, context.now.toISOString());
  const waitedMs = record.firstReceivedAt ? context.now.getTime() - record.firstReceivedAt.getTime() : 0;
  const verdict = fenceVerdict(write, send, { dispatch, waitedMs });
  if (verdict.kind === 'retry') {
    throw new RetryLaterError(`Journey message not dispatched yet: ${verdict.reason}`, {
      code: 'JOURNEY_SEND_UNRECORDED',
    });
  }
  if (verdict.kind === 'cancel') {
    context.logger.info('A journey message was cancelled by its run', {
      customerId: send.customerId,
      journeyId: send.journeyId,
      runId: send.runId,
      requestId: send.requestId,
      reason: verdict.reason,
    });
  }
  return verdict;
}

/**
 * Records an existing message `cancelled` because its run's fence said so: the record's outcome is
 * `cancelled`, or a duplicate when another delivery already moved the message on.
 */
export async function recordFencedCancel(
  record: OutboundRecord,
  message: { readonly customerId: string; readonly messageId: string },
  reason: string,
  context: RoutingContext,
): Promise<StepResult> {
  const recorded = await context.deps.ledger.recordMessageStatus(message.customerId, message.messageId, {
    status: MessageStatus.CANCELLED,
    at: context.now.toISOString(),
    reason,
  });
  return recorded
    ? { id: record.id, outcome: RouteOutcome.CANCELLED, messageId: message.messageId }
    : duplicateResult(record.id, message.messageId);
}
