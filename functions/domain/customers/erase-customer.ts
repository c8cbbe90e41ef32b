/**
 * Erasure of a customer (`DELETE /v1/customers/{id}`): the one home of what an erase removes, in
 * which order, and what it leaves behind on purpose (docs/customers-and-routing.md, "Erasure").
 *
 * Order matters for a retry after a failure part-way: the profile goes last, because its addresses
 * are what finds the anonymous-contact partitions, and a retry must still find them.
 *
 * 1. an erasure tombstone for the customer id (no contact data), so a request in flight, a delayed
 *    hop of a local schedule or a redriven DLQ copy reaching the router is dropped, not re-created;
 * 2. the customer's pending delivery schedules (EventBridge Scheduler; locally the SQS delay chain
 *    cannot take a message back, and the tombstone drops the hop when it returns);
 * 3. the anonymous-contact partitions named after the customer's addresses (inbound from them
 *    before they were known, or after an address was removed), and the anonymous touchpoint
 *    profiles an identify stitched to the customer (found by their references back in the
 *    customer's partition, which the timeline sweep then removes);
 * 4. the timeline: every message, attempt and inbound item; each planned attempt becomes an attempt
 *    tombstone, so a channel message still queued cannot be leased, sent or written back;
 * 5. the profile and its address index, keeping the hashed suppression entry for opt-outs.
 */
import type { Channel, Customer } from '../../contract';

/**
 * Days the erasure tombstones live: past the 14-day retention of every queue and dead-letter queue
 * (infra/resources.ts), so no queued, delayed or redriven copy outlives the tombstone that drops it.
 */
export const ERASURE_TOMBSTONE_DAYS = 15;

/** The `kind` of an erasure tombstone item: keys and a TTL, no content. */
export const ERASED_KIND = 'erased';

/** What erasing a timeline removed, and the schedules its messages may still have pending. */
export interface ErasedTimeline {
  /** Items deleted or replaced by an attempt tombstone. */
  readonly items: number;
  /** Keys of delivery schedules the erased messages may have pending (see DeliveryScheduler.schedule). */
  readonly scheduleKeys: readonly string[];
}

/** An address of the customer, as the anonymous-contact partitions are named after. */
export interface ContactAddress {
  readonly channel: Channel;
  readonly address: string;
}

/** The ports the erase needs. */
export interface EraseCustomerDependencies {
  readonly customers: {
    get(customerId: string): Promise<{ readonly customer: Customer } | undefined>;
    markErased(customerId: string, at: Date): Promise<void>;
    erase(customerId: string): Promise<boolean>;
  };
  readonly ledger: { eraseTimeline(customerId: string, at: Date): Promise<ErasedTimeline> };
  readonly contacts: { eraseAnonymousContacts(addresses: readonly ContactAddress[]): Promise<number> };
  readonly touchpoints: { eraseLinkedAnonymousProfiles(customerId: string): Promise<number> };
  /** Absent where schedules cannot be deleted (the local SQS delay chain). */
  readonly schedules?: { cancel(keys: readonly string[]): Promise<number> };
  readonly now?: () => Date;
}

/** What an erase removed (counts only: nothing of the customer goes into a log). */
export interface ErasureReport {
  readonly profile: boolean;
  readonly messages: number;
  readonly contacts: number;
  readonly anonymousProfiles: number;
  readonly schedules: number;
}

/** Erases a customer; safe to repeat, and a repeat finishes what a failed erase left. */
export async function eraseCustomer(
  customerId: string,
  deps: EraseCustomerDependencies,
): Promise<ErasureReport> {
  const at = (deps.now ?? (() => new Date()))();
  const stored = await deps.customers.get(customerId);
  await deps.customers.markErased(customerId, at);
  const contacts = stored
    ? await deps.contacts.eraseAnonymousContacts(contactAddresses(stored.customer.addresses))
    : 0;
  // Before the timeline: the references back to the anonymous profiles are in its partition.
  const anonymousProfiles = await deps.touchpoints.eraseLinkedAnonymousProfiles(customerId);
  const timeline = await deps.ledger.eraseTimeline(customerId, at);
  const schedules = deps.schedules ? await deps.schedules.cancel(timeline.scheduleKeys) : 0;
  const profile = await deps.customers.erase(customerId);
  return { profile, messages: timeline.items, contacts, anonymousProfiles, schedules };
}

/** Every address of a profile that an unknown sender's inbound can arrive from. */
export function contactAddresses(addresses: Customer['addresses']): ContactAddress[] {
  const list: ContactAddress[] = [];
  if (addresses.sms) list.push({ channel: 'sms', address: addresses.sms });
  if (addresses.whatsapp) list.push({ channel: 'whatsapp', address: addresses.whatsapp });
  if (addresses.email) list.push({ channel: 'email', address: addresses.email });
  return list;
}
