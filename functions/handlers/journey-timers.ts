/**
 * Journey timers from the journey-timers queue (batch, partial failures): each record wakes one
 * run (domain/journeys/journey-engine.ts `applyTimer`). A timer that arrives before its time (the
 * SQS delay chain carries long waits locally) is sent back with the delay left; a timer whose run
 * has moved on is ignored by the interpreter. The messages the batch's runs send are published
 * together at its end, ten to a SendMessageBatch (domain/journeys/journey-send-buffer.ts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { JourneyTimerQueue } from '../adapters/sqs/journey-timer-queue';
import { JourneyTimerMessageSchema, parseWith } from '../contract';
import { applyTimer } from '../domain/journeys/journey-engine';
import type { JourneyBatchSendQueue, JourneyEnginePorts } from '../domain/journeys/journey-ports';
import { JourneySendBuffer } from '../domain/journeys/journey-send-buffer';
import { journeyPortsFromEnv } from '../wiring/journey-ports';
import { flushStats } from './shared/flush-journey-stats';
import { lazyHandler } from './shared/lazy-handler';
import { publishJourneySends } from './shared/publish-journey-sends';

/** What the timers consumer needs. */
export interface JourneyTimersHandlerDependencies extends JourneyEnginePorts {
  /** The outbound queue, which says what became of each message of a batch's one publish. */
  readonly sends: JourneyBatchSendQueue;
  /** Where a timer that came early goes back to. */
  readonly timerQueue: Pick<JourneyTimerQueue, 'isDue' | 'delayAgain'>;
  readonly logger?: Logger;
}

/** Builds the journey timers consumer. */
export function createJourneyTimersHandler(deps: JourneyTimersHandlerDependencies) {
  const logger = deps.logger ?? new Logger({ serviceName: 'switchboard-journey-timers' });
  const recordHandler = async (record: SQSRecord, sends: JourneySendBuffer) => {
    // A malformed timer is a bug upstream: it fails, is retried, and lands in the DLQ to be seen.
    const timer = parseWith(JourneyTimerMessageSchema, JSON.parse(record.body), 'JourneyTimer');
    if (!deps.timerQueue.isDue(timer)) {
      await deps.timerQueue.delayAgain(timer);
      return;
    }
    const outcome = await applyTimer(timer, { ...deps, sends: sends.portFor(record.messageId) });
    logger.debug('Journey timer handled', { journeyId: timer.journeyId, runId: timer.runId, outcome });
  };
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    // One processor and buffer per invocation: the local runtime runs concurrent batches through one handler.
    const processor = new BatchProcessor(EventType.SQS);
    const sends = new JourneySendBuffer(deps.sends);
    const processed = await processPartialResponse(
      event,
      (record: SQSRecord) => recordHandler(record, sends),
      processor,
      context ? { context } : undefined,
    );
    const response = await publishJourneySends(sends, processed, logger);
    await flushStats(deps, logger);
    return response;
  };
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() =>
  createJourneyTimersHandler(journeyPortsFromEnv(process.env, { bufferStats: true })),
);
