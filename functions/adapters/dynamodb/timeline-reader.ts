/**
 * A customer's timeline on DynamoDB: the items on `gsi1` of the messages table (`timeline#<id>`,
 * newest first: messages, replies, touchpoints, clicks, conversions) merged by time with the consent
 * changes of the profile's `consentHistory` (customers table, one GetItem per page) and the entries
 * of the customer's journey runs (one Query of `journey#` in their partition per page), as typed entries.
 *
 * A page is cut by sort key, never by a DynamoDB page: its cursor is the sort key of its last entry
 * (timeline-items.ts), so the next page starts below it whatever kind it was, and `since=` is a key
 * condition. Filters drop items after the read, so a filtered page keeps querying until it is full
 * or the timeline ends — at most {@link MAX_QUERIES_PER_PAGE} queries, after which it returns what it
 * found (even nothing) with a cursor past everything it read.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry, TimelineEntryType, TimelinePage } from '../../contract';
import { InvalidCursorError } from '../../domain/errors';
import type { LedgerAttempt } from '../../domain/ledger-model';
import { attemptRecordId, toMessageEntry } from '../../domain/timeline/message-entry';
import { isFiltered, matchesTimelineFilter, wantsAnyOf } from '../../domain/timeline/timeline-filter';
import type { TimelineRead, TimelineReader } from '../../domain/timeline/timeline-ports';
import { batchGetItems } from './batch-requests';
import { consentHistoryOf, customersDocuments, profileKey } from './customers-table';
import {
  attemptKey,
  journeyRunPrefix,
  messagesDocuments,
  partitionOf,
  TIMELINE_INDEX,
  timelinePartition,
  toAttempt,
} from './messages-table';
import { type TimelineRow, toConsentRow, toJourneyRows, toTimelineRow } from './timeline-items';

/** Options for {@link DynamoDbTimelineReader}. */
export interface DynamoDbTimelineReaderOptions {
  readonly client: DynamoDBClient;
  readonly messagesTable: string;
  readonly customersTable: string;
  /** Items one query of a filtered page reads (default 100; an unfiltered page reads only what it needs). */
  readonly itemsPerFilteredQuery?: number;
}

/** Most queries one filtered page makes before it returns what it found. */
export const MAX_QUERIES_PER_PAGE = 10;
const ITEMS_PER_FILTERED_QUERY = 100;

const ITEM_TYPES: readonly TimelineEntryType[] = ['message', 'inbound', 'touchpoint', 'conversion', 'click'];

/** {@link TimelineReader} on the messages and customers tables. */
export class DynamoDbTimelineReader implements TimelineReader {
  readonly #messages: DynamoDBDocumentClient;
  readonly #customers: DynamoDBDocumentClient;
  readonly #messagesTable: string;
  readonly #customersTable: string;
  readonly #itemsPerFilteredQuery: number;

  constructor(options: DynamoDbTimelineReaderOptions) {
    this.#messages = messagesDocuments(options.client);
    this.#customers = customersDocuments(options.client);
    this.#messagesTable = options.messagesTable;
    this.#customersTable = options.customersTable;
    this.#itemsPerFilteredQuery = options.itemsPerFilteredQuery ?? ITEMS_PER_FILTERED_QUERY;
  }

  async timeline(customerId: string, read: TimelineRead): Promise<TimelinePage> {
    const before = read.cursor === undefined ? undefined : decodeCursor(read.cursor, customerId);
    const [consent, journeys, items] = await Promise.all([
      this.#consentRows(customerId, read, before),
      this.#journeyRows(customerId, read, before),
      this.#itemRows(customerId, read, before),
    ]);
    // Below the last item read there may be items not read yet: consent and journey entries there
    // wait for the next page.
    const floor = items.floor;
    const candidates = [
      ...items.rows,
      ...[...consent, ...journeys].filter((row) => floor === undefined || row.sortKey > floor),
    ].sort((a, b) => (a.sortKey < b.sortKey ? 1 : a.sortKey > b.sortKey ? -1 : 0));
    const page = candidates.slice(0, read.limit);
    const last = page.at(-1);
    const nextKey =
      page.length === read.limit && (candidates.length > read.limit || floor !== undefined)
        ? last?.sortKey
        : floor;
    return {
      entries: await this.#entries(customerId, page),
      ...(nextKey === undefined ? {} : { nextCursor: encodeCursor(customerId, nextKey) }),
    };
  }

