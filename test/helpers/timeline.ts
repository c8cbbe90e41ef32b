/**
 * The timeline reader on a test's emulator tables, and the entries of one kind a test looks for.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbTimelineReader } from '../../functions/adapters/dynamodb/timeline-reader';
import type { TimelineEntry, TimelineEntryType } from '../../functions/contract';
import type { TimelineReader } from '../../functions/domain/ports';
import type { LocalResources } from '../../local/emulators';

/** The DynamoDB timeline reader on a private set of tables. */
export function timelineReader(resources: LocalResources, client: DynamoDBClient): DynamoDbTimelineReader {
  return new DynamoDbTimelineReader({
    client,
    messagesTable: resources.tables.messages,
    customersTable: resources.tables.customers,
  });
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
