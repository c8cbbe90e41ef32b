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
  FallbackRequest,
  InboundMessage,
  MessageRequest,
  MessageStatus,
  Provider,
  ReceiptCheck,
  RenderedContent,
} from '../contract';
import type { ErasedTimeline } from './erase-customer';

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
  /**
   * The attempt a webhook refers to, read by key (eventually consistent: a stale read only costs
   * a conditional write that changes nothing), or undefined when there is no such attempt.
   */
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
  /**
   * Whether a provider callback id (`I-Twilio-Idempotency-Token`, `sg_event_id`) was handled; used
   * for inbound messages only (status updates are idempotent by their rank-conditional write).
   */
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
    /** Why, in words safe to keep (the keyword, phrase rule or provider event), for the history. */
    reason?: string,
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

/**
 * Hands a message back to the router from a channel sender: puts a FallbackRequest on the outbound
 * queue. Repeating it is harmless (the router never attempts a channel twice).
 */
export interface FallbackQueue {
  enqueue(request: FallbackRequest): Promise<void>;
}

/** Schedules a receipt-timeout check; re-delays it when its due time is beyond one delay. */
export interface ReceiptCheckScheduler {
  schedule(check: ReceiptCheck): Promise<void>;
}

// --- customers ---------------------------------------------------------------------------------

/** A stored profile with its optimistic-concurrency version. */
export interface StoredCustomer {
  readonly customer: Customer;
  /** Goes up by one on every change. */
  readonly version: number;
  readonly updatedAt: string;
}

/** An address a provider said cannot receive messages (a hard bounce), while it is still the customer's. */
export interface InvalidAddress {
  readonly address: string;
  readonly at: string;
  readonly reason: string;
}

/**
 * What the webhooks learned about a customer's channels, kept on the profile beside the contract's
 * fields (the router reads it in the same batch read as the profile).
 */
export interface ChannelState {
  /** Until when the customer's WhatsApp 24-hour window is open (their last inbound message + 24 h). */
  readonly whatsappWindowUntil?: string;
  /** Current addresses marked invalid, per channel; an address changed since is not listed. */
  readonly invalidAddresses: Partial<Record<Channel, InvalidAddress>>;
}

/**
 * The profiles of a batch as the router reads them, with the ids erased recently (their erasure
 * tombstones ride in the same read: domain/erase-customer.ts), whose records the router drops.
 */
export type RoutingProfiles = Map<string, RoutingProfile> & { readonly erased?: ReadonlySet<string> };

/** A profile as the router reads it: the customer and the state of their channels. */
export interface RoutingProfile {
  readonly customer: Customer;
  readonly state: ChannelState;
}

/** One consent change as the profile's history keeps it. */
export interface ConsentHistoryEntry extends ConsentRecord {
  readonly category: string;
  readonly channel: Channel;
  readonly reason?: string;
}

/** Where the router and the API read and change customer profiles. */
export interface CustomerRepository {
  /** Many profiles in one read; missing ids are absent from the map. */
  getMany(customerIds: readonly string[]): Promise<Map<string, Customer>>;
  /** Many profiles with their channel state in one read (the router's batch). */
  getRoutingProfiles(customerIds: readonly string[]): Promise<RoutingProfiles>;
  /** One profile with its version, or undefined. */
  get(customerId: string): Promise<StoredCustomer | undefined>;
  /**
   * Creates or replaces a profile and its address index entries in one transaction. Consent that a
   * suppression entry remembers (an opt-out that survived erasure) is applied unless the profile
   * carries a newer decision. Throws AddressInUseError if another customer holds an address.
   */
  put(customer: Customer): Promise<{ readonly created: boolean; readonly stored: StoredCustomer }>;
  /** Sets or removes (undefined) one address, keeping the address index consistent. */
  setAddress(
    customerId: string,
    channel: Channel,
    address: Customer['addresses'][Channel] | undefined,
  ): Promise<StoredCustomer>;
  /** Sets one consent decision; an older decision never replaces a newer one. */
  setConsent(
    customerId: string,
    category: string,
    channel: Channel,
    record: ConsentRecord,
  ): Promise<StoredCustomer>;
  /**
   * Erases a profile and its address index entries, keeping a hashed suppression entry for every
   * address that was opted out of any category. Returns false if there was no profile.
   */
  erase(customerId: string): Promise<boolean>;
  /** The customer an address (phone number, email, push token or endpoint) belongs to. */
  findByAddress(channel: Channel, address: string): Promise<string | undefined>;
}

