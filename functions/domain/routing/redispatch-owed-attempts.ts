/**
 * The same queue record delivered again (after a failure or a crash) still owes the dispatch of the
 * latest attempts it planned: dispatch them again. If an earlier delivery did reach the channel
 * queue, the channel sender's lease on the attempt keeps it to one send.
 */
import { type MessageRequest, MessageStatus } from '../../contract';
import type { RoutingProfile } from '../customer-model';
import type { LedgerMessage } from '../ledger-model';
import { MAX_QUEUE_DELAY_SECONDS } from '../ports';
import { isWhatsAppWindowOpen } from '../whatsapp-window';
import { buildDispatch } from './build-channel-message';
import { secondsUntil } from './plan-and-render';
import type { PendingDispatch, RoutingContext } from './types';

/**
 * The owed attempts of `existing`, rendered again, when `recordId` is the record that planned them
 * and the message is still `queued`; undefined when this record owes nothing.
 */
export async function redispatchIfOwed(
  recordId: string,
  request: MessageRequest,
  existing: LedgerMessage,
  profile: RoutingProfile | undefined,
  context: RoutingContext,
): Promise<PendingDispatch | undefined> {
  if (existing.status !== MessageStatus.QUEUED || existing.sourceId !== recordId || !profile)
    return undefined;
  const latest = Math.max(0, ...existing.attempts.map((attempt) => attempt.attempt));
  const owed = existing.attempts.filter((attempt) => attempt.attempt === latest);
  if (owed.length === 0) return undefined;
  const deliverAt = existing.deliverAt ? new Date(existing.deliverAt) : context.now;
  const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, secondsUntil(deliverAt, context.now));
  const whatsappWindowOpen = isWhatsAppWindowOpen(profile.state, context.now);
  const messageId = existing.messageId;
  const dispatches = await Promise.all(
    owed.map(async ({ channel, attempt }) => {
      const content = await context.deps.renderer.render({
        request,
        customer: profile.customer,
        channel,
        now: context.now,
        whatsappWindowOpen,
      });
      return buildDispatch(`${messageId}:${attempt}:${channel}`, delaySeconds, {
        request,
        profile,
        messageId,
        channel,
        attempt,
        content,
        fallbackChannels: existing.fallbackChannels,
        now: context.now,
      });
    }),
  );
  context.logger.warn('Dispatching again the attempts of a redelivered record', {
    messageId,
    customerId: request.customerId,
    attempts: owed.length,
  });
  return { id: recordId, messageId, dispatches };
}
