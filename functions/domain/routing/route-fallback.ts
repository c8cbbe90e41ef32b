/**
 * A fallback request (a channel gave up on a message): plan again without the channels already
 * tried, so consent and preferences are checked again, and add the next attempt to the ledger on
 * the condition that none of its channels was tried before — so fallback never loops.
 */
import { MessageStatus } from '../../contract';
import type { RoutingProfile } from '../customer-model';
import { isTerminal } from '../status-rank';
import { dispatchesForDecision } from './build-channel-message';
import { applyJourneyFence, maxQueueDelayFor, recordFencedCancel } from './journey-dispatch-fence';
import type { ParsedRecord } from './parse-outbound-record';
import { outcomeOfStatus, planAndRender } from './plan-and-render';
import { redispatchIfOwed } from './redispatch-owed-attempts';
import { duplicateResult, RouteOutcome, type RoutingContext, type StepResult } from './types';

/** A parsed fallback request. */
export type FallbackRecord = Extract<ParsedRecord, { kind: 'fallback' }>;

/** Routes a fallback request to the next channels, or ends the message when none is left. */
export async function routeFallback(
  item: FallbackRecord,
  profile: RoutingProfile | undefined,
  context: RoutingContext,
): Promise<StepResult> {
  const { fallback, messageId } = item;
  const { ledger } = context.deps;
  const message = await ledger.getMessage(fallback.customerId, messageId);
  if (!message?.request) {
    context.logger.warn('Fallback for a message the ledger does not have (erased?); dropping it', {
      messageId,
      customerId: fallback.customerId,
    });
    return duplicateResult(item.record.id, messageId);
  }
  if (isTerminal(message.status)) return duplicateResult(item.record.id, messageId);
  const request = message.request;
  if (request.routing?.fallback === false) return duplicateResult(item.record.id, messageId);
  if (message.sourceId === item.record.id) {
    // This record planned the latest attempts and is delivered again (its dispatch failed, or its
    // acknowledgement): dispatch them again rather than plan one more channel past them.
    const redispatch = await redispatchIfOwed(item.record.id, request, message, profile, context);
    return redispatch ?? duplicateResult(item.record.id, messageId);
  }
  const tried = [...new Set([...fallback.triedChannels, ...message.attempts.map((a) => a.channel)])];
  const decision = await planAndRender(request, profile, tried, context);
  const at = context.now.toISOString();
  if (decision.kind === 'final') {
    await ledger.recordMessageStatus(fallback.customerId, messageId, {
      status: decision.status,
      at,
      reason: `fallback after "${fallback.reason}": ${decision.reasons.join('; ')}`,
    });
    return { id: item.record.id, outcome: outcomeOfStatus(decision.status), messageId };
  }
  const attemptNumber = Math.max(0, ...message.attempts.map((a) => a.attempt)) + 1;
  if (decision.delaySeconds > maxQueueDelayFor(request)) {
    await context.deps.scheduler.schedule({
      key: `${messageId}-${attemptNumber}`,
      at: decision.deliverAt,
      body: item.record.body,
    });
    return { id: item.record.id, outcome: RouteOutcome.SCHEDULED, messageId };
  }
  // A journey's message falls back only while its run still lets it go.
  const fenced = await applyJourneyFence(request, item.record, 'fallback', context);
  if (fenced.kind === 'cancel') {
    const reason = `fallback after "${fallback.reason}" cancelled: ${fenced.reason}`;
    return recordFencedCancel(item.record, { customerId: fallback.customerId, messageId }, reason, context);
  }
  const attempts = decision.channels.map((channel) => ({ channel, attempt: attemptNumber }));
  const added = await ledger.addFallbackAttempts(
    fallback.customerId,
    messageId,
    {
      attempts,
      fallbackChannels: decision.fallbackChannels,
      skipped: decision.skipped,
      sourceId: item.record.id,
    },
    { status: MessageStatus.QUEUED, at, reason: `fallback after "${fallback.reason}"` },
  );
  if (!added) {
    // Either another fallback got there first, or this record planned it and is being redelivered.
    const current = await ledger.getMessage(fallback.customerId, messageId);
    const redispatch =
      current && (await redispatchIfOwed(item.record.id, request, current, profile, context));
    return redispatch || duplicateResult(item.record.id, messageId);
  }
  return dispatchesForDecision(item.record.id, request, messageId, decision, attemptNumber, context.now);
}
