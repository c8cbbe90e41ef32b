/**
 * Records one consent decision sent through the API. `at` defaults to now and `source` to `api`;
 * an older decision never replaces a newer one (CustomerRepository.setConsent).
 */
import {
  ConsentChangeSchema,
  ContractValidationError,
  type CustomerBody,
  safeParseWith,
} from '../../contract';
import type { CustomerRepository } from '../ports';
import { customerBody } from './customer-body';

/** What recording a consent decision needs. */
export interface UpdateConsentPorts {
  readonly customers: Pick<CustomerRepository, 'setConsent'>;
  readonly now: () => Date;
}

/** Applies `input` (a ConsentChange) to the customer. Throws ContractValidationError on a bad body. */
export async function updateConsent(
  customerId: string,
  input: unknown,
  ports: UpdateConsentPorts,
): Promise<CustomerBody> {
  const parsed = safeParseWith(ConsentChangeSchema, input);
  if (!parsed.success) throw new ContractValidationError('ConsentChange', parsed.issues);
  const change = parsed.data;
  const stored = await ports.customers.setConsent(customerId, change.category, change.channel, {
    status: change.status,
    at: change.at ?? ports.now().toISOString(),
    source: change.source ?? 'api',
  });
  return customerBody(stored);
}
