/**
 * The message ledger's data model: the records the ledger keeps about messages and their attempts,
 * and the changes written to them. The ports that read and write these records live in ports.ts;
 * the timeline read from them is the contract's (contract/timeline.ts).
 */
import type { Channel, DeliveryError, MessageRequest, MessageStatus, Provider } from '../contract';

/** Provider-specific facts kept on an attempt, such as SMS segments, push devices removed, or what a failure still owes. */
export type AttemptDetails = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** Identifies one attempt: a message on one channel (attempt 1 first, 2 for the first fallback, …). */
export interface AttemptKey {
  readonly customerId: string;
  readonly messageId: string;
  readonly channel: Channel;
  readonly attempt: number;
}

/** One status a message or an attempt went through. */
export interface StatusChange {
  readonly status: MessageStatus;
  readonly at: string;
  readonly reason?: string;
  readonly channel?: Channel;
}

/** A message as the ledger keeps it. */
export interface LedgerMessage {
  readonly messageId: string;
  readonly customerId: string;
  readonly requestId: string;
  readonly category?: string;
  readonly createdAt: string;
  /** The router's status: scheduled, capped, queued, rejected, expired, undeliverable or cancelled. */
  readonly status: MessageStatus;
  readonly history: readonly StatusChange[];
  /** The parsed request; absent for a request rejected before it parsed. */
  readonly request?: MessageRequest;
  /** The raw body, bounded, for a rejected request. */
  readonly rawBody?: string;
  readonly reasons: readonly string[];
  /** When a scheduled, delayed or cap-deferred message goes out (absent on a dropped `capped` one). */
  readonly deliverAt?: string;
  /** Channels skipped by the router, with why. */
  readonly skipped: Partial<Record<Channel, string>>;
  /** Channels still to try, in order, if the current attempt fails. */
  readonly fallbackChannels: readonly Channel[];
  /** Every attempt the router dispatched or is dispatching. */
  readonly attempts: readonly Pick<AttemptKey, 'channel' | 'attempt'>[];
  /**
   * The queue record (SQS message id) that planned the latest attempts and owes their dispatch. A
   * redelivery of that record dispatches them again (the channel sender's lease makes the repeat
   * harmless); any other record carrying the same request is a duplicate and dispatches nothing.
   */
  readonly sourceId?: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Why the router chose the channel, for a `learned` request. */
  readonly choice?: RoutingChoice;
}

/** A learned channel choice as the message keeps it: what was chosen, with what probability, and why. */
export interface RoutingChoice {
  readonly strategy: 'learned';
  readonly channel: Channel;
  /** Probability with which the policy chose the channel (1 when it did not explore). */
  readonly propensity: number;
  /** Whether the channel was not the one with the best expected worth (an exploration). */
  readonly explored: boolean;
  /** One line, e.g. `whatsapp: 0.62 engaged over 14 sends vs email 0.18 over 22; cost 0.025 vs 0.0004`. */
  readonly explanation: string;
}

/** A message to record for the first time. */
export type NewMessage = Omit<LedgerMessage, 'history' | 'createdAt'> & { readonly at: string };

/** One attempt as the ledger keeps it. */
export interface LedgerAttempt extends AttemptKey {
  readonly status: MessageStatus;
  readonly history: readonly StatusChange[];
  readonly queuedAt: string;
  readonly provider?: Provider;
  readonly providerMessageId?: string;
  readonly details?: AttemptDetails;
  readonly error?: DeliveryError;
  /** The tokens of the attempt's short links, kept by its first lease (domain/delivery/track-links.ts). */
  readonly linkTokens?: readonly string[];
}

/**
 * What a webhook needs about an attempt besides its status, copied from the channel message onto
 * the attempt item at the first lease, so a status callback reads one small item and not the message.
 */
export interface AttemptContext {
  readonly requestId: string;
  readonly category: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** The request's template, for the attribution report's template groups. */
  readonly template?: string;
  /** Whether a failure hands the message back to the router (the channel message has fallback channels). */
  readonly fallbackAllowed: boolean;
  /** Tokens for the attempt's short links; kept only by the first lease that offers them. */
  readonly linkTokens?: readonly string[];
}

/** Annotations kept with an inbound message on the timeline. */
export interface InboundAnnotations {
  /** What the message meant for consent (`opt_out`, `help`, `review` for a flagged request, …). */
  readonly consentIntent?: string;
  /** The keyword or phrase rule that matched. */
  readonly consentMatched?: string;
  /** The subject line, for email. */
  readonly subject?: string;
  /** `false` when the message did not prove its sender (domain/sender-evidence.ts); absent when it did. */
  readonly senderVerified?: false;
  /** Why the sender is not verified (`no aligned pass (spf fail; dkim none)`), shown on the timeline. */
  readonly senderUnverifiedReason?: string;
}

/** One outbound attempt as the webhooks see it: whose it is, where it stands, what may follow. */
export interface OutboundAttempt {
  readonly messageId: string;
  readonly requestId: string;
  readonly customerId: string;
  readonly category: string;
  readonly channel: Channel;
  /** 1 for the first channel tried, 2 for the first fallback, … */
  readonly attempt: number;
  readonly provider?: Provider;
  readonly providerMessageId?: string;
  /** The attempt's current status. */
  readonly status: MessageStatus;
  /** Whether the request allows fallback (`routing.fallback`). */
  readonly fallbackAllowed: boolean;
  /** Channels already tried for this message, this one included: fallback never repeats them. */
  readonly triedChannels: readonly Channel[];
  /** The request's metadata, echoed on every event. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * How a webhook names the attempt it is about: by the attempt item's own key, which the sender puts
 * in the provider's status callback URL (Twilio signs it) or `custom_args` (SendGrid signs the
 * batch), so a callback is one key read away from its attempt — no provider-id index.
 */
export type AttemptReference = AttemptKey;

/** A status change to record on an attempt. */
export interface AttemptStatusChange {
  readonly status: MessageStatus;
  readonly at: string;
  /** The provider's own word for it (`undelivered`, `bounce`, …), kept in the status history. */
  readonly providerEvent: string;
  readonly error?: DeliveryError;
  /** The provider's ids, kept in the history entry the events topic is fed from. */
  readonly provider?: Provider;
  readonly providerMessageId?: string;
  /** A fallback this change owes, claimed in the same write (sent from the ledger's stream). */
  readonly fallback?: FallbackReason;
}

/** What a {@link WebhookLedger.advanceStatus} write did. */
export type AdvanceResult = 'unchanged' | 'moved' | 'moved-and-claimed-fallback';

/** Why an attempt is handed back to the router. */
export interface FallbackReason {
  /** `failure_receipt` or `receipt_timeout`. */
  readonly kind: 'failure_receipt' | 'receipt_timeout';
  /** The status or error code that caused it. */
  readonly code: string;
  readonly at: string;
}
