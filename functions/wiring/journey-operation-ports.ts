/**
 * What the API's journey routes are built from: the deployed journeys (the journey files deployed
 * with the function, earlier versions from the messages table), their counts on the messages
 * table, and the engine's cancel. The documents are read on the first journey request and the
 * engine is built on the first cancel, so the API's other routes never depend on either.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StoredJourneyCatalog } from '../adapters/dynamodb/journey-documents';
import { DynamoDbJourneyStats } from '../adapters/dynamodb/journey-stats-store';
import { loadJourneys } from '../adapters/files/journey-files';
import { cancelJourneyRuns } from '../domain/journeys/journey-engine';
import type { JourneyCatalog, JourneyEnginePorts } from '../domain/journeys/journey-ports';
import type { JourneyOperationPorts } from '../domain/journeys/operate-journeys';

/** Where the journey routes find what they read, and the engine a cancel goes through. */
export interface JourneyOperationWiring {
  readonly client: DynamoDBClient;
  readonly messagesTable: string;
  /** The folder of deployed journey documents (default: `JOURNEYS_DIR`, else the repository's journeys/). */
  readonly journeysDir?: string;
  /** Builds the engine's ports on the routes' own catalog; called on the first cancel only. */
  readonly engine: (catalog: JourneyCatalog) => JourneyEnginePorts;
}

/** The journey routes' ports. */
export function journeyOperationPorts(wiring: JourneyOperationWiring): JourneyOperationPorts {
  let stored: StoredJourneyCatalog | undefined;
  const deployed = (): StoredJourneyCatalog => {
    stored ??= new StoredJourneyCatalog({
      client: wiring.client,
      tableName: wiring.messagesTable,
      journeys: loadJourneys(wiring.journeysDir),
    });
    return stored;
  };
  let engine: JourneyEnginePorts | undefined;
  const enginePorts = (): JourneyEnginePorts => {
    engine ??= wiring.engine(catalog);
    return engine;
  };
  // One catalog for the routes and the engine: the documents are read and parsed once per container.
  const catalog: JourneyCatalog = {
    current: () => deployed().current(),
    version: (journeyId, version) => deployed().version(journeyId, version),
    storeDeployed: () => deployed().storeDeployed(),
  };
  return {
    catalog,
    stats: new DynamoDbJourneyStats({ client: wiring.client, tableName: wiring.messagesTable }),
    cancelRuns: (command) => cancelJourneyRuns(command, enginePorts()),
  };
}
