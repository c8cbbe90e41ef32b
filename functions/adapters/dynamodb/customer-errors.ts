/** What the customer store's writes refuse, for the API to answer (handlers/shared/api-answer.ts). */
import type { Channel } from '../../contract';
import { SwitchboardError } from '../../domain/errors';

/** Another customer already holds one of the addresses. */
export class AddressInUseError extends SwitchboardError {
  /** The channel of the address. */
  readonly channel: Channel;
  constructor(channel: Channel, options?: ErrorOptions) {
    super(`The ${channel} address belongs to another customer`, options);
    this.channel = channel;
  }
}

/** No customer with this id. */
export class CustomerNotFoundError extends SwitchboardError {}
