/**
 * Delivering one channel message: lease, send, record, then what the outcome owes. Start at
 * deliver-channel-message.ts for the main path.
 */
export { deliverChannelMessage } from './deliver-channel-message';
export { PROVIDER_OPT_OUT_SOURCE } from './delivery-follow-ups';
export * from './types';
