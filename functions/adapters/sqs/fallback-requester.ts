/**
 * Hands an attempt back to the router: a FallbackRequest on the outbound queue, which the router
 * (handlers/route-messages.ts) plans again with fresh consent and preferences, never repeating a
 * channel already tried. A second copy of the same request is harmless: the router's ledger write
 * adds a fallback attempt only on channels not yet attempted.
 */

import type { SQSClient } from '@aws-sdk/client-sqs';
import { type FallbackRequest, FallbackRequestSchema, parseWith } from '../../contract';
import type { FallbackReason, OutboundAttempt } from '../../domain/ledger-model';
import type { FallbackRequester } from '../../domain/ports';
import { SqsFallbackQueue } from './fallback-queue';

/** Options for {@link SqsFallbackRequester}. */
export interface SqsFallbackRequesterOptions {
  readonly client: SQSClient;
  /** The outbound queue the router consumes. */
  readonly outboundQueueUrl: string;
}

/** {@link FallbackRequester} on the outbound SQS queue. */
export class SqsFallbackRequester implements FallbackRequester {
  // One place puts FallbackRequests on the outbound queue, for the senders and the webhooks alike.
  readonly #queue: SqsFallbackQueue;

  constructor(options: SqsFallbackRequesterOptions) {
    this.#queue = new SqsFallbackQueue(options);
  }

  async requestFallback(attempt: OutboundAttempt, reason: FallbackReason): Promise<void> {
    const request: FallbackRequest = parseWith(
      FallbackRequestSchema,
      {
        kind: 'fallback',
        schemaVersion: 1,
        messageId: attempt.messageId,
        customerId: attempt.customerId,
        triedChannels: [...new Set([...attempt.triedChannels, attempt.channel])],
        reason: fallbackReasonText(attempt, reason),
        requestedAt: reason.at,
      },
      'FallbackRequest',
    );
    await this.#queue.enqueue(request);
  }
}

/** The words recorded on the timeline for a fallback: "sms: failure receipt 30003". */
export function fallbackReasonText(
  attempt: Pick<OutboundAttempt, 'channel'>,
  reason: FallbackReason,
): string {
  const kind = reason.kind === 'receipt_timeout' ? 'no delivery receipt in time' : 'failure receipt';
  const code = reason.code === reason.kind ? '' : ` ${reason.code}`;
  return `${attempt.channel}: ${kind}${code}`.slice(0, 1024);
}
