/**
 * Deciding a message: plan the route (consent, preferences, addresses, quiet hours, expiry), then
 * render each planned channel. A channel the renderer cannot use is skipped like any other and the
 * next fallback channel takes its place; a request the renderer rejects ends the message.
 */
import { type Channel, type ChannelMessage, type MessageRequest, MessageStatus } from '../../contract';
import type { RoutingProfile } from '../customer-model';
import { ChannelUnusableError, RequestRejectedError } from '../errors';
import type { RoutingChoice } from '../ledger-model';
import { planRoute, type RoutePlan, type SkipReasons } from '../plan-route';
import { routingStrategyOf } from '../routing-strategy';
import { isWhatsAppWindowOpen } from '../whatsapp-window';
import { rankLearned } from './learned-ranking';
import { RouteOutcome, type RoutingContext } from './types';

/** What the router decided for a message: a final status, or channels to send on with their content. */
export type RouteDecision =
  | {
      kind: 'final';
      status: MessageStatus;
      reasons: string[];
      skipped: SkipReasons;
    }
  | {
      kind: 'route';
      channels: Channel[];
      fallbackChannels: Channel[];
      skipped: SkipReasons;
      deliverAt: Date;
      delaySeconds: number;
      quietHoursDelay: boolean;
      rendered: Map<Channel, ChannelMessage['content']>;
      profile: RoutingProfile;
      /** The learned choice to record, for a first routing by the `learned` strategy. */
      choice?: RoutingChoice;
    };

/** A decision to send. */
export type RouteDecisionToSend = Extract<RouteDecision, { kind: 'route' }>;

/** Plans, then renders each planned channel, never retrying a channel in `tried`. */
export async function planAndRender(
  request: MessageRequest,
  profile: RoutingProfile | undefined,
  tried: readonly Channel[],
  context: RoutingContext,
): Promise<RouteDecision> {
  if (!profile) {
    return {
      kind: 'final',
      status: MessageStatus.UNDELIVERABLE,
      reasons: ['customer: not found'],
      skipped: {},
    };
  }
  const { customer, state } = profile;
  const plan: RoutePlan = planRoute({
    request,
    customer,
    channelState: state,
    now: context.now,
    triedChannels: tried,
    defaults: context.defaults,
  });
  const whatsappWindowOpen = isWhatsAppWindowOpen(state, context.now);
  if (plan.kind === 'expired') {
    return { kind: 'final', status: MessageStatus.EXPIRED, reasons: [plan.reason], skipped: {} };
  }
  if (plan.kind === 'undeliverable') {
    return {
      kind: 'final',
      status: MessageStatus.UNDELIVERABLE,
      reasons: [plan.reason],
      skipped: plan.skipped,
    };
  }
  const skipped: SkipReasons = { ...plan.skipped };
  const rendered = new Map<Channel, ChannelMessage['content']>();
  const wanted = plan.channels.length;
  let queue = [...plan.channels, ...plan.fallbackChannels];
  let choice: RoutingChoice | undefined;
  if (routingStrategyOf(request, context.defaults.strategies) === 'learned') {
    const learned = rankLearned(request, profile, plan.allowed, tried, context);
    choice = learned.choice;
    // The same number of channels as planned: the chosen one, then (when fallback is on) the rest.
    queue = learned.ranked.slice(0, plan.channels.length + plan.fallbackChannels.length);
  }
  const chosen: Channel[] = [];
  while (queue.length > 0 && chosen.length < wanted) {
    const channel = queue.shift() as Channel;
    try {
      rendered.set(
        channel,
        await context.deps.renderer.render({
          request,
          customer,
          channel,
          now: context.now,
          whatsappWindowOpen,
        }),
      );
      chosen.push(channel);
    } catch (error) {
      if (error instanceof RequestRejectedError) {
        return { kind: 'final', status: MessageStatus.REJECTED, reasons: [...error.reasons], skipped };
      }
      if (error instanceof ChannelUnusableError) {
        skipped[channel] = error.message;
        continue;
      }
      throw error;
    }
  }
  if (chosen.length === 0) {
    const reason = Object.entries(skipped)
      .map(([channel, why]) => `${channel}: ${why}`)
      .join('; ');
    return { kind: 'final', status: MessageStatus.UNDELIVERABLE, reasons: [reason], skipped };
  }
  return {
    kind: 'route',
    channels: chosen,
    fallbackChannels: queue,
    skipped,
    deliverAt: plan.deliverAt,
    delaySeconds: secondsUntil(plan.deliverAt, context.now),
    quietHoursDelay: plan.quietHoursDelay,
    rendered,
    profile,
    ...(choice && chosen[0] === choice.channel ? { choice } : {}),
  };
}

/** The record outcome for a final decision's status. */
export function outcomeOfStatus(status: MessageStatus): RouteOutcome {
  switch (status) {
    case MessageStatus.EXPIRED:
      return RouteOutcome.EXPIRED;
    case MessageStatus.UNDELIVERABLE:
      return RouteOutcome.UNDELIVERABLE;
    case MessageStatus.REJECTED:
      return RouteOutcome.REJECTED;
    case MessageStatus.SCHEDULED:
      return RouteOutcome.SCHEDULED;
    case MessageStatus.CAPPED:
      return RouteOutcome.CAPPED;
    case MessageStatus.CANCELLED:
      return RouteOutcome.CANCELLED;
    default:
      return RouteOutcome.ROUTED;
  }
}

/** Whole seconds from `now` until `at`, never negative. */
export function secondsUntil(at: Date, now: Date): number {
  return Math.max(0, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
