/**
 * The end of a journey consumer's batch: the counts the engine buffered for it are written (one
 * write per journey version, functions/domain/journeys/journey-stats.ts `JourneyStatsBuffer`).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { JourneyEnginePorts } from '../../domain/journeys/journey-ports';

/** Writes the counts a batch buffered; a failure loses counts, never a run's advance, so it is only logged. */
export async function flushStats(engine: JourneyEnginePorts, logger: Logger): Promise<void> {
  try {
    await engine.stats?.flush?.();
  } catch (error) {
    logger.warn('Journey counts not written', { error });
  }
}
