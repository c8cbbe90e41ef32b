/**
 * The ports the HTTP API (handlers/api.ts) is built from: the Lambda entry wires them from the
 * environment (wiring/api-ports.ts), tests pass their own.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AttributionAggregates } from '../../domain/attribution/attribution-ports';
import type { EraseCustomerDependencies } from '../../domain/customers/erase-customer';
import type { JourneyOperationPorts } from '../../domain/journeys/operate-journeys';
import type { MessageRequestPublisher } from '../../domain/messages/accept-message';
import type { CustomerRepository, MessageLedger } from '../../domain/ports';
import type { TimelineReader } from '../../domain/timeline/timeline-ports';
import type { TouchpointPorts } from '../../domain/touchpoints/touchpoint-ports';

/** What the API is built from; the Lambda entry wires them from the environment, tests pass their own. */
export interface ApiPorts extends TouchpointPorts {
  readonly customers: CustomerRepository & EraseCustomerDependencies['customers'];
  readonly ledger: Pick<MessageLedger, 'eraseTimeline'>;
  /** Reads the timeline: messages, replies, consent, touchpoints, conversions and clicks. */
  readonly timeline: TimelineReader;
  /** Anonymous-contact partitions, removed on erasure. */
  readonly contacts: EraseCustomerDependencies['contacts'];
  /** Pending delivery schedules, deleted on erasure; absent locally (the SQS delay chain). */
  readonly schedules?: EraseCustomerDependencies['schedules'];
  readonly requests: MessageRequestPublisher;
  /** The attribution aggregates the report reads. */
  readonly aggregates: Pick<AttributionAggregates, 'read'>;
  /** The deployed journeys, their counts, and cancelling runs. */
  readonly journeys: JourneyOperationPorts;
  readonly logger?: Logger;
  readonly now?: () => Date;
}
