/**
 * The receipt timeout: when a provider accepts a message whose request sets
 * `routing.receiptTimeoutSeconds`, a check is scheduled for then (an SQS message delayed by up to
 * 15 minutes, delayed again until due). When it comes due: if the attempt has a delivery receipt, or
 * already failed (its failure receipt handled fallback), nothing happens; otherwise the message
 * falls back once. A receipt that arrives later is still recorded by the webhooks, and cannot send
 * again because the fallback is claimed once per attempt. The claim is the whole step: the owed
 * FallbackRequest is sent by the ledger's stream consumer (domain/ledger-change-events.ts), so a
 * failed SQS send after the claim cannot lose it.
 */
import type { ReceiptCheck } from '../contract';
import type { ReceiptCheckScheduler, WebhookLedger } from './ports';
import { STATUS_RANK } from './status-rank';

/** What the check found. */
export type ReceiptCheckOutcome =
  | 'not-due'
  | 'unknown-message'
  | 'receipt-arrived'
  | 'no-fallback'
  | 'fell-back'
  | 'already-fallen-back';

/** What the check needs. */
export interface ReceiptTimeoutDependencies {
  readonly ledger: WebhookLedger;
  readonly scheduler: ReceiptCheckScheduler;
  readonly now?: () => Date;
}

/** Handles one receipt check. */
export async function checkReceipt(
  check: ReceiptCheck,
  deps: ReceiptTimeoutDependencies,
): Promise<ReceiptCheckOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  // SQS delays at most 15 minutes; a longer timeout comes back early and is delayed again.
  if (Date.parse(check.dueAt) > now.getTime()) {
    await deps.scheduler.schedule(check);
    return 'not-due';
  }
  // Messages live under their customer: a check without the customer id has no key to read.
  const attempt = check.customerId
    ? await deps.ledger.findAttempt({
        customerId: check.customerId,
        messageId: check.messageId,
        channel: check.channel,
        attempt: check.attempt,
      })
    : undefined;
  if (!attempt) return 'unknown-message';
  // Delivered, read, opened, clicked, or a failure (whose own receipt decided fallback).
  if (STATUS_RANK[attempt.status] >= STATUS_RANK.delivered) return 'receipt-arrived';
  if (!attempt.fallbackAllowed) return 'no-fallback';
  const reason = { kind: 'receipt_timeout', code: 'receipt_timeout', at: now.toISOString() } as const;
  return (await deps.ledger.claimFallback(attempt, reason)) ? 'fell-back' : 'already-fallen-back';
}
