/**
 * In-memory implementations of the router's and the channel senders' ports, for unit tests of the
 * routing and delivery use cases. They keep the conditional semantics of the DynamoDB adapters
 * (functions/adapters/dynamodb/message-ledger.ts, attempt-ledger.ts, customer-store.ts) where the
 * domain depends on them: create-if-absent on the message id, statuses that only move forward by
 * rank, fallback attempts only on channels never tried, and attempt leases that expire. The
 * adapters themselves are tested on the emulators.
 */

import { randomUUID } from 'node:crypto';
import type {
  Channel,
  ChannelMessage,
  ConsentRecord,
  Customer,
  DeliveryError,
  FallbackRequest,
  MessageStatus,
  ReceiptCheck,
} from '../../functions/contract';
import type { CustomerEngagement, PopulationCounts } from '../../functions/domain/channel-choice';
import { seededRandom } from '../../functions/domain/channel-choice/random-source';
import { consentDecisionWins } from '../../functions/domain/consent/consent-rules';
import type {
  ChannelState,
  RoutingProfile,
  RoutingProfiles,
  StoredCustomer,
} from '../../functions/domain/customer-model';
import type { ErasedTimeline } from '../../functions/domain/customers/erase-customer';
import { RetryLaterError } from '../../functions/domain/errors';
import type {
  AttemptContext,
  AttemptKey,
  LedgerAttempt,
  LedgerMessage,
  NewMessage,
  StatusChange,
} from '../../functions/domain/ledger-model';
import { createMessageRenderer } from '../../functions/domain/literal-content-renderer';
import { DEFAULT_ROUTING } from '../../functions/domain/plan-route';
import type {
  AttemptLedger,
  ChannelDispatcher,
  ChannelSender,
  CreateMessageResult,
  CustomerRepository,
  DeliveryScheduler,
  Dispatch,
  FallbackQueue,
  LeaseResult,
  MessageLedger,
  ReceiptCheckScheduler,
  SendReceipt,
} from '../../functions/domain/ports';
import type {
  OutboundRecord,
  PopulationRatesSource,
  RoutingContext,
} from '../../functions/domain/routing/types';
import { canMoveTo, isTerminal } from '../../functions/domain/status-rank';

type Plan = Pick<LedgerMessage, 'attempts' | 'fallbackChannels' | 'skipped' | 'sourceId'>;

/** Customer profiles in memory: the parts of the repository the router and the senders use. */
export class InMemoryCustomerRepository
  implements
    Pick<CustomerRepository, 'getRoutingProfiles' | 'tombstonedAmong' | 'get' | 'setConsent' | 'setAddress'>
{
  readonly stored = new Map<string, StoredCustomer>();
  readonly states = new Map<string, ChannelState>();
  /** Ids with an erasure tombstone. */
  readonly tombstones = new Set<string>();
  /** When set, runs once at the next tombstone read after the batch read (an erase racing the router). */
  beforeTombstoneRead: (() => void) | undefined;
  /** Engagement counters per customer, as the ledger's stream keeps them on the profile item. */
  readonly engagement = new Map<string, CustomerEngagement>();
  /** When set, the next batch read fails with it (a throttled or unreachable table). */
  failNextRead: Error | undefined;

  constructor(customers: readonly Customer[] = []) {
    for (const customer of customers) this.add(customer);
  }

  /** Adds a profile, with what the webhooks learned about its channels. */
  add(customer: Customer, state: Partial<ChannelState> = {}): void {
    this.stored.set(customer.customerId, { customer, version: 1, updatedAt: '2026-01-01T00:00:00.000Z' });
    this.states.set(customer.customerId, { invalidAddresses: {}, ...state });
  }

  async getRoutingProfiles(customerIds: readonly string[]): Promise<RoutingProfiles> {
    const error = this.failNextRead;
    this.failNextRead = undefined;
    if (error) throw error;
    const profiles = new Map<string, RoutingProfile>();
    for (const id of customerIds) {
      const stored = this.stored.get(id);
      if (stored)
        profiles.set(id, {
          customer: stored.customer,
          state: this.states.get(id) ?? { invalidAddresses: {} },
          ...(this.engagement.has(id) ? { engagement: this.engagement.get(id) } : {}),
        });
    }
    const tombstoned = new Set(customerIds.filter((id) => this.tombstones.has(id)));
    return Object.assign(profiles, {
      tombstoned,
      erased: new Set([...tombstoned].filter((id) => !profiles.has(id))),
    });
  }

  async tombstonedAmong(customerIds: readonly string[]): Promise<ReadonlySet<string>> {
    const racing = this.beforeTombstoneRead;
    this.beforeTombstoneRead = undefined;
    racing?.();
    return new Set(customerIds.filter((id) => this.tombstones.has(id)));
  }

  async get(customerId: string): Promise<StoredCustomer | undefined> {
    return this.stored.get(customerId);
  }

  async setConsent(customerId: string, category: string, channel: Channel, record: ConsentRecord) {
    const stored = this.require(customerId);
    const current = stored.customer.consent[category]?.[channel];
    // As the adapter: the consent rules decide (repeats and older decisions change nothing).
    if (!consentDecisionWins(current, record)) return stored;
    const consent = {
      ...stored.customer.consent,
      [category]: { ...stored.customer.consent[category], [channel]: record },
    };
    return this.replace({ ...stored.customer, consent });
  }

  async setAddress(
    customerId: string,
    channel: Channel,
    address: Customer['addresses'][Channel] | undefined,
  ) {
    const stored = this.require(customerId);
    const addresses = { ...stored.customer.addresses, [channel]: address };
    if (address === undefined) delete addresses[channel];
    return this.replace({ ...stored.customer, addresses });
  }

  private require(customerId: string): StoredCustomer {
    const stored = this.stored.get(customerId);
    if (!stored) throw new Error(`no customer ${customerId}`);
    return stored;
  }

  private replace(customer: Customer): StoredCustomer {
    const previous = this.require(customer.customerId);
    const next = { customer, version: previous.version + 1, updatedAt: new Date().toISOString() };
    this.stored.set(customer.customerId, next);
    return next;
  }
}

