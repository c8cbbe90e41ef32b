/** How a stored customer is shown to API clients: the profile with its version and last change. */
import type { CustomerBody } from '../../contract';
import type { StoredCustomer } from '../customer-model';

/** The API body of a stored customer. */
export function customerBody(stored: StoredCustomer): CustomerBody {
  return { ...stored.customer, version: stored.version, updatedAt: stored.updatedAt };
}
