/**
 * Operating journeys over the API: list the deployed journeys, read one's counts (every version
 * summed), and cancel a customer's runs by business key. A journey id that is not a valid id, or a
 * body that does not match the contract, is a 400 with field issues; a journey that is not deployed
 * is a {@link JourneyNotFoundError} (404).
 */
import {
  ContractValidationError,
  type Journey,
  JourneyCancelRequestSchema,
  JourneyIdSchema,
  type JourneyLiftRow,
  type JourneyList,
  type JourneyRunsCancelled,
  type JourneyStats,
  parseWith,
} from '../../contract';
import { JourneyNotFoundError } from './journey-errors';
import type { JourneyCatalog, JourneyStatsReader } from './journey-ports';
import { journeyStatsOf } from './journey-stats';

/** What a cancel asks the engine (journey-engine.ts, `cancelJourneyRuns`). */
export interface CancelRunsCommand {
  readonly journeyId: string;
  readonly customerId: string;
  readonly key?: string;
  /** Why, for the timeline. */
  readonly detail?: string;
}

/** What operating journeys needs. */
export interface JourneyOperationPorts {
  readonly catalog: Pick<JourneyCatalog, 'current' | 'version'>;
  readonly stats: JourneyStatsReader;
  /** Cancels the customer's active runs (of one key when given); resolves to how many it ended. */
  cancelRuns(command: CancelRunsCommand): Promise<number>;
}

/** What the timeline says a run by the API was cancelled by. */
export const API_CANCEL_DETAIL = 'by the API';

/** The deployed journeys, each with its current version and steps. */
export function listJourneys(catalog: Pick<JourneyCatalog, 'current'>): JourneyList {
  return {
    journeys: catalog.current().map((journey) => ({
      journeyId: journey.id,
      version: journey.version,
      ...(journey.name === undefined ? {} : { name: journey.name }),
      ...(journey.description === undefined ? {} : { description: journey.description }),
      steps: journey.steps.map((step) => ({ id: step.id, type: step.type })),
    })),
  };
}

/** A deployed journey's counts, every version summed (one Query per counter shard). */
export async function readJourneyStats(
  rawJourneyId: string | undefined,
  ports: Pick<JourneyOperationPorts, 'catalog' | 'stats'>,
): Promise<JourneyStats> {
  const journey = deployed(rawJourneyId, ports.catalog);
  const byVersion = await ports.stats.read(journey.id);
  const summed: Record<string, number> = {};
  for (const counters of byVersion.values()) {
    for (const [name, value] of Object.entries(counters)) summed[name] = (summed[name] ?? 0) + value;
  }
  const earlierVersions = [...byVersion.keys()].filter((version) => version !== journey.version);
  const earlier = await Promise.all(
    earlierVersions.sort((a, b) => b - a).map((version) => ports.catalog.version(journey.id, version)),
  );
  return journeyStatsOf(
    journey,
    summed,
    earlier.filter((document): document is Journey => document !== undefined),
  );
}

/**
 * The lift of every deployed journey with a holdout, for the attribution report: the journeys'
 * own counts (one read of the counter shards each), since each was deployed.
 */
export async function journeyLiftRows(
  ports: Pick<JourneyOperationPorts, 'catalog' | 'stats'>,
): Promise<JourneyLiftRow[]> {
  const withHoldout = ports.catalog.current().filter((journey) => journey.holdout > 0);
  const stats = await Promise.all(withHoldout.map((journey) => readJourneyStats(journey.id, ports)));
  return stats.map(({ journeyId, entered, heldOut, converted, heldOutConverted, lift }) => ({
    journeyId,
    entered,
    heldOut,
    converted,
    heldOutConverted,
    lift,
  }));
}

/** Cancels a customer's active runs of a deployed journey (of one key when the body names it). */
export async function cancelJourneyRunsRequest(
  rawJourneyId: string | undefined,
  body: unknown,
  ports: Pick<JourneyOperationPorts, 'catalog' | 'cancelRuns'>,
): Promise<JourneyRunsCancelled> {
  const journeyId = parseJourneyId(rawJourneyId);
  const request = parseWith(JourneyCancelRequestSchema, body, 'journey cancel request');
  const journey = deployed(journeyId, ports.catalog);
  const cancelled = await ports.cancelRuns({
    journeyId: journey.id,
    customerId: request.customerId,
    ...(request.key === undefined ? {} : { key: request.key }),
    detail: API_CANCEL_DETAIL,
  });
  return { cancelled };
}

function parseJourneyId(raw: string | undefined): string {
  const parsed = JourneyIdSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'is invalid';
  throw new ContractValidationError('path', [{ field: 'journeyId', message }]);
}

function deployed(rawJourneyId: string | undefined, catalog: Pick<JourneyCatalog, 'current'>): Journey {
  const journeyId = parseJourneyId(rawJourneyId);
  const journey = catalog.current().find((candidate) => candidate.id === journeyId);
  if (journey === undefined) throw new JourneyNotFoundError(journeyId);
  return journey;
}