  /** The profile's consent changes within the page's bounds that pass the filter, newest first. */
  async #consentRows(customerId: string, read: TimelineRead, before: string | undefined) {
    if (!wantsAnyOf(['consent'], read)) return [];
    const output = await this.#customers.send(
      new GetCommand({
        TableName: this.#customersTable,
        Key: { pk: profileKey(customerId) },
        ProjectionExpression: 'consentHistory',
      }),
    );
    return consentHistoryOf(output.Item)
      .map(toConsentRow)
      .filter((row) => withinPage(row, read, before));
  }

  /**
   * The entries of the customer's journey runs within the page's bounds that pass the filter. Runs
   * are on no index: one Query of the customer's `journey#` items (a customer has a few), whole:
   * the run is one compressed attribute (journey-run-layout.ts), and an item is under 1 KB.
   */
  async #journeyRows(customerId: string, read: TimelineRead, before: string | undefined) {
    if (!wantsAnyOf(['journey'], read)) return [];
    const rows: TimelineRow[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await this.#messages.send(
        new QueryCommand({
          TableName: this.#messagesTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': partitionOf(customerId), ':prefix': journeyRunPrefix() },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of output.Items ?? []) rows.push(...toJourneyRows(item));
      startKey = output.LastEvaluatedKey;
    } while (startKey);
    return rows.filter((row) => withinPage(row, read, before));
  }

  /**
   * The index's items below `before` that pass the filter, newest first, until `limit` of them or
   * the end; `floor` is the sort key of the last item read when there may be more below it.
   */
  async #itemRows(
    customerId: string,
    read: TimelineRead,
    before: string | undefined,
  ): Promise<{ rows: TimelineRow[]; floor?: string }> {
    if (!wantsAnyOf(ITEM_TYPES, read)) return { rows: [] };
    const rows: TimelineRow[] = [];
    let startKey: Record<string, unknown> | undefined;
    let floor: string | undefined;
    for (let queries = 0; queries < MAX_QUERIES_PER_PAGE; queries += 1) {
      const output = await this.#messages.send(
        new QueryCommand({
          TableName: this.#messagesTable,
          IndexName: TIMELINE_INDEX,
          ...keyCondition(customerId, before, read.since),
          ScanIndexForward: false,
          Limit: isFiltered(read) ? this.#itemsPerFilteredQuery : read.limit - rows.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of output.Items ?? []) {
        floor = String(item.gsi1sk);
        // BETWEEN (with `since`) includes the cursor's own key.
        if (before !== undefined && floor >= before) continue;
        const row = toTimelineRow(item);
        if (row && matchesTimelineFilter(row.type, row.channels, read)) rows.push(row);
      }
      startKey = output.LastEvaluatedKey;
      if (!startKey) return { rows };
      floor = String(startKey.gsi1sk);
      if (rows.length >= read.limit) break;
    }
    return { rows, floor };
  }

  /** The page's rows as entries; messages with their attempt records (one batch read for the page). */
  async #entries(customerId: string, rows: readonly TimelineRow[]): Promise<TimelineEntry[]> {
    const keys = rows.flatMap((row) =>
      row.type === 'message'
        ? row.message.attempts.map((attempt) =>
            attemptKey({ customerId, messageId: row.message.messageId, ...attempt }),
          )
        : [],
    );
    const records = new Map<string, LedgerAttempt>();
    for (const item of await batchGetItems(this.#messages, this.#messagesTable, keys)) {
      const attempt = toAttempt(item);
      records.set(attemptRecordId(attempt), attempt);
    }
    return rows.map((row) => (row.type === 'message' ? toMessageEntry(row.message, records) : row.entry));
  }
}

/** Whether a row read whole (consent, journey) is below the cursor, at or after `since`, and passes the filter. */
function withinPage(row: TimelineRow, read: TimelineRead, before: string | undefined): boolean {
  return (
    (before === undefined || row.sortKey < before) &&
    (read.since === undefined || row.sortKey >= read.since) &&
    matchesTimelineFilter(row.type, row.channels, read)
  );
}

function keyCondition(customerId: string, before: string | undefined, since: string | undefined) {
  const values: Record<string, string> = { ':pk': timelinePartition(customerId) };
  let sort = '';
  if (before !== undefined && since !== undefined) {
    sort = ' AND gsi1sk BETWEEN :since AND :before';
    Object.assign(values, { ':since': since, ':before': before });
  } else if (before !== undefined) {
    sort = ' AND gsi1sk < :before';
    values[':before'] = before;
  } else if (since !== undefined) {
    sort = ' AND gsi1sk >= :since';
    values[':since'] = since;
  }
  return { KeyConditionExpression: `gsi1pk = :pk${sort}`, ExpressionAttributeValues: values };
}

function encodeCursor(customerId: string, before: string): string {
  return Buffer.from(JSON.stringify({ c: customerId, b: before }), 'utf8').toString('base64url');
}

/**
 * The sort key a cursor stands for, only if this reader issued it for this customer: another
 * customer's cursor would page by a position the caller did not get from this timeline.
 */
function decodeCursor(cursor: string, customerId: string): string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const { c, b } = (typeof value === 'object' && value !== null ? value : {}) as { c?: unknown; b?: unknown };
  if (c === customerId && typeof b === 'string' && b !== '') return b;
  throw new InvalidCursorError('is not a cursor this API returned for this customer');
}
