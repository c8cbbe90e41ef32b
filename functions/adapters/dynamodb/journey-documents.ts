/**
 * Every deployed version of each journey document, on the messages table
 * (`journeydoc#<journeyId>` / `v<version>`, keys in messages-table.ts): a run advances on the
 * version it started on, so a version must outlive its files once a newer one deploys. Each
 * function stores the versions it was deployed with (once per container, create-if-absent); a
 * version stored with other content than the deployed one is refused, because runs pinned to it
 * would change under their feet.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type Journey, JourneySchema } from '../../contract';
import { JourneyDefinitionError } from '../../domain/journeys/journey-errors';
import type { JourneyCatalog } from '../../domain/journeys/journey-ports';
import { putIfAbsent } from './conditional';
import { journeyDocumentKey, messagesDocuments } from './messages-table';

/** Options of {@link StoredJourneyCatalog}. */
export interface StoredJourneyCatalogOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The deployed documents (functions/adapters/files/journey-files.ts `loadJourneys`). */
  readonly journeys: readonly Journey[];
}

/** {@link JourneyCatalog}: the deployed documents, and earlier versions from the table. */
export class StoredJourneyCatalog implements JourneyCatalog {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #journeys: readonly Journey[];
  readonly #versions = new Map<string, Promise<Journey | undefined>>();
  #stored: Promise<void> | undefined;

  constructor(options: StoredJourneyCatalogOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
    this.#journeys = options.journeys;
  }

  current(): readonly Journey[] {
    return this.#journeys;
  }

  /**
   * Stores the deployed versions (once per catalog). Throws JourneyDefinitionError for a version
   * already stored with different content: raise `version` when a document changes.
   */
  storeDeployed(): Promise<void> {
    this.#stored ??= Promise.all(this.#journeys.map((journey) => this.#store(journey))).then(
      () => undefined,
      (error: unknown) => {
        this.#stored = undefined;
        throw error;
      },
    );
    return this.#stored;
  }

  async version(journeyId: string, version: number): Promise<Journey | undefined> {
    const deployed = this.#journeys.find(
      (journey) => journey.id === journeyId && journey.version === version,
    );
    if (deployed !== undefined) return deployed;
    const cacheKey = `${journeyId}\n${version}`;
    let found = this.#versions.get(cacheKey);
    if (found === undefined) {
      found = this.#read(journeyId, version);
      this.#versions.set(cacheKey, found);
      found.catch(() => this.#versions.delete(cacheKey));
    }
    return found;
  }

  async #read(journeyId: string, version: number): Promise<Journey | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#table, Key: journeyDocumentKey(journeyId, version) }),
    );
    return Item === undefined ? undefined : JourneySchema.parse(JSON.parse(String(Item.document)));
  }

  async #store(journey: Journey): Promise<void> {
    const document = JSON.stringify(journey);
    const digest = createHash('sha256').update(document).digest('hex');
    const key = journeyDocumentKey(journey.id, journey.version);
    const item = {
      ...key,
      kind: 'journey-document',
      journeyId: journey.id,
      version: journey.version,
      document,
      digest,
    };
    if (await putIfAbsent(this.#documents, this.#table, item)) return;
    const { Item } = await this.#documents.send(new GetCommand({ TableName: this.#table, Key: key }));
    if (Item !== undefined && Item.digest !== digest) {
      throw new JourneyDefinitionError(
        journey.id,
        `version ${journey.version} is deployed with other content than it first had: raise its version`,
      );
    }
  }
}
