/**
 * What a provider webhook does once it is authentic and parsed.
 *
 * Status update: read the attempt by the key the provider echoes (eventually consistent) → if its
 * status is already at or past the update's, stop (no write, no event: a repeated or late callback,
 * or Twilio's `sent` after the sender recorded `sent`) → otherwise move it forward with a
 * rank-conditional write → on a failure receipt, fall back once if the request allows it → apply
 * any consent the event carries (unsubscribe, spam report, Twilio 21610) → mark a hard-bounced
 * address invalid → publish what changed.
 *
 * Inbound message: find the customer by address (an unknown sender is kept as an anonymous
 * contact) → link it to the latest outbound message on that channel → record it once → open the
 * WhatsApp window → read consent keywords → publish.
 *
 * Status updates need no callback-id store: the rank-conditional write is the de-duplication (two
 * copies racing past the read still move the status once and publish once). Inbound messages do
 * keep one (`hasSeenWebhookEvent`), besides their create-if-absent record. Events are published only
 * for what actually changed — and after the write: if publishing fails after the write moved, the
 * provider's retry finds the status already moved and publishes nothing, so that event is lost.
 */
import {
  type Channel,
  CONSENT_CHANGED_EVENT_TYPE,
  type ConsentChangedEvent,
  ConsentSource,
  ConsentStatus,
  type Customer,
  type DeliveryEvent,
  FAILURE_STATUSES,
  type InboundMessage,
} from '../contract';
import { channelWideCategories } from './consent/consent-rules';
import { ConsentIntent, interpretConsentKeywords, type PlainLanguagePolicy } from './consent-keywords';
import type { OutboundAttempt } from './ledger-model';
import type {
  ConsentStore,
  EventPublisher,
  FallbackRequester,
  SwitchboardEvent,
  WebhookLedger,
} from './ports';
import { statusRank } from './status-rank';
import type { ConsentSignal, InboundReceipt, StatusUpdate } from './webhook-inputs';
import { whatsappWindowEnd } from './whatsapp-window';

/** Longest inbound text kept (the contract's limit). */
const MAX_INBOUND_TEXT = 64 * 1024;

/** What the use cases need. */
export interface WebhookUseCaseDependencies {
  readonly ledger: WebhookLedger;
  readonly consent: ConsentStore;
  readonly events: EventPublisher;
  readonly fallback: FallbackRequester;
  /** What a plain-language request to stop does: opt out, or flag it for a human. */
  readonly plainLanguage: PlainLanguagePolicy;
  readonly now?: () => Date;
}

/** What happened to one status update. */
export type StatusOutcome =
  | 'duplicate'
  | 'unknown-message'
  | 'advanced'
  | 'unchanged'
  | 'advanced-and-fell-back'
  | 'consent-only';

/** What happened to one inbound message. */
export type InboundOutcome = 'duplicate' | 'recorded';

/** The side effects of the webhooks, behind one port the handlers call. */
export interface WebhookUseCases {
  /** Applies a provider's status updates (one Twilio callback, or a SendGrid batch) in order. */
  applyStatusUpdates(updates: readonly StatusUpdate[]): Promise<StatusOutcome[]>;
  /** Records a customer's inbound message and acts on what it says about consent. */
  receiveInbound(receipt: InboundReceipt): Promise<InboundOutcome>;
}

