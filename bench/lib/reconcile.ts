/**
 * Reconciliation of the ledger's view with the sandbox providers' view, after a load run or a chaos
 * run. Pure: it takes what was published, what the messages table holds and what each provider
 * received, and says what is missing, sent twice or moved backwards. The benchmark and the chaos
 * suite fail on any finding; the unit tests prove each check fails when it should.
 */
import type { Channel, MessageStatus } from '../../functions/contract';
import { FAILURE_STATUSES } from '../../functions/contract';
import type { LedgerAttempt, LedgerMessage, StatusChange } from '../../functions/domain/ledger-model';
import { messageIdFor } from '../../functions/domain/message-id';
import { isTerminal, statusRank } from '../../functions/domain/status-rank';

/** One request the run published. */
export interface PublishedRequest {
  readonly requestId: string;
  readonly customerId: string;
}

/** One send a sandbox provider received (an outbox `added` record). */
export interface ProviderReceipt {
  readonly messageId: string;
  readonly attempt: number;
  readonly channel: Channel;
  readonly outcome: 'accepted' | 'refused';
  /** When the provider was called (ISO). */
  readonly at: string;
}

/** Everything the reconciliation compares. */
export interface ReconcileInput {
  readonly published: readonly PublishedRequest[];
  /** Message items of the messages table (any extra, unpublished ones are ignored). */
  readonly messages: readonly LedgerMessage[];
  /** Attempt items of the messages table. */
  readonly attempts: readonly LedgerAttempt[];
  /** What the providers received, in any order. */
  readonly received: readonly ProviderReceipt[];
  /**
   * Attempts (`messageId#attempt#channel`) where a crash was injected after the provider answered
   * and before the ledger write — the documented window where a second send is expected.
   */
  readonly crashWindow?: ReadonlySet<string>;
  /** Channels that were down during the run: a failed attempt there must fall back when it can. */
  readonly channelsDown?: readonly Channel[];
  /**
   * Channels whose providers send no delivery receipt (push): `sent` is as far as they go, so an
   * attempt there that is `sent` counts as done. Defaults to push only.
   */
  readonly noReceiptChannels?: readonly Channel[];
  /**
   * Only the router ran (no channel senders loaded): a message queued for a channel with no attempt
   * leased yet is `dispatched`, not stuck. The caller checks the channel queues hold them.
   */
  readonly routerOnly?: boolean;
}

/** How one published request ended, as the reconciliation sees it. */
export type RequestOutcome =
  | 'delivered'
  | 'sent-no-receipt'
  | 'failed'
  | 'undeliverable'
  | 'expired'
  | 'rejected'
  | 'scheduled'
  | 'dispatched'
  | 'in-flight'
  | 'missing';

/** One finding that makes the run fail. */
export interface Finding {
  readonly kind: 'missing' | 'not-terminal' | 'duplicate' | 'regression' | 'fallback-missed' | 'unrecorded';
  readonly requestId?: string;
  readonly messageId: string;
  readonly detail: string;
}

/** The reconciliation's verdict. */
export interface Reconciliation {
  /** True when there is no finding. */
  readonly ok: boolean;
  readonly published: number;
  /** Published requests by outcome. */
  readonly outcomes: Readonly<Record<RequestOutcome, number>>;
  /** Provider calls in total, and how many were a second call for the same attempt. */
  readonly providerCalls: number;
  readonly duplicateSends: number;
  /** Of those, inside the documented crash window (allowed, counted). */
  readonly duplicatesInCrashWindow: number;
  /** Messages that had an attempt on a down channel and reached a provider on another. */
  readonly fellBack: number;
  readonly findings: readonly Finding[];
}

const OUTCOMES: readonly RequestOutcome[] = [
  'delivered',
  'sent-no-receipt',
  'failed',
  'undeliverable',
  'expired',
  'rejected',
  'scheduled',
  'dispatched',
  'in-flight',
  'missing',
];

