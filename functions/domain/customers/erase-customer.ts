/**
 * Erases a customer: their timeline, then their profile (which keeps a hashed suppression entry for
 * each opted-out address, so an opt-out outlives the erasure).
 */
import type { CustomerRepository, MessageLedger } from '../ports';

/** What erasing a customer needs. */
export interface EraseCustomerPorts {
  readonly customers: Pick<CustomerRepository, 'erase'>;
  readonly ledger: Pick<MessageLedger, 'eraseTimeline'>;
}

/** How much went. */
export interface ErasureSummary {
  /** Timeline items deleted. */
  readonly messages: number;
  /** Whether there was a profile to delete. */
  readonly profile: boolean;
}

/** Erases everything Switchboard holds about the customer; safe to repeat. */
export async function eraseCustomer(customerId: string, ports: EraseCustomerPorts): Promise<ErasureSummary> {
  // The timeline first: a retry after a failure part-way still finds what is left to erase.
  const messages = await ports.ledger.eraseTimeline(customerId);
  const profile = await ports.customers.erase(customerId);
  return { messages, profile };
}
