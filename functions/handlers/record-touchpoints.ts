/**
 * Touchpoint events from the touchpoints queue (batch, partial failures): each record is one
 * Segment-spec event or a `{ batch }`, recorded by domain/touchpoints/record-touchpoints.ts exactly
 * as `POST /v1/events` records it. A record with a rejected event fails after its valid events are
 * kept: retried (the kept ones come back as duplicates), then in the DLQ to be seen, never dropped.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ContractValidationError } from '../contract';
import { recordTouchpoints } from '../domain/touchpoints/record-touchpoints';
import {
  type TouchpointsConfig,
  touchpointPorts,
  touchpointsConfigFromEnv,
} from './shared/touchpoint-wiring';

export { touchpointsConfigFromEnv };

/** What the touchpoints consumer is built from; tests and the local runtime pass their own client. */
export interface RecordTouchpointsHandlerDeps {
  readonly config: TouchpointsConfig;
  readonly dynamodb: DynamoDBClient;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/** Builds the touchpoints queue consumer. */
export function createRecordTouchpointsHandler(deps: RecordTouchpointsHandlerDeps) {
  const logger = deps.logger ?? new Logger({ serviceName: 'record-touchpoints' });
  const ports = touchpointPorts(deps.config, deps.dynamodb);
  const recordHandler = async (record: SQSRecord) => {
    const outcome = await recordTouchpoints(JSON.parse(record.body), {
      ...ports,
      logger,
      ...(deps.now ? { now: deps.now } : {}),
    });
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

let built: ReturnType<typeof createRecordTouchpointsHandler> | undefined;
/** The Lambda entry point, wired from the environment on first use. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  built ??= createRecordTouchpointsHandler({
    config: touchpointsConfigFromEnv(),
    dynamodb: new DynamoDBClient({}),
  });
  return built(event, context);
};
