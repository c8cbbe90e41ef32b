/**
 * What the API's journey routes are built from: the deployed journeys (the bundled journey files),
 * their counts on the messages table, and the engine's cancel.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbJourneyStats } from '../adapters/dynamodb/journey-stats-store';
import { BundledJourneyCatalog } from '../adapters/files/bundled-journey-catalog';
import type { JourneyOperationPorts } from '../domain/journeys/operate-journeys';

/** Where the journey routes find what they read. */
export interface JourneyOperationWiring {
  readonly client: DynamoDBClient;
  readonly messagesTable: string;
}

/** The journey routes' ports. */
export function journeyOperationPorts(wiring: JourneyOperationWiring): JourneyOperationPorts {
  return {
    catalog: new BundledJourneyCatalog(),
    stats: new DynamoDbJourneyStats({ client: wiring.client, tableName: wiring.messagesTable }),
    cancelRuns: async () => {
      throw new Error('cancelling journey runs needs the journey engine, which is not wired yet');
    },
  };
}
