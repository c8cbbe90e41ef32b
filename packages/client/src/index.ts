/**
 * `@switchboard/client`: publish messages and touchpoint events to Switchboard and call its customer API.
 *
 * Beside the clients, the package carries the parts of Switchboard's contract (version 1) that a
 * caller writes or reads: the MessageRequest and Customer documents, the API's bodies, the events on
 * the events topic, their vocabulary and validation. They are re-exported from `functions/contract/`,
 * the contract's one home, and bundled into the build (see README.md, "How the package is built").
 * The queue messages Switchboard passes between its own functions stay internal.
 */

export {
  parseCustomer,
  parseMessageRequest,
  safeParseMessageRequest,
} from '../../../functions/contract';
export * from '../../../functions/contract/api';
export * from '../../../functions/contract/attribution-report';
export * from '../../../functions/contract/consent-changed-event';
export * from '../../../functions/contract/customer';
export * from '../../../functions/contract/delivery-event';
export * from '../../../functions/contract/inbound-message';
export * from '../../../functions/contract/message-request';
export * from '../../../functions/contract/push-device';
export * from '../../../functions/contract/timeline';
export * from '../../../functions/contract/touchpoint-event';
export * from '../../../functions/contract/validation';
export * from '../../../functions/contract/vocabulary';
export * from './api-client';
export * from './publish-message';
export * from './publish-touchpoint';
export * from './sigv4-signer';
export * from './touchpoint-batch-publisher';
