/**
 * DynamoDB Streams records as the outbox's domain reads them: which table the record came from
 * (by the stream ARN), and its old and new images unmarshalled into plain objects.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { LedgerChange, LedgerTable } from '../../domain/ledger-change-events';

/** The physical names of the two tables whose streams are read. */
export type LedgerTableNames = Readonly<Record<LedgerTable, string>>;

/** Why a stream record cannot be read (a record from a table this consumer does not know). */
export class UnknownStreamSourceError extends Error {
  constructor(arn: string | undefined) {
    super(`Stream record from an unknown source: ${arn ?? '(no eventSourceARN)'}`);
    this.name = 'UnknownStreamSourceError';
  }
}

/** The table name in a stream ARN: `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`. */
export function tableNameOfStream(arn: string | undefined): string | undefined {
  return /:table\/([^/]+)\/stream\//.exec(arn ?? '')?.[1];
}

/** A stream record as a {@link LedgerChange}; throws for a record from an unknown table. */
export function toLedgerChange(record: DynamoDBRecord, tables: LedgerTableNames): LedgerChange {
  const name = tableNameOfStream(record.eventSourceARN);
  const table = (Object.keys(tables) as LedgerTable[]).find((key) => tables[key] === name);
  if (!table) throw new UnknownStreamSourceError(record.eventSourceARN);
  return {
    table,
    oldImage: imageOf(record.dynamodb?.OldImage),
    newImage: imageOf(record.dynamodb?.NewImage),
  };
}

function imageOf(image: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  // aws-lambda's AttributeValue and the SDK's describe the same wire shape.
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}

/** A batch's records as changes, up to the first that cannot be read (and why it cannot). */
export function toLedgerChanges(
  records: readonly DynamoDBRecord[],
  tables: LedgerTableNames,
): { changes: LedgerChange[]; unreadable?: unknown } {
  const changes: LedgerChange[] = [];
  for (const record of records) {
    try {
      changes.push(toLedgerChange(record, tables));
    } catch (error) {
      return { changes, unreadable: error };
    }
  }
  return { changes };
}