/** Builds the webhook use cases over their ports. */
export function createWebhookUseCases(deps: WebhookUseCaseDependencies): WebhookUseCases {
  const now = deps.now ?? (() => new Date());

  async function applyOne(update: StatusUpdate, out: SwitchboardEvent[]): Promise<StatusOutcome> {
    const attempt =
      update.messageId && update.customerId && update.attempt !== undefined
        ? await deps.ledger.findAttempt({
            customerId: update.customerId,
            messageId: update.messageId,
            channel: update.channel,
            attempt: update.attempt,
          })
        : undefined;
    let outcome: StatusOutcome = attempt ? 'unchanged' : 'unknown-message';
    // Already there or further (read eventually consistent: if stale, the conditional write below
    // still refuses to move backwards): no write, no event.
    if (attempt && update.status && statusRank(attempt.status) < statusRank(update.status)) {
      const moved = await deps.ledger.advanceStatus(attempt, {
        status: update.status,
        at: update.at,
        providerEvent: update.providerEvent,
        ...(update.error ? { error: update.error } : {}),
      });
      if (moved) {
        outcome = 'advanced';
        out.push(deliveryEvent(attempt, update));
        if (FAILURE_STATUSES.includes(update.status) && attempt.fallbackAllowed) {
          const reason = {
            kind: 'failure_receipt',
            code: update.error?.code ?? update.status,
            at: update.at,
          } as const;
          if (await deps.ledger.claimFallback(attempt, reason)) {
            await deps.fallback.requestFallback(attempt, reason);
            outcome = 'advanced-and-fell-back';
          }
        }
      }
    }

    if (update.consent || update.addressInvalid) {
      const customer = await customerOf(update, attempt);
      if (customer && update.consent) {
        const categories =
          update.consent.scope === 'channel' || !attempt
            ? channelWideCategories(customer, update.channel)
            : [attempt.category];
        const changed = await applyConsent(customer, update.channel, categories, update.consent, update.at);
        if (changed.length > 0) {
          out.push(
            consentEvent(customer.customerId, update.channel, changed, update.consent, update.at, {
              messageId: attempt?.messageId,
              providerMessageId: update.providerMessageId,
              metadata: attempt?.metadata,
            }),
          );
          if (outcome === 'unchanged' || outcome === 'unknown-message') outcome = 'consent-only';
        }
      }
      if (customer && update.addressInvalid && update.recipient) {
        await deps.consent.markAddressInvalid(
          customer.customerId,
          update.channel,
          update.recipient,
          update.at,
          update.error?.code ?? update.providerEvent,
        );
      }
    }
    return outcome;
  }

  async function customerOf(update: StatusUpdate, attempt: OutboundAttempt | undefined) {
    const customerId = attempt?.customerId ?? update.customerId;
    if (customerId) return deps.consent.get(customerId);
    return update.recipient ? deps.consent.findByAddress(update.channel, update.recipient) : undefined;
  }

  async function applyConsent(
    customer: Customer,
    channel: Channel,
    categories: readonly string[],
    signal: Pick<ConsentSignal, 'status' | 'source' | 'reason'>,
    at: string,
  ): Promise<string[]> {
    return deps.consent.setConsent(
      customer.customerId,
      channel,
      categories,
      { status: signal.status, at, source: signal.source },
      signal.reason,
    );
  }

  return {
    async applyStatusUpdates(updates) {
      const outcomes: StatusOutcome[] = [];
      const out: SwitchboardEvent[] = [];
      for (const update of updates) {
        outcomes.push(await applyOne(update, out));
      }
      // A failed publish throws: the provider retries, but the status already moved, so the retry
      // publishes nothing (the event is lost; see the file's comment and docs/webhooks.md).
      if (out.length > 0) await deps.events.publish(out);
      return outcomes;
    },

    async receiveInbound(receipt) {
      if (await deps.ledger.hasSeenWebhookEvent(receipt.eventId)) return 'duplicate';
      const customer = await deps.consent.findByAddress(receipt.channel, receipt.from);
      const inReplyTo = customer
        ? await deps.ledger.latestOutboundMessageId(customer.customerId, receipt.channel)
        : undefined;
      const message: InboundMessage = {
        type: 'message.inbound',
        ...(customer ? { customerId: customer.customerId } : {}),
        channel: receipt.channel,
        from: receipt.from,
        text: receipt.text.slice(0, MAX_INBOUND_TEXT),
        media: receipt.media.slice(0, 10).map((media) => ({ ...media })),
        receivedAt: receipt.receivedAt,
        ...(inReplyTo ? { inReplyTo } : {}),
        provider: receipt.provider,
        providerMessageId: receipt.providerMessageId,
      };
      const meaning = interpretConsentKeywords(receipt.replyText, {
        plainLanguage: deps.plainLanguage,
        ...(customer?.locale ? { locale: customer.locale } : {}),
      });
      const recorded = await deps.ledger.recordInbound(message, {
        ...(meaning.intent !== ConsentIntent.NONE ? { consentIntent: meaning.intent } : {}),
        ...(meaning.matched ? { consentMatched: meaning.matched } : {}),
        ...(receipt.subject !== undefined ? { subject: receipt.subject } : {}),
      });
      if (!recorded) {
        await deps.ledger.rememberWebhookEvent(receipt.eventId, now().toISOString());
        return 'duplicate';
      }

      const out: SwitchboardEvent[] = [message];
      if (customer && receipt.channel === 'whatsapp') {
        await deps.consent.openWhatsAppWindow(customer.customerId, whatsappWindowEnd(receipt.receivedAt));
      }
      if (customer && (meaning.intent === ConsentIntent.OPT_OUT || meaning.intent === ConsentIntent.OPT_IN)) {
        const signal: ConsentSignal = {
          status: meaning.intent === ConsentIntent.OPT_OUT ? ConsentStatus.OPTED_OUT : ConsentStatus.OPTED_IN,
          source:
            meaning.matchedBy === 'phrase'
              ? ConsentSource.PLAIN_LANGUAGE
              : receipt.channel === 'whatsapp'
                ? ConsentSource.WHATSAPP_KEYWORD
                : ConsentSource.SMS_KEYWORD,
          reason: meaning.matchedBy === 'phrase' ? `phrase ${meaning.matched}` : `keyword ${meaning.matched}`,
          scope: 'channel',
        };
        const categories = channelWideCategories(customer, receipt.channel);
        const changed = await applyConsent(customer, receipt.channel, categories, signal, receipt.receivedAt);
        if (changed.length > 0) {
          out.push(
            consentEvent(customer.customerId, receipt.channel, changed, signal, receipt.receivedAt, {
              providerMessageId: receipt.providerMessageId,
            }),
          );
        }
      }
      await deps.events.publish(out);
      await deps.ledger.rememberWebhookEvent(receipt.eventId, now().toISOString());
      return 'recorded';
    },
  };
}

function deliveryEvent(attempt: OutboundAttempt, update: StatusUpdate): DeliveryEvent {
  const status = update.status!;
  return {
    type: `message.${status}`,
    requestId: attempt.requestId,
    messageId: attempt.messageId,
    customerId: attempt.customerId,
    channel: attempt.channel,
    provider: update.provider,
    providerMessageId: update.providerMessageId,
    status,
    at: update.at,
    ...(update.error ? { error: update.error } : {}),
    metadata: { ...attempt.metadata },
  };
}

function consentEvent(
  customerId: string,
  channel: Channel,
  categories: readonly string[],
  signal: Pick<ConsentSignal, 'status' | 'source' | 'reason'>,
  at: string,
  context: {
    messageId?: string | undefined;
    providerMessageId?: string | undefined;
    metadata?: Readonly<Record<string, string>> | undefined;
  },
): ConsentChangedEvent {
  return {
    type: CONSENT_CHANGED_EVENT_TYPE,
    customerId,
    channel,
    categories: [...categories],
    status: signal.status,
    source: signal.source,
    reason: signal.reason.slice(0, 256),
    at,
    ...(context.messageId ? { messageId: context.messageId } : {}),
    ...(context.providerMessageId ? { providerMessageId: context.providerMessageId } : {}),
    metadata: { ...(context.metadata ?? {}) },
  };
}
