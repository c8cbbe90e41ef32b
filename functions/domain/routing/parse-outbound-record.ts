/**
 * Reading one outbound-queue body: a message request, a fallback request from a channel sender or
 * a webhook, or something invalid — kept with the ids it carries when they are usable, so a bad
 * request still lands on its customer's timeline.
 */
import {
  type FallbackRequest,
  FallbackRequestSchema,
  type FieldIssue,
  type MessageRequest,
  safeParseMessageRequest,
  safeParseWith,
} from '../../contract';
import { messageIdFor, rejectedMessageIdFor } from '../message-id';
import type { OutboundRecord } from './types';

/** An outbound record, read. `messageId` names the ledger message the record is about. */
export type ParsedRecord =
  | { kind: 'request'; record: OutboundRecord; request: MessageRequest; messageId: string }
  | { kind: 'fallback'; record: OutboundRecord; fallback: FallbackRequest; messageId: string }
  | {
      kind: 'invalid';
      record: OutboundRecord;
      issues: FieldIssue[];
      messageId: string;
      customerId?: string;
      requestId?: string;
    };

/** Parses an outbound record's body; never throws. */
export function parseOutboundRecord(record: OutboundRecord): ParsedRecord {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    return {
      kind: 'invalid',
      record,
      issues: [{ field: '(request)', message: 'is not JSON' }],
      messageId: rejectedMessageIdFor(record.body),
    };
  }
  if (isObject(json) && json.kind === 'fallback') {
    const fallback = safeParseWith(FallbackRequestSchema, json);
    if (fallback.success) {
      return { kind: 'fallback', record, fallback: fallback.data, messageId: fallback.data.messageId };
    }
    return { kind: 'invalid', record, issues: fallback.issues, messageId: rejectedMessageIdFor(record.body) };
  }
  const parsed = safeParseMessageRequest(json);
  if (parsed.success) {
    return {
      kind: 'request',
      record,
      request: parsed.data,
      messageId: messageIdFor(parsed.data.customerId, parsed.data.requestId),
    };
  }
  // Keep an invalid request on its customer's timeline when its ids are usable.
  const customerId = isObject(json) && isSafeId(json.customerId) ? json.customerId : undefined;
  const requestId = isObject(json) && isSafeId(json.requestId) ? json.requestId : undefined;
  return {
    kind: 'invalid',
    record,
    issues: parsed.issues,
    customerId,
    requestId,
    messageId:
      customerId && requestId ? messageIdFor(customerId, requestId) : rejectedMessageIdFor(record.body),
  };
}

/** The ids worth logging for a record (never its content). */
export function logKeysOf(item: ParsedRecord): Record<string, string | undefined> {
  if (item.kind === 'request') {
    return {
      requestId: item.request.requestId,
      messageId: item.messageId,
      customerId: item.request.customerId,
    };
  }
  if (item.kind === 'fallback') return { messageId: item.messageId, customerId: item.fallback.customerId };
  return { requestId: item.requestId, messageId: item.messageId, customerId: item.customerId };
}

/** The customer a record needs read, if any (an invalid record's too: for the erasure tombstone only). */
export function customerIdOf(item: ParsedRecord): string | undefined {
  if (item.kind === 'request') return item.request.customerId;
  if (item.kind === 'fallback') return item.fallback.customerId;
  return item.customerId;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSafeId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_.:@-]{1,128}$/.test(value);
}
