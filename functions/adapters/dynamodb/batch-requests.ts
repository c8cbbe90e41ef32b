/**
 * BatchGetItem and BatchWriteItem until DynamoDB has processed every key and write: both may leave
 * part of a batch unprocessed (throttling, size), which is asked again with a growing pause, a few
 * rounds, then given up with RetryLaterError so the caller's message is retried, never half-done.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RetryLaterError } from '../../domain/errors';

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const MAX_BATCH_ROUNDS = 6;

/** Reads items by key (consistent reads), as many BatchGetItem requests of 100 keys as it takes. */
export async function batchGetItems(
  documents: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let remaining = keys.slice(start, start + BATCH_GET_LIMIT) as Record<string, unknown>[];
    for (let round = 0; remaining.length > 0; round++) {
      if (round >= MAX_BATCH_ROUNDS) {
        throw new RetryLaterError('DynamoDB left keys unprocessed', { code: 'UnprocessedKeys' });
      }
      if (round > 0) await sleep(25 * 2 ** round);
      const output = await documents.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: remaining, ConsistentRead: true } } }),
      );
      items.push(...(output.Responses?.[table] ?? []));
      remaining = output.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return items;
}

/** Sends put and delete requests, as many BatchWriteItem requests of 25 as it takes. */
export async function batchWriteItems(
  documents: DynamoDBDocumentClient,
  table: string,
  requests: readonly Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    let pending = requests.slice(start, start + BATCH_WRITE_LIMIT);
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_BATCH_ROUNDS) {
        throw new RetryLaterError('DynamoDB left writes unprocessed', { code: 'UnprocessedItems' });
      }
      if (round > 0) await sleep(25 * 2 ** round);
      const output = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: [...pending] } }));
      pending = (output.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
