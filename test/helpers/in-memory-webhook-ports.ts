/**
 * In-memory implementations of the webhook ports, for unit tests of the use-case logic only. They
 * keep the same conditional semantics the DynamoDB adapters must have (rank-guarded status, one
 * fallback per attempt, one record per inbound message), so the logic can be tested without AWS;
 * the adapters themselves are tested on the emulators.
 */

import type {
  Channel,
  ConsentRecord,
  Customer,
  InboundMessage,
  ReceiptCheck,
} from '../../functions/contract';
import { consentDecisionWins } from '../../functions/domain/consent/consent-rules';
import type { ConsentContext } from '../../functions/domain/customer-model';
import type {
  AdvanceResult,
  AttemptReference,
  AttemptStatusChange,
  FallbackReason,
  InboundAnnotations,
  OutboundAttempt,
} from '../../functions/domain/ledger-model';
import type {
  ConsentStore,
  EventPublisher,
  ReceiptCheckScheduler,
  SwitchboardEvent,
  WebhookLedger,
} from '../../functions/domain/ports';
import { canAdvance } from '../../functions/domain/status-rank';

/** An attempt with defaults for everything a test does not care about. */
export function anAttempt(overrides: Partial<OutboundAttempt> = {}): OutboundAttempt {
  return {
    messageId: 'msg-1',
    requestId: 'req-1',
    customerId: 'c-1',
    category: 'marketing',
    channel: 'sms',
    attempt: 1,
    provider: 'twilio',
    providerMessageId: 'SM1342fe1b2c904d1ab04f0fc7a58abca9',
    status: 'sent',
    fallbackAllowed: true,
    triedChannels: ['sms'],
    metadata: { campaign: 'spring' },
    ...overrides,
  };
}

/** A customer with defaults. */
export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    customerId: 'c-1',
    addresses: { sms: '+15558675310', whatsapp: '+15558675310', email: 'example@test.com' },
    preferences: { channels: ['sms', 'email'] },
    consent: { marketing: { sms: { status: 'opted_in', at: '2026-01-01T00:00:00Z', source: 'api' } } },
    attributes: {},
    ...overrides,
  };
}

/** A ledger in memory. */
export class InMemoryWebhookLedger implements WebhookLedger {
  readonly attempts: OutboundAttempt[] = [];
  readonly history: { messageId: string; change: AttemptStatusChange }[] = [];
  readonly fallbacks = new Map<string, FallbackReason>();
  readonly inbound: { message: InboundMessage; annotations: InboundAnnotations }[] = [];
  readonly seen = new Set<string>();
  readonly latestOutbound = new Map<string, string>();

  async findAttempt(reference: AttemptReference) {
    return this.attempts.find(
      (attempt) =>
        attempt.customerId === reference.customerId &&
        attempt.messageId === reference.messageId &&
        attempt.channel === reference.channel &&
        attempt.attempt === reference.attempt,
    );
  }
  async advanceStatus(attempt: OutboundAttempt, change: AttemptStatusChange): Promise<AdvanceResult> {
    const index = this.attempts.findIndex(
      (a) => a.messageId === attempt.messageId && a.attempt === attempt.attempt,
    );
    const current = this.attempts[index];
    if (!current || !canAdvance(current.status, change.status)) return 'unchanged';
    this.attempts[index] = { ...current, status: change.status };
    this.history.push({ messageId: attempt.messageId, change });
    // Claimed in the same step, as the DynamoDB ledger does in the same write.
    if (change.fallback && (await this.claimFallback(attempt, change.fallback))) {
      return 'moved-and-claimed-fallback';
    }
    return 'moved';
  }
  async claimFallback(attempt: OutboundAttempt, reason: FallbackReason) {
    const key = `${attempt.messageId}#${attempt.attempt}`;
    if (this.fallbacks.has(key)) return false;
    this.fallbacks.set(key, reason);
    return true;
  }
  async recordInbound(message: InboundMessage, annotations: InboundAnnotations) {
    if (this.inbound.some((i) => i.message.providerMessageId === message.providerMessageId)) return false;
    this.inbound.push({ message, annotations });
    return true;
  }
  async latestOutboundMessageId(customerId: string, channel: Channel) {
    return this.latestOutbound.get(`${customerId}#${channel}`);
  }
  async hasSeenWebhookEvent(eventId: string) {
    return this.seen.has(eventId);
  }
  async rememberWebhookEvent(eventId: string) {
    this.seen.add(eventId);
  }
}

/** A customer store in memory. */
export class InMemoryConsentStore implements ConsentStore {
  readonly customers = new Map<string, Customer>();
  readonly invalidAddresses: { customerId: string; channel: Channel; address: string; reason: string }[] = [];
  readonly windows = new Map<string, string>();

  constructor(customers: Customer[] = []) {
    for (const customer of customers) this.customers.set(customer.customerId, customer);
  }
  async findByAddress(channel: Channel, address: string) {
    return [...this.customers.values()].find((customer) => {
      const value = customer.addresses[channel];
      return typeof value === 'string' && value.toLowerCase() === address.toLowerCase();
    });
  }
  async get(customerId: string) {
    return this.customers.get(customerId);
  }
  /** Every change that changed something, as the history entries would record it. */
  readonly changes: {
    customerId: string;
    channel: Channel;
    categories: string[];
    record: ConsentRecord;
    reason?: string | undefined;
    context?: ConsentContext | undefined;
  }[] = [];

  async setConsent(
    customerId: string,
    channel: Channel,
    categories: readonly string[],
    record: ConsentRecord,
    reason?: string,
    context?: ConsentContext,
  ) {
    const customer = this.customers.get(customerId);
    if (!customer) return [];
    const consent = structuredClone(customer.consent);
    const changed: string[] = [];
    for (const category of categories) {
      const perChannel = consent[category] ?? {};
      // As the adapter: the consent rules decide (repeats and older decisions change nothing).
      if (!consentDecisionWins(perChannel[channel], record)) continue;
      changed.push(category);
      perChannel[channel] = record;
      consent[category] = perChannel;
    }
    this.customers.set(customerId, { ...customer, consent });
    if (changed.length > 0)
      this.changes.push({ customerId, channel, categories: changed, record, reason, context });
    return changed;
  }
  async markAddressInvalid(
    customerId: string,
    channel: Channel,
    address: string,
    _at: string,
    reason: string,
  ) {
    this.invalidAddresses.push({ customerId, channel, address, reason });
  }
  async openWhatsAppWindow(customerId: string, until: string) {
    const current = this.windows.get(customerId);
    if (!current || current < until) this.windows.set(customerId, until);
  }
}

/** Collects published events. */
export class RecordingEventPublisher implements EventPublisher {
  readonly published: SwitchboardEvent[] = [];
  readonly calls: number[] = [];
  async publish(events: readonly SwitchboardEvent[]) {
    this.calls.push(events.length);
    this.published.push(...events);
  }
}

/** Collects scheduled receipt checks. */
export class RecordingReceiptCheckScheduler implements ReceiptCheckScheduler {
  readonly scheduled: ReceiptCheck[] = [];
  async schedule(check: ReceiptCheck) {
    this.scheduled.push(check);
  }
}
