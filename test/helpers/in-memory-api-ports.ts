/**
 * In-memory ports for the API's use cases (domain/customers/, domain/messages/): a customer
 * repository, the ledger's timeline side and a recording message-request publisher.
 */

import type {
  Channel,
  ConsentRecord,
  Customer,
  MessageRequestInput,
  TimelinePage,
} from '../../functions/contract';
import type { StoredCustomer } from '../../functions/domain/customer-model';
import type { ContactAddress, ErasedTimeline } from '../../functions/domain/customers/erase-customer';
import type { MessageRequestPublisher } from '../../functions/domain/messages/accept-message';
import type { CustomerRepository, MessageLedger } from '../../functions/domain/ports';
import type { TimelineRead, TimelineReader } from '../../functions/domain/timeline/timeline-ports';

/** Profiles in a map; the parts of CustomerRepository the API uses. */
export class InMemoryCustomers implements Pick<CustomerRepository, 'get' | 'put' | 'setConsent' | 'erase'> {
  readonly stored = new Map<string, StoredCustomer>();
  constructor(private readonly now: () => Date = () => new Date('2026-12-05T10:00:00Z')) {}

  async get(customerId: string): Promise<StoredCustomer | undefined> {
    return this.stored.get(customerId);
  }

  async put(customer: Customer): Promise<{ created: boolean; stored: StoredCustomer }> {
    const previous = this.stored.get(customer.customerId);
    const stored = { customer, version: (previous?.version ?? 0) + 1, updatedAt: this.now().toISOString() };
    this.stored.set(customer.customerId, stored);
    return { created: previous === undefined, stored };
  }

  async setConsent(
    customerId: string,
    category: string,
    channel: Channel,
    record: ConsentRecord,
  ): Promise<StoredCustomer> {
    const previous = this.stored.get(customerId);
    if (!previous) throw new Error(`No customer ${customerId}`);
    const consent = { ...previous.customer.consent };
    consent[category] = { ...consent[category], [channel]: record };
    const customer = { ...previous.customer, consent };
    const stored = { customer, version: previous.version + 1, updatedAt: this.now().toISOString() };
    this.stored.set(customerId, stored);
    return stored;
  }

  /** Customer ids marked erased (the router's tombstone), with when. */
  readonly erased = new Map<string, Date>();

  async markErased(customerId: string, at: Date): Promise<void> {
    this.erased.set(customerId, at);
  }

  async erase(customerId: string): Promise<boolean> {
    return this.stored.delete(customerId);
  }
}

/** An empty timeline that records what it was asked, and the part of MessageLedger erasure uses. */
export class InMemoryTimeline implements TimelineReader, Pick<MessageLedger, 'eraseTimeline'> {
  readonly calls: { customerId: string; read: TimelineRead }[] = [];
  readonly items = new Map<string, number>();

  constructor(private readonly fail?: Error) {}

  async timeline(customerId: string, read: TimelineRead): Promise<TimelinePage> {
    this.calls.push({ customerId, read });
    if (this.fail) throw this.fail;
    return { entries: [] };
  }

  async eraseTimeline(customerId: string, _at: Date): Promise<ErasedTimeline> {
    const count = this.items.get(customerId) ?? 0;
    this.items.delete(customerId);
    return { items: count, scheduleKeys: [] };
  }
}

/** Anonymous-contact partitions by address; erasure removes the customer's. */
export class InMemoryContacts {
  readonly partitions = new Set<string>();
  async eraseAnonymousContacts(addresses: readonly ContactAddress[]): Promise<number> {
    let erased = 0;
    for (const { channel, address } of addresses)
      erased += Number(this.partitions.delete(`${channel}:${address}`));
    return erased;
  }
}

/** Anonymous touchpoint profiles stitched to customers, by customer id. */
export class InMemoryAnonymousLinks {
  readonly linked = new Map<string, Set<string>>();
  async eraseLinkedAnonymousProfiles(customerId: string): Promise<number> {
    const count = this.linked.get(customerId)?.size ?? 0;
    this.linked.delete(customerId);
    return count;
  }
}

/** Keeps every published request. */
export class RecordingRequestPublisher implements MessageRequestPublisher {
  readonly published: MessageRequestInput[] = [];
  async publish(request: MessageRequestInput): Promise<void> {
    this.published.push(request);
  }
}
