/**
 * The ledger's stream consumer running beside a test, exactly as the local runtime runs it: the
 * real handler (functions/handlers/ledger-stream.ts) behind the local stream source, on both
 * tables of a set of emulator resources, publishing to their events topic and outbound queue.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SnsEventPublisher } from '../../functions/adapters/sns/event-publisher';
import { SqsFallbackQueue } from '../../functions/adapters/sqs/fallback-queue';
import type { AttributionPorts } from '../../functions/domain/attribution/attribution-ports';
import type { EngagementCounter } from '../../functions/domain/ledger-outbox';
import type { EventPublisher, FallbackQueue } from '../../functions/domain/ports';
import { createLedgerStreamHandler } from '../../functions/handlers/ledger-stream';
import { ledgerStream } from '../../infra/resources';
import { type LocalEndpoints, type LocalResources, localClientConfig } from '../../local/emulators';
import { type StreamSource, startStreamSource } from '../../local/stream-source';

/** A running stream consumer. */
export interface LedgerStreamUnderTest {
  /** Resolves once every change written so far has been relayed. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/** Options: ports to wrap (fault injection), and how fast to poll. */
export interface LedgerStreamOptions {
  readonly wrapEvents?: (events: EventPublisher) => EventPublisher;
  readonly wrapFallbacks?: (fallbacks: FallbackQueue) => FallbackQueue;
  readonly maxRetryAttempts?: number;
  /** Engagement counters to feed (learned channel choice); none by default. */
  readonly engagement?: EngagementCounter;
  /** Conversion attribution and the report's aggregates; none by default. */
  readonly attribution?: AttributionPorts;
}

/** Starts the stream consumer on both tables of `resources`. */
export async function startLedgerStream(
  endpoints: LocalEndpoints,
  resources: LocalResources,
  clients: { readonly sns: SNSClient; readonly sqs: SQSClient },
  options: LedgerStreamOptions = {},
): Promise<LedgerStreamUnderTest> {
  const streams = new DynamoDBStreamsClient(localClientConfig(endpoints, endpoints.dynamodbEndpoint));
  const events = new SnsEventPublisher({ client: clients.sns, topicArn: resources.eventsTopicArn });
  const fallbacks = new SqsFallbackQueue({
    client: clients.sqs,
    outboundQueueUrl: resources.queues.outbound,
  });
  const handler = createLedgerStreamHandler({
    tables: resources.tables,
    events: options.wrapEvents ? options.wrapEvents(events) : events,
    fallbacks: options.wrapFallbacks ? options.wrapFallbacks(fallbacks) : fallbacks,
    logger: new Logger({ serviceName: 'ledger-stream-test', logLevel: 'SILENT' }),
    ...(options.engagement ? { engagement: options.engagement } : {}),
    ...(options.attribution ? { attribution: options.attribution } : {}),
  });
  const sources: StreamSource[] = [];
  for (const table of ['messages', 'customers'] as const) {
    sources.push(
      await startStreamSource({
        streams,
        tableName: resources.tables[table],
        handler,
        functionName: ledgerStream.file,
        region: endpoints.region,
        batchSize: ledgerStream.batchSize,
        maxRetryAttempts: options.maxRetryAttempts ?? ledgerStream.maxRetryAttempts,
        timeoutSeconds: ledgerStream.timeoutSeconds,
        // The tables are the test's own and new: read all they hold, however soon writes began.
        startingPosition: 'TRIM_HORIZON',
        pollIntervalMs: 50,
        retryDelayMs: 50,
      }),
    );
  }
  return {
    caughtUp: async () => {
      await Promise.all(sources.map((source) => source.caughtUp()));
    },
    stop: async () => {
      await Promise.all(sources.map((source) => source.stop()));
      streams.destroy();
    },
  };
}
