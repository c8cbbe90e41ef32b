/**
 * Attribution's adapters on the messages table, with its configuration (functions/attribution-config.ts):
 * the ledger stream's step (touches, conversions, aggregates) and the report's reader.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAttributionAggregates } from '../adapters/dynamodb/attribution-aggregates';
import { DynamoDbTouchFinder } from '../adapters/dynamodb/attribution-touches';
import { DynamoDbConversionRecorder } from '../adapters/dynamodb/conversion-recorder';
import { attributionConfigFromEnv } from '../attribution-config';
import type { AttributionPorts } from '../domain/attribution/attribution-ports';
import type { AttributionSettings } from '../domain/attribution/attribution-settings';

/** Where attribution keeps its items. */
export interface AttributionWiring {
  readonly client: DynamoDBClient;
  readonly messagesTable: string;
  readonly retentionDays?: number;
  /** By default from the environment. */
  readonly settings?: AttributionSettings;
}

/** The aggregates (written by the stream, read by the report). */
export function attributionAggregates(wiring: AttributionWiring): DynamoDbAttributionAggregates {
  const settings = wiring.settings ?? attributionConfigFromEnv();
  return new DynamoDbAttributionAggregates({
    client: wiring.client,
    tableName: wiring.messagesTable,
    shards: settings.shards,
    ...(wiring.retentionDays === undefined ? {} : { retentionDays: wiring.retentionDays }),
  });
}

/** The ledger stream's attribution step. */
export function attributionPorts(wiring: AttributionWiring): AttributionPorts {
  const settings = wiring.settings ?? attributionConfigFromEnv();
  const aggregates = attributionAggregates({ ...wiring, settings });
  return {
    settings,
    touches: new DynamoDbTouchFinder({ client: wiring.client, tableName: wiring.messagesTable }),
    conversions: new DynamoDbConversionRecorder({
      client: wiring.client,
      tableName: wiring.messagesTable,
      aggregates,
      ...(wiring.retentionDays === undefined ? {} : { retentionDays: wiring.retentionDays }),
    }),
    aggregates,
  };
}
