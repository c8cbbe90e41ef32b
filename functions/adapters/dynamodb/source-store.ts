/**
 * Write-key sources on the customers table (keys: customers-table.ts):
 *
 * - `source#<sourceId>`: the source — name, kind, the SHA-256 of its write key, the userHash secret
 *   of a client source, `createdAt`, `revokedAt`. The public ingest reads it with one GetItem per
 *   request, by the id at the front of the key, so each source's reads land on its own partition.
 * - `sources`: one attribute per source (named by its id: `src_…`) with its name, kind and dates,
 *   so that `switchboard sources list` is one GetItem, not a scan. Written in the same transaction
 *   as the source, so the two never disagree.
 *
 * The userHash secret is stored as it is (it must be, to compute the HMAC), like every item under
 * the table's encryption at rest; it is never listed, only shown once at creation.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { SourceStore } from '../../domain/sources/source-ports';
import { SOURCE_KINDS, type Source, type SourceKind } from '../../domain/sources/write-keys';
import { customersDocuments, SOURCES_LIST_KEY, sourceKey } from './customers-table';

/** Options for {@link DynamoDbSourceStore}. */
export interface DynamoDbSourceStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** {@link SourceStore} on the customers table. */
export class DynamoDbSourceStore implements SourceStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoDbSourceStoreOptions) {
    this.#documents = customersDocuments(options.client);
    this.#table = options.tableName;
  }

  async create(source: Source): Promise<void> {
    await this.#documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.#table,
              Item: toSourceItem(source),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          this.#listEntry(source),
        ],
      }),
    );
  }

  async get(sourceId: string): Promise<Source | undefined> {
    const output = await this.#documents.send(
      new GetCommand({ TableName: this.#table, Key: { pk: sourceKey(sourceId) } }),
    );
    return output.Item ? toSource(output.Item) : undefined;
  }

  async list(): Promise<Source[]> {
    const output = await this.#documents.send(
      new GetCommand({ TableName: this.#table, Key: { pk: SOURCES_LIST_KEY }, ConsistentRead: true }),
    );
    return Object.entries(output.Item ?? {})
      .filter(([name]) => name.startsWith('src_'))
      .map(([sourceId, entry]) => toSource({ ...(entry as Record<string, unknown>), sourceId }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revoke(sourceId: string, at: Date): Promise<Source | undefined> {
    const source = await this.get(sourceId);
    if (!source) return undefined;
    if (source.revokedAt) return source;
    const revoked: Source = { ...source, revokedAt: at.toISOString() };
    await this.#documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.#table,
              Key: { pk: sourceKey(sourceId) },
              UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':at': revoked.revokedAt },
            },
          },
          this.#listEntry(revoked),
        ],
      }),
    );
    return revoked;
  }

  /** The source's line in the list item: what `sources list` shows, never the hash or the secret. */
  #listEntry(source: Source): NonNullable<TransactWriteCommandInput['TransactItems']>[number] {
    const { name, kind, createdAt, revokedAt } = source;
    return {
      Update: {
        TableName: this.#table,
        Key: { pk: SOURCES_LIST_KEY },
        UpdateExpression: 'SET #source = :entry, kind = :kind',
        ExpressionAttributeNames: { '#source': source.sourceId },
        ExpressionAttributeValues: {
          ':entry': { name, sourceKind: kind, createdAt, ...(revokedAt ? { revokedAt } : {}) },
          ':kind': 'sources-list',
        },
      },
    };
  }
}

// `kind` names what an item is across the table, so the source's own kind is `sourceKind`.
function toSourceItem(source: Source): Record<string, unknown> {
  const { kind, ...rest } = source;
  return { pk: sourceKey(source.sourceId), kind: 'source', sourceKind: kind, ...rest };
}

function toSource(item: Record<string, unknown>): Source {
  const text = (key: string) => (typeof item[key] === 'string' ? { [key]: item[key] as string } : {});
  // An item without a known kind is treated as a client source: its events are trusted with less.
  const stored = item.sourceKind as SourceKind;
  const kind = SOURCE_KINDS.includes(stored) ? stored : 'client';
  return {
    sourceId: String(item.sourceId),
    name: String(item.name ?? ''),
    kind,
    keyHash: String(item.keyHash ?? ''),
    createdAt: String(item.createdAt ?? ''),
    ...text('userHashSecret'),
    ...text('revokedAt'),
  };
}
