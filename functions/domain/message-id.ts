/**
 * Message ids derived from what identifies a request, so that a duplicate request (publisher retry
 * or SQS duplicate) maps to the same message and the ledger's create-if-absent finds it.
 */
import { createHash } from 'node:crypto';

/** The id of the message for a customer's request: `msg_` + 32 hex digits. */
export function messageIdFor(customerId: string, requestId: string): string {
  return `msg_${digest(`${customerId}\n${requestId}`)}`;
}

/** The id of a message for a record that did not parse: `rej_` + 32 hex digits of its body. */
export function rejectedMessageIdFor(body: string): string {
  return `rej_${digest(body)}`;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}
