/**
 * The timeline reader on a test's emulator tables, the stores that write what it reads, the entries
 * of one kind a test looks for, every page of a read, and click and conversion items in the shapes
 * their writers share (nothing writes them on this branch).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAttemptLedger } from '../../functions/adapters/dynamodb/attempt-ledger';
import { DynamoDbCustomerStore } from '../../functions/adapters/dynamodb/customer-store';
import { DynamoDbJourneyRunStore } from '../../functions/adapters/dynamodb/journey-run-store';
import { DynamoDbMessageLedger } from '../../functions/adapters/dynamodb/message-ledger';
import { DynamoDbTimelineReader } from '../../functions/adapters/dynamodb/timeline-reader';
import { DynamoDbTouchpointStore } from '../../functions/adapters/dynamodb/touchpoint-store';
import { addressKeyerFromEnv } from '../../functions/adapters/secrets/keyed-hash';
import type { TimelineEntry, TimelineEntryType } from '../../functions/contract';
import type { TimelineRead, TimelineReader } from '../../functions/domain/timeline/timeline-ports';
import type { LocalResources } from '../../local/emulators';

/** The DynamoDB timeline reader on a private set of tables. */
export function timelineReader(
  resources: LocalResources,
  client: DynamoDBClient,
  options: { itemsPerFilteredQuery?: number } = {},
): DynamoDbTimelineReader {
  return new DynamoDbTimelineReader({
    client,
    messagesTable: resources.tables.messages,
    customersTable: resources.tables.customers,
    ...options,
  });
}

/** The stores whose items the timeline reads, on a private set of tables. */
export interface TimelineWriters {
  readonly ledger: DynamoDbMessageLedger;
  readonly attempts: DynamoDbAttemptLedger;
  readonly customers: DynamoDbCustomerStore;
  readonly touchpoints: DynamoDbTouchpointStore;
  readonly runs: DynamoDbJourneyRunStore;
}

/** The real writers of every kind of timeline entry (messages, attempts, consent, touchpoints, journey runs). */
export function timelineWriters(resources: LocalResources, client: DynamoDBClient): TimelineWriters {
  const onMessages = { client, tableName: resources.tables.messages };
  return {
    ledger: new DynamoDbMessageLedger(onMessages),
    attempts: new DynamoDbAttemptLedger(onMessages),
    customers: new DynamoDbCustomerStore({
      client,
      tableName: resources.tables.customers,
      keyer: addressKeyerFromEnv(),
    }),
    touchpoints: new DynamoDbTouchpointStore(onMessages),
    runs: new DynamoDbJourneyRunStore(onMessages),
  };
}

/**
 * Every page of a read, following its cursors until there is none (or `maxPages`, so that a cursor
 * that never ends fails the test instead of hanging it): the entries in order, and each page's size.
 */
export async function everyPage(
  reader: TimelineReader,
  customerId: string,
  read: Omit<TimelineRead, 'cursor'>,
  maxPages = 60,
): Promise<{ seen: TimelineEntry[]; sizes: number[] }> {
  const seen: TimelineEntry[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await reader.timeline(customerId, { ...read, ...(cursor ? { cursor } : {}) });
    seen.push(...page.entries);
    sizes.push(page.entries.length);
    cursor = page.nextCursor;
  } while (cursor !== undefined && sizes.length < maxPages);
  return { seen, sizes };
}

/** The entries of one kind on the first 100 of a customer's timeline, newest first. */
export async function entriesOf<T extends TimelineEntryType>(
  reader: TimelineReader,
  customerId: string,
  type: T,
): Promise<Extract<TimelineEntry, { type: T }>[]> {
  const page = await reader.timeline(customerId, { limit: 100, types: [type] });
  return page.entries.filter((entry): entry is Extract<TimelineEntry, { type: T }> => entry.type === type);
}

/** Puts an item on the messages table as its writer would (no condition: tests set the scene). */
export async function putTimelineItem(
  documents: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
): Promise<void> {
  await documents.send(new PutCommand({ TableName: tableName, Item: item }));
}

/** A click item in the shape the link-tracking writer shares (SPEC of issue 17): `click#<token>#<clickedAt>`. */
export function aClickItem(
  customerId: string,
  fields: { messageId: string; channel: string; clickedAt: string; token?: string; url?: string },
): Record<string, unknown> {
  const token = fields.token ?? `tok-${fields.messageId}`;
  return {
    pk: `customer#${customerId}`,
    sk: `click#${token}#${fields.clickedAt}`,
    kind: 'click',
    gsi1pk: `timeline#${customerId}`,
    gsi1sk: `${fields.clickedAt}#click#${token}`,
    token,
    messageId: fields.messageId,
    attempt: 1,
    channel: fields.channel,
    url: fields.url ?? 'https://shop.example.com/cart',
    clickedAt: fields.clickedAt,
    expiresAt: Math.floor(Date.parse(fields.clickedAt) / 1000) + 400 * 86_400,
  };
}

/** A conversion item in the shape the attribution writer shares (SPEC of issue 17): `conversion#<messageId>`. */
export function aConversionItem(
  customerId: string,
  fields: { conversionId: string; occurredAt: string; channel: string; creditedMessageId?: string },
): Record<string, unknown> {
  return {
    pk: `customer#${customerId}`,
    sk: `conversion#${fields.conversionId}`,
    kind: 'conversion',
    gsi1pk: `timeline#${customerId}`,
    gsi1sk: `${fields.occurredAt}#conversion#${fields.conversionId}`,
    conversionId: fields.conversionId,
    event: 'Order Completed',
    occurredAt: fields.occurredAt,
    channel: fields.channel,
    revenue: 59.9,
    currency: 'EUR',
    sourceKind: 'server',
    credits: [
      {
        messageId: fields.creditedMessageId ?? 'msg-offer',
        channel: 'email',
        template: 'weekly-offer',
        weight: { last: 1, first: 1, linear: 1 },
      },
    ],
    expiresAt: Math.floor(Date.parse(fields.occurredAt) / 1000) + 400 * 86_400,
  };
}
