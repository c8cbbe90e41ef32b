/**
 * Touchpoint events from the touchpoints queue (batch, partial failures): each record is one
 * Segment-spec event or a `{ batch }`, recorded by domain/touchpoints/record-touchpoints.ts exactly
 * as `POST /v1/events` records it. A record with a rejected event fails after its valid events are
 * kept: retried (the kept ones come back as duplicates), then in the DLQ to be seen, never dropped.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ContractValidationError } from '../contract';
import { recordTouchpoints } from '../domain/touchpoints/record-touchpoints';
import type { TouchpointPorts } from '../domain/touchpoints/touchpoint-ports';
import { touchpointPortsFromEnv } from '../wiring/touchpoint-ports';
import { lazyHandler } from './shared/lazy-handler';

/** What the touchpoints consumer is built from; the Lambda entry wires them from the environment, tests pass their own. */
export interface RecordTouchpointsPorts extends TouchpointPorts {
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/** Builds the touchpoints queue consumer from its ports. */
export function createRecordTouchpointsHandler(ports: RecordTouchpointsPorts) {
  const logger = ports.logger ?? new Logger({ serviceName: 'record-touchpoints' });
  const recordHandler = async (record: SQSRecord) => {
    const outcome = await recordTouchpoints(JSON.parse(record.body), { ...ports, logger });
    const issues = outcome.ok
      ? outcome.answer.results.flatMap((result) => (result.status === 'rejected' ? result.issues : []))
      : outcome.issues;
    if (issues.length > 0) throw new ContractValidationError('touchpoint event', issues);
  };
  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    // One processor per invocation: the local runtime runs concurrent batches through one handler.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, recordHandler, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
  };
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() => createRecordTouchpointsHandler(touchpointPortsFromEnv()));