interface StoredAttempt extends LedgerAttempt {
  readonly leaseOwner?: string;
  readonly leaseUntil?: number;
  readonly context?: AttemptContext;
}

/** The messages table in memory: messages for the router, attempts for the senders. */
export class InMemoryLedger implements MessageLedger, AttemptLedger {
  readonly messages = new Map<string, LedgerMessage>();
  readonly attempts = new Map<string, StoredAttempt>();

  /** The stored message, or an error naming it (for assertions). */
  message(customerId: string, messageId: string): LedgerMessage {
    const message = this.messages.get(`${customerId}#${messageId}`);
    if (!message) throw new Error(`no message ${messageId}`);
    return message;
  }

  /** The stored attempt, if any. */
  attempt(key: AttemptKey): StoredAttempt | undefined {
    return this.attempts.get(attemptId(key));
  }

  async createMessage(message: NewMessage): Promise<CreateMessageResult> {
    const id = `${message.customerId}#${message.messageId}`;
    const existing = this.messages.get(id);
    if (existing) return { created: false, existing };
    const { at, ...fields } = message;
    this.messages.set(id, { ...fields, createdAt: at, history: [{ status: message.status, at }] });
    return { created: true };
  }

  async getMessage(customerId: string, messageId: string): Promise<LedgerMessage | undefined> {
    return this.messages.get(`${customerId}#${messageId}`);
  }

  async startScheduled(customerId: string, messageId: string, plan: Plan, at: string): Promise<boolean> {
    const current = this.messages.get(`${customerId}#${messageId}`);
    if (current?.status !== 'scheduled' && current?.status !== 'capped') return false;
    this.update(current, {
      ...plan,
      status: 'queued',
      history: [...current.history, { status: 'queued', at }],
    });
    return true;
  }

  async addFallbackAttempts(customerId: string, messageId: string, plan: Plan, change: StatusChange) {
    const current = this.messages.get(`${customerId}#${messageId}`);
    if (!current || isTerminal(current.status)) return false;
    // The guard that makes fallback never repeat a channel.
    const tried = new Set(current.attempts.map((attempt) => attempt.channel));
    if (plan.attempts.some((attempt) => tried.has(attempt.channel))) return false;
    this.update(current, {
      ...plan,
      attempts: [...current.attempts, ...plan.attempts],
      history: [...current.history, change],
    });
    return true;
  }

