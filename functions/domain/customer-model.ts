/**
 * The customer model as the stores keep it: a stored profile with its version, what the webhooks
 * learned about its channels, and its consent history. The ports in ports.ts read and write it.
 */
import type { Channel, ConsentRecord, Customer } from '../contract';
import type { CustomerEngagement } from './channel-choice/engagement-counters';
import type { CapCounters } from './routing/frequency-caps';

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
 * tombstones ride in the same read: domain/customers/erase-customer.ts), whose records the router
 * drops, and every id that had a tombstone at the read (`tombstoned`: the erased ones and those made
 * again since), so that a tombstone written after the read can be told apart.
 */
export type RoutingProfiles = Map<string, RoutingProfile> & {
  readonly erased?: ReadonlySet<string>;
  readonly tombstoned?: ReadonlySet<string>;
};

/** A profile as the router reads it: the customer, the state of their channels and their engagement. */
export interface RoutingProfile {
  readonly customer: Customer;
  readonly state: ChannelState;
  /** Decayed engagement counts per channel, as of the read (kept on the profile item by the ledger's stream). */
  readonly engagement?: CustomerEngagement;
  /** The frequency-cap counters as of the read, by cap id (kept on the profile item by the router). */
  readonly caps?: CapCounters;
}

/** One consent change as the profile's history keeps it. */
export interface ConsentHistoryEntry extends ConsentRecord, ConsentContext {
  readonly category: string;
  readonly channel: Channel;
  readonly reason?: string;
}

/** The message a consent signal came with (the reply, or the email unsubscribed from). */
export interface ConsentContext {
  readonly messageId?: string;
  readonly providerMessageId?: string;
  /** The outbound request's metadata, echoed on the consent event. */
  readonly metadata?: Readonly<Record<string, string>>;
}
