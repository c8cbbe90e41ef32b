/**
 * The ledger's stream consumer (the transactional outbox): DynamoDB Streams records of the
 * messages and customers tables, in order per shard; each change's events go to the events topic,
 * its owed fallbacks to the outbound queue, and its engagement to the counters on the customers
 * table (domain/ledger-outbox.ts).
 *
 * The batch's events go out together, ten to a request; the batch stops at the first change not
 * fully relayed and reports it, so Lambda retries from that record. (Powertools' BatchProcessor
 * carries on past a failure: right for SQS, a reordering for a stream.)
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type LedgerTableNames, toLedgerChanges } from '../adapters/dynamodb/stream-records';
import { type LedgerOutboxPorts, relayLedgerChanges } from '../domain/ledger-outbox';
import { ledgerStreamDependenciesFromEnv } from '../wiring/ledger-stream-ports';
import { lazyHandler } from './shared/lazy-handler';

/** What the stream consumer needs. */
export interface LedgerStreamHandlerDependencies extends LedgerOutboxPorts {
  readonly tables: LedgerTableNames;
  readonly logger?: Logger;
}

/** Builds the stream consumer. */
export function createLedgerStreamHandler(deps: LedgerStreamHandlerDependencies) {
  const logger = deps.logger ?? new Logger({ serviceName: 'switchboard-ledger-stream' });
  return async (event: DynamoDBStreamEvent, _context?: Context): Promise<DynamoDBBatchResponse> => {
    // A record that cannot be read ends the batch there: the records before it are relayed.
    const { changes, unreadable } = toLedgerChanges(event.Records, deps.tables);
    const outcome = await relayLedgerChanges(changes, deps);
    if (outcome.events + outcome.fallbacks > 0) {
      logger.debug('Ledger changes relayed', { events: outcome.events, fallbacks: outcome.fallbacks });
    }
    if (outcome.relayed === event.Records.length) return { batchItemFailures: [] };
    const failed = event.Records[outcome.relayed];
    logger.error('Ledger change not relayed; retried from here', {
      sequenceNumber: failed?.dynamodb?.SequenceNumber,
      error: outcome.relayed < changes.length ? outcome.error : unreadable,
    });
    return { batchItemFailures: [{ itemIdentifier: failed?.dynamodb?.SequenceNumber ?? '' }] };
  };
}

/** The Lambda entry point, wired from the environment on first use. */
export const handler = lazyHandler(() => createLedgerStreamHandler(ledgerStreamDependenciesFromEnv()));