  async recordCapped(
    customerId: string,
    messageId: string,
    change: { readonly at: string; readonly reason: string; readonly until?: string },
  ) {
    const current = this.messages.get(`${customerId}#${messageId}`);
    if (current?.status !== 'scheduled' && current?.status !== 'capped') return false;
    const { deliverAt: _dropped, ...rest } = current;
    this.messages.set(`${customerId}#${messageId}`, {
      ...rest,
      status: 'capped',
      history: [...current.history, { status: 'capped', at: change.at, reason: change.reason }],
      reasons: [...current.reasons, change.reason],
      ...(change.until ? { deliverAt: change.until } : {}),
    });
    return true;
  }

  async recordMessageStatus(customerId: string, messageId: string, change: StatusChange) {
    const current = this.messages.get(`${customerId}#${messageId}`);
    if (!current || !canMoveTo(current.status, change.status)) return false;
    this.update(current, {
      status: change.status,
      history: [...current.history, change],
      reasons: change.reason ? [...current.reasons, change.reason] : current.reasons,
    });
    return true;
  }

  async eraseTimeline(customerId: string, _at: Date): Promise<ErasedTimeline> {
    let erased = 0;
    for (const [id, message] of this.messages) {
      if (message.customerId === customerId) erased += Number(this.messages.delete(id));
    }
    for (const [id, attempt] of this.attempts) {
      if (attempt.customerId === customerId) erased += Number(this.attempts.delete(id));
    }
    return { items: erased, scheduleKeys: [] };
  }

  async leaseAttempt(
    key: AttemptKey,
    options: { owner: string; leaseSeconds: number; now: Date; queuedAt: string; context?: AttemptContext },
  ): Promise<LeaseResult> {
    const now = options.now.getTime();
    const current = this.attempts.get(attemptId(key));
    const free =
      !current ||
      (current.status === 'queued' &&
        (current.leaseUntil === undefined ||
          current.leaseUntil < now ||
          current.leaseOwner === options.owner));
    if (!free) {
      if (current.status !== 'queued') return { outcome: 'already-done', attempt: current };
      throw new RetryLaterError('Another invocation holds the lease on this attempt', {
        code: 'AttemptLeased',
      });
    }
    const attempt: StoredAttempt = {
      ...key,
      status: 'queued',
      history: [{ status: 'queued', at: options.queuedAt }],
      queuedAt: options.queuedAt,
      ...current,
      leaseOwner: options.owner,
      leaseUntil: now + options.leaseSeconds * 1000,
      ...(options.context ? { context: options.context } : {}),
    };
    this.attempts.set(attemptId(key), attempt);
    return { outcome: 'leased', attempt };
  }

  async recordSent(key: AttemptKey, receipt: SendReceipt, at: Date): Promise<boolean> {
    return this.moveAttempt(key, 'sent', at, undefined, true, {
      provider: receipt.provider,
      providerMessageId: receipt.providerMessageId,
      ...(receipt.details ? { details: receipt.details } : {}),
    });
  }

  async recordFailed(key: AttemptKey, error: DeliveryError, at: Date, details?: SendReceipt['details']) {
    return this.moveAttempt(key, 'failed', at, error, true, details ? { details } : {});
  }

  async recordReceiptStatus(
    key: AttemptKey,
    change: { status: MessageStatus; at: Date; error?: DeliveryError },
  ): Promise<boolean> {
    return this.moveAttempt(key, change.status, change.at, change.error, false, {});
  }

  private moveAttempt(
    key: AttemptKey,
    status: MessageStatus,
    at: Date,
    error: DeliveryError | undefined,
    releaseLease: boolean,
    fields: Partial<StoredAttempt>,
  ): boolean {
    const current = this.attempts.get(attemptId(key));
    if (!current || !canMoveTo(current.status, status)) return false;
    const change: StatusChange = {
      status,
      at: at.toISOString(),
      channel: key.channel,
      ...(error ? { reason: error.code } : {}),
    };
    const next: StoredAttempt = {
      ...current,
      ...fields,
      status,
      history: [...current.history, change],
      ...(error ? { error } : {}),
      ...(releaseLease ? { leaseOwner: undefined, leaseUntil: undefined } : {}),
    };
    this.attempts.set(attemptId(key), next);
    return true;
  }

  private update(current: LedgerMessage, fields: Partial<LedgerMessage>): void {
    this.messages.set(`${current.customerId}#${current.messageId}`, { ...current, ...fields });
  }
}

