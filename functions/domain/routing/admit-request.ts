/**
 * A message request from a publisher: new, scheduled for later, due after its schedule, or
 * already known (a duplicate publish, or a redelivered record that still owes its dispatch).
 *
 * Main path: plan and render → apply the frequency caps → check a journey's message against its
 * run (journey-dispatch-fence.ts) → record the message with a create-if-absent write → return its
 * channel messages for the batch's dispatch. A request due beyond one queue delay (a journey's:
 * beyond a few seconds, so that it is fenced when it is due) is recorded `scheduled` and handed to
 * the scheduler, which publishes it again when it is due; a request over a cap is recorded `capped`
 * and, when deferred, scheduled the same way for the end of the cap's window, when it is decided
 * (and capped) again.
 */
import { MessageStatus } from '../../contract';
import type { RoutingProfile } from '../customer-model';
import type { LedgerMessage, NewMessage } from '../ledger-model';
import { applyFrequencyCaps, type CapOutcome } from './apply-frequency-caps';
import { dispatchesForDecision } from './build-channel-message';
import { cappedScheduleKey } from './frequency-caps';
import {
  applyJourneyFence,
  type FenceDecision,
  maxQueueDelayFor,
  recordFencedCancel,
} from './journey-dispatch-fence';
import type { ParsedRecord } from './parse-outbound-record';
import { outcomeOfStatus, planAndRender, type RouteDecisionToSend } from './plan-and-render';
import { redispatchIfOwed } from './redispatch-owed-attempts';
import { duplicateResult, RouteOutcome, type RoutingContext, type StepResult } from './types';

/** A scheduled message this close to its time is treated as due (clock skew, schedule jitter). */
const DUE_TOLERANCE_MS = 1000;

/** A parsed message request. */
export type RequestRecord = Extract<ParsedRecord, { kind: 'request' }>;

/** Routes a message request: records it once, then plans its dispatch or its schedule. */
export async function admitRequest(
  item: RequestRecord,
  profile: RoutingProfile | undefined,
  context: RoutingContext,
): Promise<StepResult> {
  const { request, messageId } = item;
  const base = { ...newMessageFields(item, context.now), sourceId: item.record.id };
  const decision = await planAndRender(request, profile, [], context);
  if (decision.kind === 'final') {
    const created = await context.deps.ledger.createMessage({
      ...base,
      status: decision.status,
      reasons: decision.reasons,
      skipped: decision.skipped,
    });
    if (!created.created) return resumeExisting(item, created.existing, profile, context);
    return { id: item.record.id, outcome: outcomeOfStatus(decision.status), messageId };
  }
  const attempts = decision.channels.map((channel) => ({ channel, attempt: 1 }));
  const plan = { attempts, fallbackChannels: decision.fallbackChannels, skipped: decision.skipped };
  const scheduled = decision.delaySeconds > maxQueueDelayFor(request);
  let fenced: FenceDecision | undefined;
  if (!scheduled) {
    // Counted before the create-if-absent write: a redelivery finds its id among the counted ones.
    const capped = await capsFor(item, decision, context);
    if (capped.kind !== 'send') {
      const created = await context.deps.ledger.createMessage({
        ...base,
        status: MessageStatus.CAPPED,
        reasons: [capped.reason],
        skipped: decision.skipped,
        ...(capped.kind === 'defer' ? { deliverAt: capped.until.toISOString() } : {}),
      });
      if (!created.created) return resumeExisting(item, created.existing, profile, context);
      return deferIfCapped(item, capped, context);
    }
    // The last check before the message is recorded for dispatch: its journey run still lets it go.
    fenced = await applyJourneyFence(request, item.record, 'first', context);
    if (fenced.kind === 'cancel') {
      const created = await context.deps.ledger.createMessage({
        ...base,
        status: MessageStatus.CANCELLED,
        reasons: [fenced.reason],
        skipped: decision.skipped,
      });
      if (!created.created) return resumeExisting(item, created.existing, profile, context, fenced);
      return { id: item.record.id, outcome: RouteOutcome.CANCELLED, messageId };
    }
  }
  const created = await context.deps.ledger.createMessage({
    ...base,
    ...(scheduled ? { attempts: [], fallbackChannels: [], skipped: decision.skipped } : plan),
    status: scheduled ? MessageStatus.SCHEDULED : MessageStatus.QUEUED,
    reasons: decision.quietHoursDelay ? ['delayed to the end of quiet hours'] : [],
    deliverAt: decision.deliverAt.toISOString(),
    // A scheduled message is decided again when it is due; this choice would not be the one made.
    ...(decision.choice && !scheduled ? { choice: decision.choice } : {}),
  });
  if (!created.created) return resumeExisting(item, created.existing, profile, context, fenced);
  if (scheduled) {
    await context.deps.scheduler.schedule({ key: messageId, at: decision.deliverAt, body: item.record.body });
    return { id: item.record.id, outcome: RouteOutcome.SCHEDULED, messageId };
  }
  return dispatchesForDecision(item.record.id, request, messageId, decision, 1, context.now);
}

