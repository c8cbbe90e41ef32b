/**
 * Building what goes on a channel queue: the one place a channel message is assembled from a
 * request, a customer and rendered content — for a fresh decision and for a redelivered record's
 * owed attempts alike.
 */
import type { Channel, ChannelMessage, MessageRequest } from '../../contract';
import type { RoutingProfile } from '../customer-model';
import { isWhatsAppWindowOpen } from '../whatsapp-window';
import type { RouteDecisionToSend } from './plan-and-render';
import type { PendingDispatch, PlannedDispatch } from './types';

/** Everything one channel message is made of. */
export interface ChannelMessageInput {
  readonly request: MessageRequest;
  readonly profile: RoutingProfile;
  readonly messageId: string;
  readonly channel: Channel;
  readonly attempt: number;
  readonly content: ChannelMessage['content'];
  readonly fallbackChannels: readonly Channel[];
  /** When the message is queued (the batch's clock reading). */
  readonly now: Date;
}

/** Assembles a channel message: the request's ids and options, the channel's address, the content. */
export function buildChannelMessage(input: ChannelMessageInput): ChannelMessage {
  const { request, profile, now } = input;
  const base = {
    schemaVersion: 1 as const,
    messageId: input.messageId,
    requestId: request.requestId,
    customerId: request.customerId,
    category: request.category,
    attempt: input.attempt,
    content: input.content,
    fallbackChannels: [...input.fallbackChannels],
    ...(request.routing?.receiptTimeoutSeconds
      ? { receiptTimeoutSeconds: request.routing.receiptTimeoutSeconds }
      : {}),
    ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
    metadata: request.metadata ?? {},
    ...(request.tracking ? { tracking: request.tracking } : {}),
    ...(request.template ? { template: request.template } : {}),
    queuedAt: now.toISOString(),
  };
  const addresses = profile.customer.addresses;
  const windowUntil = profile.state.whatsappWindowUntil;
  switch (input.channel) {
    case 'sms':
      return { ...base, channel: 'sms', to: addresses.sms ?? '' };
    case 'whatsapp':
      return {
        ...base,
        channel: 'whatsapp',
        to: addresses.whatsapp ?? '',
        // The sender decides freeform or template on this, at send time.
        ...(windowUntil && isWhatsAppWindowOpen(profile.state, now) ? { windowOpenUntil: windowUntil } : {}),
      };
    case 'email':
      return { ...base, channel: 'email', to: addresses.email ?? '' };
    case 'push':
      return { ...base, channel: 'push', to: addresses.push ?? [] };
  }
}

/** A channel message with its attempt key and queue delay, ready for the dispatcher. */
export function buildDispatch(id: string, delaySeconds: number, input: ChannelMessageInput): PlannedDispatch {
  const { request, messageId, channel, attempt } = input;
  return {
    id,
    key: { customerId: request.customerId, messageId, channel, attempt },
    delaySeconds,
    message: buildChannelMessage(input),
  };
}

/** The channel messages a decision to send owes, as attempt `attempt` of the message. */
export function dispatchesForDecision(
  recordId: string,
  request: MessageRequest,
  messageId: string,
  decision: RouteDecisionToSend,
  attempt: number,
  now: Date,
): PendingDispatch {
  const dispatches = decision.channels.map((channel) =>
    buildDispatch(`${recordId}:${channel}`, decision.delaySeconds, {
      request,
      profile: decision.profile,
      messageId,
      channel,
      attempt,
      content: decision.rendered.get(channel) ?? {},
      fallbackChannels: decision.fallbackChannels,
      now,
    }),
  );
  return { id: recordId, messageId, dispatches };
}