// --- the message ledger ------------------------------------------------------------------------

/** One status a message or an attempt went through. */
export interface StatusChange {
  readonly status: MessageStatus;
  readonly at: string;
  readonly reason?: string;
  readonly channel?: Channel;
}

/** Identifies one attempt: a message on one channel (attempt 1 first, 2 for the first fallback, …). */
export interface AttemptKey {
  readonly customerId: string;
  readonly messageId: string;
  readonly channel: Channel;
  readonly attempt: number;
}

/** A message as the ledger keeps it. */
export interface LedgerMessage {
  readonly messageId: string;
  readonly customerId: string;
  readonly requestId: string;
  readonly category?: string;
  readonly createdAt: string;
  /** The router's status: scheduled, queued, rejected, expired or undeliverable. */
  readonly status: MessageStatus;
  readonly history: readonly StatusChange[];
  /** The parsed request; absent for a request rejected before it parsed. */
  readonly request?: MessageRequest;
  /** The raw body, bounded, for a rejected request. */
  readonly rawBody?: string;
  readonly reasons: readonly string[];
  /** When a scheduled or delayed message goes out. */
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
}

/** One attempt as the ledger keeps it. */
export interface LedgerAttempt extends AttemptKey {
  readonly status: MessageStatus;
  readonly history: readonly StatusChange[];
  readonly queuedAt: string;
  readonly provider?: Provider;
  readonly providerMessageId?: string;
  readonly details?: SendReceipt['details'];
  readonly error?: DeliveryError;
}

/** A message to record for the first time. */
export type NewMessage = Omit<LedgerMessage, 'history' | 'createdAt'> & { readonly at: string };

/** What {@link MessageLedger.createMessage} found. */
export type CreateMessageResult =
  | { readonly created: true }
  | { readonly created: false; readonly existing: LedgerMessage };

/** An inbound message as the timeline shows it. */
export interface TimelineInbound extends InboundMessage, InboundAnnotations {}

