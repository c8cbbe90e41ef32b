/**
 * The journey engine's stream consumer: DynamoDB Streams records of the messages and customers
 * tables (filtered to what deployed journeys react to, infra/journey-stream-filter.ts), in order per
 * shard. Each change's touchpoints and Switchboard events start, advance or end runs; the statuses
 * of journey messages reach their runs (domain/journeys/journey-inputs.ts, journey-engine.ts).
 *
 * The batch stops at the first change not fully applied and reports it, so the stream retries from
 * that record: the changes before it are not applied twice, and a change applied again finds its
 * inputs already applied (every advance is version-conditioned and remembers its input).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type LedgerTableNames, toLedgerChanges } from '../adapters/dynamodb/stream-records';
import { applyJourneyInputs } from '../domain/journeys/journey-engine';
import { journeyInputsOf } from '../domain/journeys/journey-inputs';
import type { JourneyEnginePorts } from '../domain/journeys/journey-ports';
import { journeysConfigFromEnv } from '../journeys-config';
import { journeyPorts } from '../wiring/journey-ports';
import { flushStats } from './shared/flush-journey-stats';
import { lazyHandler } from './shared/lazy-handler';

/** What the journey stream consumer needs. */
export interface JourneyEventsHandlerDependencies {
  readonly tables: LedgerTableNames;
  readonly engine: JourneyEnginePorts;
  readonly logger?: Logger;
}

/** Builds the journey stream consumer. */
export function createJourneyEventsHandler(deps: JourneyEventsHandlerDependencies) {
  const logger = deps.logger ?? new Logger({ serviceName: 'switchboard-journey-events' });
  return async (event: DynamoDBStreamEvent, _context?: Context): Promise<DynamoDBBatchResponse> => {
    const { changes, unreadable } = toLedgerChanges(event.Records, deps.tables);
    let applied = 0;
    let error: unknown = unreadable;
    for (const change of changes) {
      try {
        // Sent per input, not batched: a later change may advance the run again, replacing what retries redo.
        const outcomes = await applyJourneyInputs(journeyInputsOf(change), deps.engine);
        for (const outcome of outcomes)
          if (outcome.kind !== 'ignored') logger.debug('Journey run advanced', outcome);
        applied += 1;
      } catch (failure) {
        error = failure;
        break;
      }
    }
    // The batch's counts, in one write per journey version (what was applied is counted).
    await flushStats(deps.engine, logger);
    if (applied === event.Records.length) return { batchItemFailures: [] };
    const failed = event.Records[applied];
    logger.error('Journey input not applied; retried from here', {
      sequenceNumber: failed?.dynamodb?.SequenceNumber,
      error,
    });
    return { batchItemFailures: [{ itemIdentifier: failed?.dynamodb?.SequenceNumber ?? '' }] };
  };
}

/** The Lambda entry point, wired from the environment on first use. */
export const handler = lazyHandler(() => {
  const config = journeysConfigFromEnv();
  return createJourneyEventsHandler({
    tables: { messages: config.messagesTable, customers: config.customersTable },
    engine: journeyPorts(config, {}, { bufferStats: true }),
  });
});
