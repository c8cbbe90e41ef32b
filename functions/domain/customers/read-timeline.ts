/**
 * Reads one page of a customer's timeline for the API: at most 100 items (25 unless asked), from
 * the cursor the previous page returned. A cursor the ledger did not issue for this customer is the
 * caller's mistake (InvalidCursorError), reported like any other invalid field.
 */
import { ContractValidationError } from '../../contract';
import { InvalidCursorError } from '../errors';
import type { TimelinePage } from '../ledger-model';
import type { MessageLedger } from '../ports';

/** Items on a page when the caller does not say. */
export const DEFAULT_TIMELINE_LIMIT = 25;
/** Most items on one page. */
export const MAX_TIMELINE_LIMIT = 100;

/** What reading a timeline needs. */
export interface ReadTimelinePorts {
  readonly ledger: Pick<MessageLedger, 'timeline'>;
}

/** The query as the caller wrote it (strings from the URL, or absent). */
export interface TimelineQuery {
  readonly limit?: string | undefined;
  readonly cursor?: string | undefined;
}

/** One page of the timeline. Throws ContractValidationError for a bad `limit` or `cursor`. */
export async function readTimeline(
  customerId: string,
  query: TimelineQuery,
  ports: ReadTimelinePorts,
): Promise<TimelinePage> {
  const limit = query.limit === undefined ? DEFAULT_TIMELINE_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TIMELINE_LIMIT) {
    throw new ContractValidationError('timeline query', [
      { field: 'limit', message: `must be a whole number from 1 to ${MAX_TIMELINE_LIMIT}` },
    ]);
  }
  try {
    return await ports.ledger.timeline(customerId, {
      limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw new ContractValidationError('timeline query', [{ field: 'cursor', message: error.message }]);
  }
}