/**
 * A request whose message already exists: a duplicate, a due schedule, or a retry after a crash.
 * `fenced` is the fence's verdict when this delivery already asked it (one write per delivery).
 */
async function resumeExisting(
  item: RequestRecord,
  existing: LedgerMessage,
  profile: RoutingProfile | undefined,
  context: RoutingContext,
  fenced?: FenceDecision,
): Promise<StepResult> {
  const { messageId, request } = item;
  const { ledger, scheduler } = context.deps;
  // A capped message without a time to go was dropped: a repeat of its request sends nothing.
  const deferred = existing.status === MessageStatus.CAPPED && existing.deliverAt !== undefined;
  if (existing.status === MessageStatus.SCHEDULED || deferred) {
    const deliverAt = existing.deliverAt ? Date.parse(existing.deliverAt) : 0;
    if (deliverAt - DUE_TOLERANCE_MS > context.now.getTime()) {
      // Not due: a duplicate publish, or one hop of a chained local schedule. Scheduling is idempotent.
      const at = new Date(deliverAt);
      await scheduler.schedule({
        key: deferred ? cappedScheduleKey(messageId, at) : messageId,
        at,
        body: item.record.body,
      });
      return {
        id: item.record.id,
        outcome: deferred ? RouteOutcome.CAPPED : RouteOutcome.SCHEDULED,
        messageId,
      };
    }
    const decision = await planAndRender(request, profile, [], context);
    if (decision.kind === 'final') {
      await ledger.recordMessageStatus(request.customerId, messageId, {
        status: decision.status,
        at: context.now.toISOString(),
        reason: decision.reasons.join('; '),
      });
      return { id: item.record.id, outcome: outcomeOfStatus(decision.status), messageId };
    }
    if (decision.delaySeconds > maxQueueDelayFor(request)) {
      await scheduler.schedule({ key: messageId, at: decision.deliverAt, body: item.record.body });
      return { id: item.record.id, outcome: RouteOutcome.SCHEDULED, messageId };
    }
    const capped = await capsFor(item, decision, context);
    if (capped.kind !== 'send') {
      const recorded = await ledger.recordCapped(request.customerId, messageId, {
        at: context.now.toISOString(),
        reason: capped.reason,
        ...(capped.kind === 'defer' ? { until: capped.until.toISOString() } : {}),
      });
      if (!recorded) return duplicateResult(item.record.id, messageId);
      return deferIfCapped(item, capped, context);
    }
    const verdict = fenced ?? (await applyJourneyFence(request, item.record, 'first', context));
    if (verdict.kind === 'cancel') {
      const message = { customerId: request.customerId, messageId };
      return recordFencedCancel(item.record, message, verdict.reason, context);
    }
    const attempts = decision.channels.map((channel) => ({ channel, attempt: 1 }));
    const started = await ledger.startScheduled(
      request.customerId,
      messageId,
      {
        attempts,
        fallbackChannels: decision.fallbackChannels,
        skipped: decision.skipped,
        sourceId: item.record.id,
      },
      context.now.toISOString(),
    );
    if (!started) return duplicateResult(item.record.id, messageId);
    return dispatchesForDecision(item.record.id, request, messageId, decision, 1, context.now);
  }
  const redispatch = await redispatchIfOwed(item.record.id, request, existing, profile, context);
  return redispatch ?? duplicateResult(item.record.id, messageId);
}

/** The caps' outcome for a decision to send now (at its `deliverAt`, at most one queue delay away). */
function capsFor(item: RequestRecord, decision: RouteDecisionToSend, context: RoutingContext) {
  const { request, messageId } = item;
  const { channels, profile, deliverAt } = decision;
  return applyFrequencyCaps(request, messageId, channels, profile.caps, deliverAt, context);
}

/** A capped message's result, after scheduling it for the end of its window when it is deferred. */
async function deferIfCapped(
  item: RequestRecord,
  capped: Exclude<CapOutcome, { kind: 'send' }>,
  context: RoutingContext,
): Promise<StepResult> {
  const { messageId } = item;
  if (capped.kind === 'defer') {
    const key = cappedScheduleKey(messageId, capped.until);
    await context.deps.scheduler.schedule({ key, at: capped.until, body: item.record.body });
  }
  return { id: item.record.id, outcome: RouteOutcome.CAPPED, messageId };
}

function newMessageFields(item: RequestRecord, now: Date): NewMessage {
  const { request, messageId } = item;
  return {
    messageId,
    customerId: request.customerId,
    requestId: request.requestId,
    category: request.category,
    status: MessageStatus.QUEUED,
    request,
    reasons: [],
    skipped: {},
    fallbackChannels: [],
    attempts: [],
    metadata: request.metadata ?? {},
    at: now.toISOString(),
  };
}
