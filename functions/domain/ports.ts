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
import type { ConsentContext, RoutingProfiles, StoredCustomer } from './customer-model';
import type { ErasedTimeline } from './customers/erase-customer';
import type {
  AdvanceResult,
  AttemptContext,
  AttemptDetails,
  AttemptKey,
  AttemptReference,
  AttemptStatusChange,
  FallbackReason,
  InboundAnnotations,
  LedgerAttempt,
  LedgerMessage,
  NewMessage,
  OutboundAttempt,
  StatusChange,
} from './ledger-model';
import type { CapCounters, CapScope } from './routing/frequency-caps';

/** What a provider said when it accepted a message. */
export interface SendReceipt {
  readonly provider: Provider;
  /** The provider's id for the message (Twilio SID, SendGrid X-Message-Id, FCM name, …). */
  readonly providerMessageId: string;
  /** Provider-specific facts worth recording, such as SMS segments or push devices removed. */
  readonly details?: AttemptDetails;
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
   * (domain/status-rank.ts). Returns `unchanged`, changing nothing, when the attempt is already at
   * or past that rank. Records the change in the attempt's status history when it moves, and claims
   * `change.fallback` in the same write unless a fallback was already claimed.
   */
  advanceStatus(attempt: OutboundAttempt, change: AttemptStatusChange): Promise<AdvanceResult>;
  /**
   * Claims the one fallback an attempt may cause: a conditional write, so a failure receipt and a
   * receipt timeout racing each other fall back once. Returns false when it was already claimed.
   * The claim is the owed work: the ledger's stream sends the FallbackRequest.
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
    /** The message that carried the signal, kept in the history for the consent event. */
    context?: ConsentContext,
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

/** Where the router and the API read and change customer profiles. */
export interface CustomerRepository {
  /** Many profiles in one read; missing ids are absent from the map. */
  getMany(customerIds: readonly string[]): Promise<Map<string, Customer>>;
  /** Many profiles with their channel state in one read (the router's batch). */
  getRoutingProfiles(customerIds: readonly string[]): Promise<RoutingProfiles>;
  /** The ids among these that have an erasure tombstone now (a strongly consistent read). */
  tombstonedAmong(customerIds: readonly string[]): Promise<ReadonlySet<string>>;
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

/**
 * A customer's frequency-cap counters (domain/routing/frequency-caps.ts), kept where the router's
 * batch read of the profiles finds them.
 */
export interface FrequencyCapCounters {
  /**
   * Counts a message under every scope in one conditional write: each scope's window still the one
   * read, each enforced scope under its max, the message not counted before. When the condition
   * fails nothing is counted, and the counters as stored come back (absent: the profile is gone).
   */
  count(
    customerId: string,
    messageId: string,
    scopes: readonly CapScope[],
  ): Promise<{ readonly counted: true } | { readonly counted: false; readonly counters?: CapCounters }>;
}

// --- the message ledger ------------------------------------------------------------------------

/** What {@link MessageLedger.createMessage} found. */
export type CreateMessageResult =
  | { readonly created: true }
  | { readonly created: false; readonly existing: LedgerMessage };

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
   * Moves a `scheduled` (or cap-deferred `capped`) message to `queued` with the attempts it is about
   * to dispatch. Returns false if another delivery of the schedule already did.
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
  /**
   * Records that a frequency cap held back a message still `scheduled` or `capped`: deferred until
   * `until` (its new `deliverAt`), or dropped (without `until`: no `deliverAt`, so nothing sends it).
   * Returns false if the message had moved on.
   */
  recordCapped(
    customerId: string,
    messageId: string,
    change: { readonly at: string; readonly reason: string; readonly until?: string },
  ): Promise<boolean>;
  /** Records a router status (e.g. undeliverable after the last fallback) if it moves forward. */
  recordMessageStatus(customerId: string, messageId: string, change: StatusChange): Promise<boolean>;
  /**
   * Deletes every message, attempt and inbound item of a customer (erasure); each planned attempt
   * becomes an attempt tombstone, so a queued copy cannot be leased (domain/erase-customer.ts).
   */
  eraseTimeline(customerId: string, at: Date): Promise<ErasedTimeline>;
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

/**
 * Names an address without revealing it: a keyed hash of channel and normalised address, so a
 * stored key cannot be reversed by hashing every phone number (adapters/secrets/keyed-hash.ts).
 */
export interface AddressKeyer {
  /** The hex digest naming this channel's normalised address. */
  key(channel: Channel, normalisedAddress: string): Promise<string>;
  /** Whether reads also try the unkeyed SHA-256 keys items were stored under before keying (migration). */
  readonly readsLegacy: boolean;
}
