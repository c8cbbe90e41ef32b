/**
 * The one write that moves an attempt's status forward (messages table, attempt item). Every writer
 * of an attempt's status goes through it — the sender's `sent` and `failed`, a status the sender
 * records itself (attempt-ledger.ts), a provider's receipt (webhook-ledger.ts) — so the rule that a
 * late or repeated write never moves a status back has one home: one UpdateItem conditioned on the
 * stored `statusRank` (domain/status-rank.ts), appending the change to the attempt's history.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryError } from '../../contract';
import type { AttemptHistoryEntry, FallbackClaim } from '../../domain/ledger-change-events';
import type { AdvanceResult, AttemptKey, OutboundAttempt } from '../../domain/ledger-model';
import type { SendReceipt } from '../../domain/ports';
import { statusRank } from '../../domain/status-rank';
import { attemptKey } from './messages-table';

/** One forward move of an attempt's status, and what is written with it. */
export interface AttemptStatusAdvance {
  /**
   * The history entry appended; its status is the attempt's new status. The ledger's stream
   * publishes the entries a receipt wrote (domain/ledger-change-events.ts).
   */
  readonly entry: AttemptHistoryEntry;
  /** The provider's acceptance: sets `provider`, `providerMessageId` and `sentAt` (the entry's time). */
  readonly sent?: Pick<SendReceipt, 'provider' | 'providerMessageId'>;
  /** Provider-specific facts, or what a failure still owes (kept for a redelivery to finish). */
  readonly details?: SendReceipt['details'];
  readonly error?: DeliveryError;
  /** The provider event that moved it (`lastProviderEvent`). */
  readonly providerEvent?: string;
  /** The message's context, written only where the lease did not already write it. */
  readonly context?: Pick<OutboundAttempt, 'requestId' | 'metadata'>;
  /**
   * The fallback this move owes, claimed in the same write: owed the moment the failure is
   * recorded, and sent by the stream; a claim already there (a receipt timeout's) stays.
   */
  readonly fallbackClaim?: FallbackClaim;
  /** Ends the sender's lease (the sender's own writes). */
  readonly releaseLease?: boolean;
}

/**
 * Moves an attempt's status forward, one UpdateItem; `unchanged` (nothing written) when the
 * attempt is missing or already at or past the status, `moved-and-claimed-fallback` when this
 * write made the fallback claim.
 */
export async function advanceAttemptStatus(
  documents: DynamoDBDocumentClient,
  table: string,
  key: AttemptKey,
  advance: AttemptStatusAdvance,
): Promise<AdvanceResult> {
  const { entry, sent, details, error, providerEvent, context, fallbackClaim } = advance;
  const sets = ['#status = :status', 'statusRank = :rank', 'history = list_append(history, :change)'];
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = {
    ':status': entry.status,
    ':rank': statusRank(entry.status),
    ':change': [entry],
  };
  if (sent) {
    sets.push('provider = :provider', 'providerMessageId = :pmid', 'sentAt = :at');
    Object.assign(values, { ':provider': sent.provider, ':pmid': sent.providerMessageId, ':at': entry.at });
  }
  if (providerEvent !== undefined) {
    sets.push('lastProviderEvent = :event');
    values[':event'] = providerEvent;
  }
  if (context) {
    sets.push(
      'requestId = if_not_exists(requestId, :requestId)',
      '#metadata = if_not_exists(#metadata, :metadata)',
    );
    names['#metadata'] = 'metadata';
    Object.assign(values, { ':requestId': context.requestId, ':metadata': { ...context.metadata } });
  }
  if (error) {
    sets.push('#error = :error');
    names['#error'] = 'error';
    values[':error'] = error;
  }
  if (details) {
    sets.push('details = :details');
    values[':details'] = details;
  }
  if (fallbackClaim) {
    sets.push('fallbackClaim = if_not_exists(fallbackClaim, :claim)');
    values[':claim'] = fallbackClaim;
  }
  try {
    const output = await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: attemptKey(key),
        UpdateExpression: `SET ${sets.join(', ')}${advance.releaseLease ? ' REMOVE leaseOwner, leaseUntil' : ''}`,
        // The one rule that makes reordered and repeated writes harmless.
        ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        // The claim's old value tells whether this write made it.
        ...(fallbackClaim ? { ReturnValues: 'UPDATED_OLD' as const } : {}),
      }),
    );
    if (!fallbackClaim) return 'moved';
    return output.Attributes?.fallbackClaim === undefined ? 'moved-and-claimed-fallback' : 'moved';
  } catch (caught) {
    if (caught instanceof ConditionalCheckFailedException) return 'unchanged';
    throw caught;
  }
}