/** One page of a customer's timeline, newest first. */
export interface TimelinePage {
  readonly items: readonly (LedgerMessage & {
    readonly summaryStatus: MessageStatus;
    readonly attemptRecords: readonly LedgerAttempt[];
  })[];
  /** The customer's inbound messages within the same stretch of time as `items`, newest first. */
  readonly inbound: readonly TimelineInbound[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/** The router's and the API's side of the message ledger. */
export interface MessageLedger {
  /**
   * Records a message if no message with its id exists (create-if-absent: the message id is derived
   * from the customer and request id, so a duplicate request finds the first one).
   */
  createMessage(message: NewMessage): Promise<CreateMessageResult>;
  /** Reads one message. */
  getMessage(customerId: string, messageId: string): Promise<LedgerMessage | undefined>;
  /**
   * Moves a `scheduled` message to `queued` with the attempts it is about to dispatch. Returns
   * false if another delivery of the schedule already did.
   */
  startScheduled(
    customerId: string,
    messageId: string,
    plan: Pick<LedgerMessage, 'attempts' | 'fallbackChannels' | 'skipped' | 'sourceId'>,
    at: string,
  ): Promise<boolean>;
  /**
   * Adds fallback attempts, on the condition that none of their channels was attempted before.
   * Returns false (and changes nothing) if one was.
   */
  addFallbackAttempts(
    customerId: string,
    messageId: string,
    plan: Pick<LedgerMessage, 'attempts' | 'fallbackChannels' | 'skipped' | 'sourceId'>,
    change: StatusChange,
  ): Promise<boolean>;
  /** Records a router status (e.g. undeliverable after the last fallback) if it moves forward. */
  recordMessageStatus(customerId: string, messageId: string, change: StatusChange): Promise<boolean>;
  /** A customer's messages, newest first, with their attempts. */
  timeline(customerId: string, options?: { limit?: number; cursor?: string }): Promise<TimelinePage>;
  /**
   * Deletes every message, attempt and inbound item of a customer (erasure); each planned attempt
   * becomes an attempt tombstone, so a queued copy cannot be leased (domain/erase-customer.ts).
   */
  eraseTimeline(customerId: string, at: Date): Promise<ErasedTimeline>;
}

/**
 * What a webhook needs about an attempt besides its status, copied from the channel message onto
 * the attempt item at the first lease, so a status callback reads one small item and not the message.
 */
export interface AttemptContext {
  readonly requestId: string;
  readonly category: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Whether a failure hands the message back to the router (the channel message has fallback channels). */
  readonly fallbackAllowed: boolean;
}

/** What {@link AttemptLedger.leaseAttempt} decided. */
export type LeaseResult =
  /** Send now; call recordSent or recordFailed with the same owner. */
  | { readonly outcome: 'leased'; readonly attempt: LedgerAttempt }
  /** Already sent, failed or further along: acknowledge the record without sending. */
  | { readonly outcome: 'already-done'; readonly attempt: LedgerAttempt }
  /** The customer was erased (an attempt tombstone): drop the record, send and write nothing. */
  | { readonly outcome: 'erased' };

/**
 * The channel senders' and webhooks' side of the message ledger. Every write is conditional, so
 * repeating any step is harmless.
 */
export interface AttemptLedger {
  /**
   * Takes a lease on an attempt before calling the provider: a conditional write that creates the
   * attempt (status `queued`) or updates it, and succeeds only if it is still `queued` and no other
   * invocation holds a live lease. A redelivered record whose attempt is already `sent` (or beyond,
   * or failed) gets `already-done`: acknowledge it without sending. Throws RetryLaterError when
   * another invocation holds a live lease. The lease expires after `leaseSeconds`, so a sender that
   * died mid-send does not block the attempt for ever (the documented window in which a provider
   * accepted a message that was never recorded as sent). Pass the ChannelMessage's `queuedAt`.
   */
  leaseAttempt(
    key: AttemptKey,
    options: {
      readonly owner: string;
      readonly leaseSeconds: number;
      readonly now: Date;
      readonly queuedAt: string;
      /** What the webhooks need to publish an event about the attempt, kept on the attempt item. */
      readonly context?: AttemptContext;
    },
  ): Promise<LeaseResult>;
  /**
   * Records `sent` with the provider's receipt and releases the lease (1 WRU: the attempt item is on
   * no index). Returns false if the attempt had already moved past `sent`.
   */
  recordSent(key: AttemptKey, receipt: SendReceipt, at: Date): Promise<boolean>;
  /**
   * Records `failed` with the error (code, message, permanence) and releases the lease. `details`
   * keeps what the failure still owes (fallback, opt-out, devices to remove), so a redelivery of
   * the record can finish it.
   */
  recordFailed(
    key: AttemptKey,
    error: DeliveryError,
    at: Date,
    details?: SendReceipt['details'],
  ): Promise<boolean>;
  /**
   * Records a status from a delivery receipt only if it is further along than the current one
   * (see domain/status-rank.ts). Returns whether it moved.
   */
  recordReceiptStatus(
    key: AttemptKey,
    change: { readonly status: MessageStatus; readonly at: Date; readonly error?: DeliveryError },
  ): Promise<boolean>;
}

// --- dispatch and time -------------------------------------------------------------------------

/** One channel message to put on its channel queue. */
export interface Dispatch {
  /** Unique within one call; used to report failures. */
  readonly id: string;
  readonly message: ChannelMessage;
  /** SQS delay, 0–900 seconds. */
  readonly delaySeconds: number;
}

/** Hands channel messages to their channel queues, batched. */
export interface ChannelDispatcher {
  /** Returns the ids that could not be queued, each with why; every other one was queued. */
  dispatch(dispatches: readonly Dispatch[]): Promise<Map<string, string>>;
}

/** Longest delay a queue can carry by itself (SQS DelaySeconds). */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/**
 * Re-publishes a request to the outbound queue at a later time, for delays longer than a queue can
 * hold. Idempotent per message id: scheduling the same message twice schedules it once.
 */
export interface DeliveryScheduler {
  /** `key` names the schedule (unique per message and attempt); `body` is what to re-publish. */
  schedule(input: { readonly key: string; readonly at: Date; readonly body: string }): Promise<void>;
}
