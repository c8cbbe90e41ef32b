/** Reads one customer profile for the API. */
import type { CustomerBody } from '../../contract';
import type { CustomerRepository } from '../ports';
import { customerBody } from './customer-body';

/** What reading a customer needs. */
export interface GetCustomerPorts {
  readonly customers: Pick<CustomerRepository, 'get'>;
}

/** The customer's profile, or undefined when there is none. */
export async function getCustomer(
  customerId: string,
  ports: GetCustomerPorts,
): Promise<CustomerBody | undefined> {
  const stored = await ports.customers.get(customerId);
  return stored ? customerBody(stored) : undefined;
}
