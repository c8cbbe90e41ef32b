/**
 * Erasure on the messages table: every item of one partition (a customer's, or an anonymous
 * contact's) deleted page by page, some replaced by tombstones (domain/customers/erase-customer.ts).
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ERASED_KIND } from '../../domain/customers/erase-customer';
import { batchWriteItems } from './batch-requests';

/**
 * Deletes every item of a partition, except erasure tombstones; `tombstones(item)` names sort keys
 * to replace with a tombstone instead (an attempt item, or the key of an attempt not leased yet),
 * and `outside(item)` keys of other partitions the item refers to that go with it (an attempt's
 * link items). Returns how many items of the partition went.
 */
export async function sweepPartition(
  documents: DynamoDBDocumentClient,
  table: string,
  pk: string,
  tombstones: (item: Record<string, unknown>) => string[],
  expiresAt = 0,
  outside: (item: Record<string, unknown>) => { pk: string; sk: string }[] = () => [],
): Promise<number> {
  let erased = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'pk, sk, kind, messageId, attempts, #status, deliverAt, linkTokens',
        ExpressionAttributeNames: { '#status': 'status' },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const writes = new Map<string, Record<string, unknown>>();
    for (const item of page.Items ?? []) {
      if (item.kind === ERASED_KIND) continue;
      erased++;
      // An attempt already named for a tombstone by its message (sorted before it) keeps the Put.
      if (!writes.has(String(item.sk))) {
        writes.set(String(item.sk), { DeleteRequest: { Key: { pk, sk: item.sk } } });
      }
      for (const sk of tombstones(item)) {
        writes.set(sk, { PutRequest: { Item: { pk, sk, kind: ERASED_KIND, expiresAt } } });
      }
      for (const key of outside(item)) {
        writes.set(`${key.pk}\u0000${key.sk}`, { DeleteRequest: { Key: key } });
      }
    }
    await batchWriteItems(documents, table, [...writes.values()]);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return erased;
}
