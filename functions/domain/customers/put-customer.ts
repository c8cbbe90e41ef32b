/**
 * Creates or replaces a customer profile: the body is checked against the contract with the id
 * taken from the path, then stored with its address index in one step (CustomerRepository.put).
 */
import { ContractValidationError, type CustomerBody, CustomerSchema, safeParseWith } from '../../contract';
import type { CustomerRepository } from '../ports';
import { customerBody } from './customer-body';

/** What putting a customer needs. */
export interface PutCustomerPorts {
  readonly customers: Pick<CustomerRepository, 'put'>;
}

/** The stored profile, and whether it was new. */
export interface PutCustomerResult {
  readonly created: boolean;
  readonly customer: CustomerBody;
}

/**
 * Stores `input` as the profile of `customerId`. Throws ContractValidationError when the body is
 * not a valid customer or names another customer id than the path.
 */
export async function putCustomer(
  customerId: string,
  input: unknown,
  ports: PutCustomerPorts,
): Promise<PutCustomerResult> {
  const body = isObject(input) ? input : undefined;
  if (body?.customerId !== undefined && body.customerId !== customerId) {
    throw new ContractValidationError('Customer', [
      { field: 'customerId', message: 'must match the customer id in the path' },
    ]);
  }
  const parsed = safeParseWith(CustomerSchema, body ? { ...body, customerId } : input);
  if (!parsed.success) throw new ContractValidationError('Customer', parsed.issues);
  const { created, stored } = await ports.customers.put(parsed.data);
  return { created, customer: customerBody(stored) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
