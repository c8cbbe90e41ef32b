/**
 * Accepts a message request for delivery (`POST /v1/messages`): checks it against the contract and
 * puts it on the outbound queue; the router does the rest. The message id is known at once, since
 * it is derived from the customer and request ids.
 */
import {
  ContractValidationError,
  type MessageAccepted,
  type MessageRequestInput,
  MessageRequestSchema,
  safeParseWith,
} from '../../contract';
import { messageIdFor } from '../message-id';

/** Hands a valid request to the router (the outbound queue). */
export interface MessageRequestPublisher {
  publish(request: MessageRequestInput): Promise<void>;
}

/** What accepting a message needs. */
export interface AcceptMessagePorts {
  readonly requests: MessageRequestPublisher;
}

/** Publishes `input` and returns its ids. Throws ContractValidationError for an invalid request. */
export async function acceptMessage(
  input: unknown,
  ports: AcceptMessagePorts,
): Promise<MessageAccepted & { readonly customerId: string }> {
  const parsed = safeParseWith(MessageRequestSchema, input);
  if (!parsed.success) throw new ContractValidationError('MessageRequest', parsed.issues);
  // The request as written (not the parsed form with its defaults): the router parses it again.
  await ports.requests.publish(input as MessageRequestInput);
  const { customerId, requestId } = parsed.data;
  return { messageId: messageIdFor(customerId, requestId), requestId, customerId };
}