/** The key of one attempt across both views. */
export function attemptKeyOf(item: { messageId: string; attempt: number; channel: Channel }): string {
  return `${item.messageId}#${item.attempt}#${item.channel}`;
}

/** Compares the two views; see {@link Reconciliation}. */
export function reconcile(input: ReconcileInput): Reconciliation {
  const findings: Finding[] = [];
  const outcomes = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<
    RequestOutcome,
    number
  >;
  const crashWindow = input.crashWindow ?? new Set<string>();
  const down = new Set(input.channelsDown ?? []);
  const noReceipt = new Set<Channel>(input.noReceiptChannels ?? ['push']);

  const messages = new Map(input.messages.map((message) => [message.messageId, message]));
  const attemptsByMessage = groupBy(input.attempts, (attempt) => attempt.messageId);
  const receivedByAttempt = groupBy(input.received, attemptKeyOf);
  const receivedByMessage = groupBy(input.received, (receipt) => receipt.messageId);

  // Provider side: the same attempt twice is a duplicate send, allowed once per injected crash.
  let duplicateSends = 0;
  let duplicatesInCrashWindow = 0;
  for (const [key, receipts] of receivedByAttempt) {
    const extra = receipts.filter((receipt) => receipt.outcome === 'accepted').length - 1;
    if (extra <= 0) continue;
    duplicateSends += extra;
    const allowed = crashWindow.has(key) ? Math.min(extra, 1) : 0;
    duplicatesInCrashWindow += allowed;
    if (extra > allowed) {
      findings.push({
        kind: 'duplicate',
        messageId: receipts[0]?.messageId ?? key,
        detail: `attempt ${key} reached the provider ${extra + 1} times`,
      });
    }
  }

  let fellBack = 0;
  const publishedIds = new Set<string>();
  for (const request of input.published) {
    const messageId = messageIdFor(request.customerId, request.requestId);
    publishedIds.add(messageId);
    const message = messages.get(messageId);
    if (!message) {
      outcomes.missing++;
      findings.push({
        kind: 'missing',
        requestId: request.requestId,
        messageId,
        detail: 'no message in the ledger',
      });
      continue;
    }
    const attempts = [...(attemptsByMessage.get(messageId) ?? [])].sort((a, b) => a.attempt - b.attempt);

    for (const regression of regressions(message.history)) {
      findings.push({
        kind: 'regression',
        requestId: request.requestId,
        messageId,
        detail: `message: ${regression}`,
      });
    }
    for (const attempt of attempts) {
      for (const regression of regressions(attempt.history)) {
        findings.push({
          kind: 'regression',
          requestId: request.requestId,
          messageId,
          detail: `attempt ${attemptKeyOf(attempt)}: ${regression}`,
        });
      }
      // A ledger that says `sent` for an attempt no provider received has lost track of a send.
      if (statusRank(attempt.status) >= statusRank('sent') && !isFailure(attempt.status)) {
        if (!receivedByAttempt.has(attemptKeyOf(attempt))) {
          findings.push({
            kind: 'unrecorded',
            requestId: request.requestId,
            messageId,
            detail: `attempt ${attemptKeyOf(attempt)} is ${attempt.status} but no provider received it`,
          });
        }
      }
    }

    const outcome =
      input.routerOnly && message.status === 'queued' && attempts.length === 0 && message.attempts.length > 0
        ? 'dispatched'
        : outcomeOf(message, attempts, noReceipt);
    outcomes[outcome]++;
    if (outcome === 'in-flight') {
      findings.push({
        kind: 'not-terminal',
        requestId: request.requestId,
        messageId,
        detail: `message ${message.status}, attempts ${attempts.map((a) => `${a.channel}:${a.status}`).join(', ') || 'none recorded'}`,
      });
    }

    if (down.size > 0) {
      const failedDown = attempts.some((attempt) => down.has(attempt.channel) && isFailure(attempt.status));
      if (failedDown) {
        const reachedOther = (receivedByMessage.get(messageId) ?? []).some(
          (receipt) => !down.has(receipt.channel) && receipt.outcome === 'accepted',
        );
        const canStillFall = message.fallbackChannels.some((channel) => !down.has(channel));
        if (reachedOther) fellBack++;
        else if (canStillFall && !isTerminal(message.status)) {
          findings.push({
            kind: 'fallback-missed',
            requestId: request.requestId,
            messageId,
            detail: `failed on a down channel; ${message.fallbackChannels.join(', ')} never reached a provider`,
          });
        }
      }
    }
  }

  // Sends for messages nobody published (or whose ledger entry vanished) are lost track of too.
  for (const [messageId] of receivedByMessage) {
    if (!publishedIds.has(messageId)) {
      findings.push({
        kind: 'unrecorded',
        messageId,
        detail: 'a provider received a message nobody published',
      });
    }
  }

  return {
    ok: findings.length === 0,
    published: input.published.length,
    outcomes,
    providerCalls: input.received.length,
    duplicateSends,
    duplicatesInCrashWindow,
    fellBack,
    findings,
  };
}

