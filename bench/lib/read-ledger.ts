/**
 * The ledger's view for the reconciliation: every message and attempt item of the messages table,
 * read with a parallel Scan (the benchmark and chaos runs own their table, so a scan reads only
 * their own messages and costs nothing the system itself pays for).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { toAttempt, toMessage } from '../../functions/adapters/dynamodb/messages-table';
import type { LedgerAttempt, LedgerMessage } from '../../functions/domain/ledger-model';

/** Messages and attempts as the ledger holds them. */
export interface LedgerView {
  readonly messages: LedgerMessage[];
  readonly attempts: LedgerAttempt[];
}

/** Reads every message and attempt item of `table` (inbound items are left out). */
export async function readLedger(client: DynamoDBClient, table: string, segments = 4): Promise<LedgerView> {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const view: LedgerView = { messages: [], attempts: [] };
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          const sk = String(item.sk ?? '');
          if (!sk.startsWith('message#')) continue;
          if (sk.includes('#attempt#')) view.attempts.push(toAttempt(item));
          else view.messages.push(toMessage(item));
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  return view;
}
