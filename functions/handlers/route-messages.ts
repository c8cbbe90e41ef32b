/**
 * The router: consumes the outbound queue (batches of up to 10), plans and records each message,
 * and hands it to its channel queues. See domain/message-router.ts for the main path.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRICS_NAMESPACE } from '../config';
import { type MessageRouterDeps, type RecordResult, routeBatch } from '../domain/routing';
import { routerPortsFromEnv } from '../wiring/router-ports';
import { lazyHandler } from './shared/lazy-handler';

/** What the router is built from: its ports and defaults; the Lambda entry wires them from the environment. */
export interface RouteMessagesPorts extends Omit<MessageRouterDeps, 'logger' | 'metrics'> {
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** Builds the router's Lambda handler from its ports. */
export function createRouteMessagesHandler(ports: RouteMessagesPorts) {
  const logger = ports.logger ?? new Logger({ serviceName: 'router' });
  const metrics = ports.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'router' });
  const log = {
    info: (message: string, extra = {}) => logger.info(message, extra),
    warn: (message: string, extra = {}) => logger.warn(message, extra),
    error: (message: string, extra = {}) => logger.error(message, extra),
  };

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    // One processor per invocation: it holds the batch's state, and the local runtime (unlike Lambda)
    // runs concurrent batches through one handler; a shared one mixed their failures.
    const processor = new BatchProcessor(EventType.SQS);
    const counts = new Map<string, number>();
    const results = await routeBatch(
      event.Records.map((record) => ({
        id: record.messageId,
        body: record.body,
        ...firstReceivedAt(record),
      })),
      {
        ...ports,
        logger: log,
        metrics: { count: (name, value = 1) => counts.set(name, (counts.get(name) ?? 0) + value) },
      },
    );
    for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
    metrics.publishStoredMetrics();
    const byId = new Map<string, RecordResult>(results.map((result) => [result.id, result]));
    // Powertools turns each thrown error into a batch item failure. When every record failed the
    // response lists them all rather than throwing, so that the failures stay itemised in the logs.
    const settle = (record: SQSRecord) => {
      const result = byId.get(record.messageId);
      if (!result || result.error) throw result?.error ?? new Error('no result for this record');
      return result.outcome;
    };
    return processPartialResponse(event, settle, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
  };
}

/** When SQS first handed the record out, if it said (journey messages wait for their run a bounded time). */
function firstReceivedAt(record: SQSRecord): { firstReceivedAt?: Date } {
  const millis = Number(record.attributes?.ApproximateFirstReceiveTimestamp);
  return Number.isFinite(millis) && millis > 0 ? { firstReceivedAt: new Date(millis) } : {};
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() => createRouteMessagesHandler(routerPortsFromEnv()));
