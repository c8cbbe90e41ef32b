/**
 * What a provider webhook does once it is authentic and parsed.
 *
 * Status update: read the attempt by the key the provider echoes (eventually consistent) → if its
 * status is already at or past the update's, stop (no write: a repeated or late callback, or
 * Twilio's `sent` after the sender recorded `sent`) → otherwise move it forward with a
 * rank-conditional write that, on a failure receipt whose request allows it, also claims the one
 * fallback → apply any consent the event carries (unsubscribe, spam report, Twilio 21610) → mark a
 * hard-bounced address invalid.
 *
 * Inbound message: find the customer by address (an unknown sender is kept as an anonymous
 * contact) → link it to the latest outbound message on that channel → record it once → open the
 * WhatsApp window → read consent keywords and record the consent change.
 *
 * Nothing here publishes. Every event (DeliveryEvent, InboundMessage, ConsentChangedEvent) and
 * every owed fallback is derived from the write that caused it by the ledger's stream consumer
 * (domain/ledger-change-events.ts, handlers/ledger-stream.ts): a failure after the write cannot lose
 * them. A provider's retry of an inbound message that was recorded but whose consent step failed
 * finishes that step (the consent write is idempotent), so a STOP is never lost.
 */
import {
  type Channel,
  ConsentSource,
  ConsentStatus,
  type Customer,
  FAILURE_STATUSES,
  type InboundMessage,
} from '../contract';
import { channelWideCategories } from './consent/consent-rules';
import { ConsentIntent, interpretConsentKeywords, type PlainLanguagePolicy } from './consent-keywords';
import type { ConsentContext } from './customer-model';
import type { OutboundAttempt } from './ledger-model';
import type { ConsentStore, WebhookLedger } from './ports';
import { evidenceAllowsConsent, senderEvidence } from './sender-evidence';
import { statusRank } from './status-rank';
import type { ConsentSignal, InboundReceipt, StatusUpdate } from './webhook-inputs';
import { whatsappWindowEnd } from './whatsapp-window';

/** Longest inbound text kept (the contract's limit). */
const MAX_INBOUND_TEXT = 64 * 1024;

/** What the use cases need. */
export interface WebhookUseCaseDependencies {
  readonly ledger: WebhookLedger;
  readonly consent: ConsentStore;
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

/**
 * What happened to one inbound message: `completed` is a provider retry of a message recorded
 * before, whose consent step it finished (a no-op when the first try had done it).
 */
export type InboundOutcome = 'duplicate' | 'recorded' | 'completed';

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

  async function applyOne(update: StatusUpdate): Promise<StatusOutcome> {
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
    // still refuses to move backwards): no write.
    if (attempt && update.status && statusRank(attempt.status) < statusRank(update.status)) {
      const fallback =
        FAILURE_STATUSES.includes(update.status) && attempt.fallbackAllowed
          ? ({ kind: 'failure_receipt', code: update.error?.code ?? update.status, at: update.at } as const)
          : undefined;
      const result = await deps.ledger.advanceStatus(attempt, {
        status: update.status,
        at: update.at,
        providerEvent: update.providerEvent,
        provider: update.provider,
        ...(update.providerMessageId ? { providerMessageId: update.providerMessageId } : {}),
        ...(update.error ? { error: update.error } : {}),
        ...(fallback ? { fallback } : {}),
      });
      if (result === 'moved') outcome = 'advanced';
      if (result === 'moved-and-claimed-fallback') outcome = 'advanced-and-fell-back';
    }

    if (update.consent || update.addressInvalid) {
      const customer = await customerOf(update, attempt);
      if (customer && update.consent) {
        const categories =
          update.consent.scope === 'channel' || !attempt
            ? channelWideCategories(customer, update.channel)
            : [attempt.category];
        const changed = await applyConsent(customer, update.channel, categories, update.consent, update.at, {
          ...(attempt?.messageId ? { messageId: attempt.messageId } : {}),
          ...(update.providerMessageId ? { providerMessageId: update.providerMessageId } : {}),
          ...(attempt?.metadata ? { metadata: attempt.metadata } : {}),
        });
        if (changed.length > 0 && (outcome === 'unchanged' || outcome === 'unknown-message')) {
          outcome = 'consent-only';
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
    context: ConsentContext,
  ): Promise<string[]> {
    return deps.consent.setConsent(
      customer.customerId,
      channel,
      categories,
      { status: signal.status, at, source: signal.source },
      signal.reason.slice(0, 256),
      context,
    );
  }

  return {
    async applyStatusUpdates(updates) {
      const outcomes: StatusOutcome[] = [];
      for (const update of updates) {
        outcomes.push(await applyOne(update));
      }
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
      const evidence = senderEvidence(receipt);
      const recorded = await deps.ledger.recordInbound(message, {
        ...(meaning.intent !== ConsentIntent.NONE ? { consentIntent: meaning.intent } : {}),
        ...(meaning.matched ? { consentMatched: meaning.matched } : {}),
        ...(receipt.subject !== undefined ? { subject: receipt.subject } : {}),
        ...(evidence.verified ? {} : { senderVerified: false, senderUnverifiedReason: evidence.reason }),
      });
      // Recorded before, but this callback id was never remembered as handled: the first try
      // failed after the record (the consent write, say) and the provider retries. Finish what it
      // started rather than calling it a duplicate: both steps below change nothing when repeated.
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
        // Opt-outs fail safe on any evidence; an opt-in needs a sender proven by the provider's verdict.
        if (evidenceAllowsConsent(evidence, signal.status)) {
          await applyConsent(customer, receipt.channel, categories, signal, receipt.receivedAt, {
            providerMessageId: receipt.providerMessageId,
          });
        }
      }
      await deps.ledger.rememberWebhookEvent(receipt.eventId, now().toISOString());
      return recorded ? 'recorded' : 'completed';
    },
  };
}
