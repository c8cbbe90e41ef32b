/**
 * An outbound record that did not parse is recorded `rejected` with field-level reasons and a
 * bounded copy of its body, once (create-if-absent), and never retried: retrying cannot fix it.
 */
import { MessageStatus } from '../../contract';
import { logKeysOf, type ParsedRecord } from './parse-outbound-record';
import { duplicateResult, type RecordResult, RouteOutcome, type RoutingContext } from './types';

/** Most characters of an unparsable body kept on the ledger. */
export const MAX_RAW_BODY_CHARS = 4096;

/** Records an invalid record as a rejected message; a second copy of it is a duplicate. */
export async function recordRejectedRequest(
  item: Extract<ParsedRecord, { kind: 'invalid' }>,
  context: RoutingContext,
): Promise<RecordResult> {
  const reasons = item.issues.map((issue) => `${issue.field}: ${issue.message}`);
  const created = await context.deps.ledger.createMessage({
    messageId: item.messageId,
    customerId: item.customerId ?? '',
    requestId: item.requestId ?? '',
    status: MessageStatus.REJECTED,
    reasons,
    rawBody: item.record.body.slice(0, MAX_RAW_BODY_CHARS),
    skipped: {},
    fallbackChannels: [],
    attempts: [],
    metadata: {},
    at: context.now.toISOString(),
  });
  context.logger.warn('Rejected an invalid request', { ...logKeysOf(item), reasons });
  if (!created.created) return duplicateResult(item.record.id, item.messageId);
  return { id: item.record.id, outcome: RouteOutcome.REJECTED, messageId: item.messageId };
}
