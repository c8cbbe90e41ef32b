/**
 * The ports: what the domain needs from the outside world, as interfaces. Adapters in
 * functions/adapters/ implement them, one adapter per file; tests may pass their own.
 */
import type {
  Channel,
  ChannelMessage,
  ConsentChangedEvent,
  ConsentRecord,
  Customer,
  DeliveryError,
  DeliveryEvent,
  InboundMessage,
  MessageRequest,
  MessageStatus,
  Provider,
  ReceiptCheck,
  RenderedContent,
} from '../contract';

/** What a provider said when it accepted a message. */
export interface SendReceipt {
  readonly provider: Provider;
  /** The provider's id for the message (Twilio SID, SendGrid X-Message-Id, FCM name, …). */
  readonly providerMessageId: string;
  /** Provider-specific facts worth recording, such as SMS segments or push devices removed. */
  readonly details?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/**
 * Sends one rendered channel message through a provider.
 * Throws RetryLaterError for transient faults and ChannelUnusableError when the channel cannot
 * reach the person (see domain/errors.ts); any other error is a bug and is retried like a fault.
 */
export interface ChannelSender {
  readonly channel: Channel;
  readonly provider: Provider;
  send(message: ChannelMessage): Promise<SendReceipt>;
}

/** Everything a template needs to produce what one channel shows. */
export interface RenderInput {
  readonly request: MessageRequest;
  readonly customer: Customer;
  readonly channel: Channel;
  /** When the render happens (for dates relative to now). */
  readonly now: Date;
  /** Whether the customer's WhatsApp 24-hour window is open (freeform allowed). */
  readonly whatsappWindowOpen?: boolean;
}

/**
 * Renders a request's template or literal content for one channel.
 * Throws RequestRejectedError when the template is unknown, a variable is missing, or the
 * result breaks a channel rule; ChannelUnusableError when this channel has no variant.
 */
export interface MessageRenderer {
  render(input: RenderInput): Promise<RenderedContent>;
}

// --- webhooks: receipts, replies, consent, events out ------------------------------------------

/** Every event Switchboard publishes on the events topic. */
export type SwitchboardEvent = DeliveryEvent | InboundMessage | ConsentChangedEvent;

/**
 * Publishes events to the events topic, each with a `type` message attribute (`message.delivered`,
 * `message.inbound`, `customer.consent_changed`, …) so subscribers filter without reading bodies.
 * Resolves once every event is accepted; throws RetryLaterError when some could not be published.
 */
export interface EventPublisher {
  publish(events: readonly SwitchboardEvent[]): Promise<void>;
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

/** How a webhook names the attempt it is about: by the provider's id, or by Switchboard's own. */
export type AttemptReference =
  | { readonly provider: Provider; readonly providerMessageId: string }
  | { readonly messageId: string; readonly channel: Channel };

/** A status change to record on an attempt. */
export interface AttemptStatusChange {
  readonly status: MessageStatus;
  readonly at: string;
  /** The provider's own word for it (`undelivered`, `bounce`, …), kept in the status history. */
  readonly providerEvent: string;
  readonly error?: DeliveryError;
}

/** Why an attempt is handed back to the router. */
export interface FallbackReason {
  /** `failure_receipt` or `receipt_timeout`. */
  readonly kind: 'failure_receipt' | 'receipt_timeout';
  /** The status or error code that caused it. */
  readonly code: string;
  readonly at: string;
}

/** Annotations kept with an inbound message on the timeline. */
export interface InboundAnnotations {
  /** What the message meant for consent (`opt_out`, `help`, `review` for a flagged request, …). */
  readonly consentIntent?: string;
  /** The keyword or phrase rule that matched. */
  readonly consentMatched?: string;
  /** The subject line, for email. */
  readonly subject?: string;
}

/**
 * The message ledger as the webhooks need it (implemented on the messages table by the ledger
 * adapter). Every write is conditional, so a repeated or reordered provider callback is harmless.
 */
export interface WebhookLedger {
  /** The attempt a webhook refers to (provider id lookup through `gsi1`), or undefined when unknown. */
  findAttempt(reference: AttemptReference): Promise<OutboundAttempt | undefined>;
  /**
   * Moves an attempt's status forward only: a conditional write on the status rank
   * (domain/status-rank.ts). Returns false, changing nothing, when the attempt is already at or
   * past that rank. Records the change in the attempt's status history when it moves.
   */
  advanceStatus(attempt: OutboundAttempt, change: AttemptStatusChange): Promise<boolean>;
  /**
   * Claims the one fallback an attempt may cause: a conditional write, so a failure receipt and a
   * receipt timeout racing each other fall back once. Returns false when it was already claimed.
   */
  claimFallback(attempt: OutboundAttempt, reason: FallbackReason): Promise<boolean>;
  /**
   * Records an inbound message on the customer's timeline (or an anonymous contact's, when
   * `customerId` is absent), once per provider message id. Returns false when already recorded.
   */
  recordInbound(message: InboundMessage, annotations: InboundAnnotations): Promise<boolean>;
  /** The latest outbound message to a customer on a channel, for `inReplyTo`. */
  latestOutboundMessageId(customerId: string, channel: Channel): Promise<string | undefined>;
  /** Whether a provider callback id (`I-Twilio-Idempotency-Token`, `sg_event_id`) was handled. */
  hasSeenWebhookEvent(eventId: string): Promise<boolean>;
  /** Remembers a handled provider callback id, for the provider's retry window (TTL). */
  rememberWebhookEvent(eventId: string, at: string): Promise<void>;
}

/**
 * The customer store as the webhooks need it (implemented on the customers table by the customer
 * store adapter): find who wrote, and record what they said about consent.
 */
export interface ConsentStore {
  /** The customer with this address on this channel (E.164 phone number or email), or undefined. */
  findByAddress(channel: Channel, address: string): Promise<Customer | undefined>;
  /** A customer by id, or undefined. */
  get(customerId: string): Promise<Customer | undefined>;
  /**
   * Sets consent on one channel for the given categories to `record` (status, when, source).
   * Returns the categories whose status actually changed, so a repeated STOP publishes nothing.
   */
  setConsent(
    customerId: string,
    channel: Channel,
    categories: readonly string[],
    record: ConsentRecord,
  ): Promise<string[]>;
  /** Marks an address unusable (a hard bounce), so the router skips the channel until it changes. */
  markAddressInvalid(
    customerId: string,
    channel: Channel,
    address: string,
    at: string,
    reason: string,
  ): Promise<void>;
  /** Opens (or extends, never shortens) the WhatsApp 24-hour window until the given time. */
  openWhatsAppWindow(customerId: string, until: string): Promise<void>;
}

/** Hands an attempt back to the router to try the next channel (the request's channels minus those tried). */
export interface FallbackRequester {
  requestFallback(attempt: OutboundAttempt, reason: FallbackReason): Promise<void>;
}

/** Schedules a receipt-timeout check; re-delays it when its due time is beyond one delay. */
export interface ReceiptCheckScheduler {
  schedule(check: ReceiptCheck): Promise<void>;
}