/**
 * How a message ended: the router's own terminal or scheduled status first; otherwise its latest
 * attempt — delivered (or further), sent where the channel has no receipts, or failed with a reason
 * and nothing left to fall back to.
 */
function outcomeOf(
  message: LedgerMessage,
  attempts: readonly LedgerAttempt[],
  noReceipt: ReadonlySet<Channel>,
): RequestOutcome {
  switch (message.status) {
    case 'rejected':
    case 'expired':
    case 'undeliverable':
      return message.status;
    case 'scheduled':
      return 'scheduled';
  }
  if (
    attempts.some(
      (attempt) => statusRank(attempt.status) >= statusRank('delivered') && !isFailure(attempt.status),
    )
  )
    return 'delivered';
  const planned = message.attempts.length;
  const latest = attempts.at(-1);
  // An attempt the router planned but no sender has leased yet is still in flight.
  if (!latest || attempts.length < planned) return 'in-flight';
  if (latest.status === 'sent' && noReceipt.has(latest.channel)) return 'sent-no-receipt';
  if (isFailure(latest.status)) {
    const reason =
      latest.error?.code ?? [...latest.history].reverse().find((change) => change.reason)?.reason;
    if (reason && message.fallbackChannels.length === 0) return 'failed';
  }
  return 'in-flight';
}

/** Every step of a status history that moved backwards, or moved at all after a terminal status. */
export function regressions(history: readonly StatusChange[]): string[] {
  const found: string[] = [];
  for (let index = 1; index < history.length; index++) {
    const before = history[index - 1] as StatusChange;
    const after = history[index] as StatusChange;
    if (statusRank(after.status) < statusRank(before.status)) {
      found.push(`${before.status} → ${after.status} at ${after.at}`);
    } else if (isTerminal(before.status) && after.status !== before.status) {
      found.push(`${before.status} (terminal) → ${after.status} at ${after.at}`);
    }
  }
  return found;
}

function isFailure(status: MessageStatus): boolean {
  return FAILURE_STATUSES.includes(status);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The reconciliation as printable lines. */
export function describeReconciliation(result: Reconciliation, maxFindings = 20): string[] {
  const lines = [
    `reconciliation: ${result.ok ? 'OK' : `FAILED (${result.findings.length} findings)`}`,
    `  published ${result.published}; ${OUTCOMES.filter((o) => result.outcomes[o] > 0)
      .map((o) => `${o} ${result.outcomes[o]}`)
      .join(', ')}`,
    `  provider calls ${result.providerCalls}; duplicate sends ${result.duplicateSends} (in crash window ${result.duplicatesInCrashWindow}); fell back ${result.fellBack}`,
  ];
  for (const finding of result.findings.slice(0, maxFindings)) {
    lines.push(`  ${finding.kind}: ${finding.requestId ?? ''} ${finding.messageId} — ${finding.detail}`);
  }
  if (result.findings.length > maxFindings) lines.push(`  … ${result.findings.length - maxFindings} more`);
  return lines;
}
