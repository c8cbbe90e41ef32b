/**
 * The Switchboard message contract, version 1: schemas, types and parsers.
 * Imported by every function and by publishers; imports no AWS or provider SDK.
 */
import type { ChannelMessage } from './channel-message';
import { ChannelMessageSchema } from './channel-message';
import type { Customer } from './customer';
import { CustomerSchema } from './customer';
import type { MessageRequest } from './message-request';
import { MessageRequestSchema } from './message-request';
import { type ParseResult, parseWith, safeParseWith } from './validation';

export * from './api';
export * from './attribution-report';
export * from './channel-message';
export * from './consent-changed-event';
export * from './customer';
export * from './delivery-event';
export * from './fallback-request';
export * from './fields';
export * from './inbound-message';
export * from './journey';
export * from './journey-metadata';
export * from './journey-stats';
export * from './journey-timer';
export * from './message-request';
export * from './phone-numbers';
export * from './push-device';
export * from './receipt-check';
export * from './timeline';
export * from './touchpoint-event';
export * from './validation';
export * from './vocabulary';

/** Parses a MessageRequest from any input without throwing. */
export const safeParseMessageRequest = (input: unknown): ParseResult<MessageRequest> =>
  safeParseWith(MessageRequestSchema, input);

/** Parses a MessageRequest or throws a ContractValidationError naming every bad field. */
export const parseMessageRequest = (input: unknown): MessageRequest =>
  parseWith(MessageRequestSchema, input, 'MessageRequest');

/** Parses a Customer or throws a ContractValidationError. */
export const parseCustomer = (input: unknown): Customer => parseWith(CustomerSchema, input, 'Customer');

/** Parses a ChannelMessage or throws a ContractValidationError. */
export const parseChannelMessage = (input: unknown): ChannelMessage =>
  parseWith(ChannelMessageSchema, input, 'ChannelMessage');
