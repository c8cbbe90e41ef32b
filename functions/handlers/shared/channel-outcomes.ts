/**
 * What a channel consumer reports at the end of an invocation: MessageSent / SendFailed per channel
 * (Powertools Metrics), and the records to fail because their receipt checks were not sent.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse } from 'aws-lambda';
import { CHANNEL_DIMENSION, METRICS_NAMESPACE, SERVICE_NAME, SenderMetric } from '../../config';
import type { Channel } from '../../contract';
import { DeliveryOutcome, type DeliveryResult } from '../../domain/delivery';

/** The sender metrics of a channel, with the channel as a dimension. */
export function senderMetrics(channel: Channel): Metrics {
  const defaultDimensions = { [CHANNEL_DIMENSION]: channel };
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions });
}

/** Counts the invocation's sent and failed attempts (nothing is published when there are none). */
export function publishOutcomes(metrics: Metrics, results: readonly DeliveryResult[]): void {
  const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
  const [sent, failed] = [count(DeliveryOutcome.SENT), count(DeliveryOutcome.FAILED)];
  if (sent > 0) metrics.addMetric(SenderMetric.SENT, MetricUnit.Count, sent);
  if (failed > 0) metrics.addMetric(SenderMetric.FAILED, MetricUnit.Count, failed);
  if (sent + failed > 0) metrics.publishStoredMetrics();
}

/** The batch response with the records whose receipt checks were not sent added to its failures. */
export function withUnscheduled(
  response: SQSBatchResponse,
  unscheduled: ReadonlySet<string>,
): SQSBatchResponse {
  const failures = new Set([
    ...response.batchItemFailures.map((failure) => failure.itemIdentifier),
    ...unscheduled,
  ]);
  return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
}