/** A dispatcher that keeps what it was given; ids in `failing` are reported as not queued. */
export class RecordingDispatcher implements ChannelDispatcher {
  readonly dispatched: Dispatch[] = [];
  readonly failing = new Map<string, string>();
  /** When set, the whole call fails with it (the queue unreachable). */
  failWith: Error | undefined;

  async dispatch(dispatches: readonly Dispatch[]): Promise<Map<string, string>> {
    if (this.failWith) throw this.failWith;
    const failures = new Map<string, string>();
    for (const dispatch of dispatches) {
      const reason = this.failing.get(dispatch.id);
      if (reason) failures.set(dispatch.id, reason);
      else this.dispatched.push(dispatch);
    }
    return failures;
  }

  /** The channel messages queued so far. */
  get messages(): ChannelMessage[] {
    return this.dispatched.map((dispatch) => dispatch.message);
  }
}

/** A scheduler that keeps one schedule per key, as the real ones do (scheduling twice schedules once). */
export class RecordingScheduler implements DeliveryScheduler {
  readonly schedules = new Map<string, { at: Date; body: string }>();

  async schedule(input: { key: string; at: Date; body: string }): Promise<void> {
    this.schedules.set(input.key, { at: input.at, body: input.body });
  }
}

/** The outbound queue as a channel sender sees it: fallback requests, kept. */
export class RecordingFallbackQueue implements FallbackQueue {
  readonly requests: FallbackRequest[] = [];

  async enqueue(request: FallbackRequest): Promise<void> {
    this.requests.push(request);
  }
}

/** Receipt checks, kept. */
export class RecordingReceiptScheduler implements ReceiptCheckScheduler {
  readonly checks: ReceiptCheck[] = [];

  async schedule(check: ReceiptCheck): Promise<void> {
    this.checks.push(check);
  }
}

/** A channel sender that answers each send with the next scripted receipt or error, and keeps what it sent. */
export class ScriptedSender implements ChannelSender {
  readonly provider = 'twilio' as const;
  readonly sent: ChannelMessage[] = [];
  private readonly script: (SendReceipt | Error)[];

  constructor(
    readonly channel: Channel,
    ...script: (SendReceipt | Error)[]
  ) {
    this.script = script;
  }

  async send(message: ChannelMessage): Promise<SendReceipt> {
    this.sent.push(message);
    const next = this.script.shift() ?? {
      provider: this.provider,
      providerMessageId: `SM${this.sent.length}`,
    };
    if (next instanceof Error) throw next;
    return next;
  }
}

function attemptId(key: AttemptKey): string {
  return `${key.customerId}#${key.messageId}#${key.channel}#${key.attempt}`;
}

/** The router's ports in memory, with literal-content rendering (the real renderer without templates). */
export function inMemoryRouterPorts(
  customers: readonly Customer[] = [],
  now = new Date('2026-03-02T10:00:00Z'),
) {
  const ports = {
    customers: new InMemoryCustomerRepository(customers),
    ledger: new InMemoryLedger(),
    dispatcher: new RecordingDispatcher(),
    scheduler: new RecordingScheduler(),
    renderer: createMessageRenderer(),
    now: () => now,
  };
  return ports;
}

/** Population counts in memory, counting the reads the router makes. */
export class InMemoryPopulationRates implements PopulationRatesSource {
  /** The categories of every read, in order. */
  readonly reads: (readonly string[])[] = [];

  constructor(readonly counts: PopulationCounts = {}) {}

  async countsFor(categories: readonly string[]): Promise<PopulationCounts> {
    this.reads.push([...categories]);
    return this.counts;
  }
}

/** One batch's routing context over in-memory ports, for testing a routing step by itself. */
export function routingContextFor(ports: ReturnType<typeof inMemoryRouterPorts>): RoutingContext {
  return {
    deps: ports,
    now: ports.now(),
    logger: { info() {}, warn() {}, error() {} },
    defaults: DEFAULT_ROUTING,
    population: {},
    random: seededRandom(1),
  };
}

/** An outbound record carrying `body` (serialised when not a string). */
export function anOutboundRecord(body: string | object, id = `sqs-${randomUUID()}`): OutboundRecord {
  return { id, body: typeof body === 'string' ? body : JSON.stringify(body) };
}
