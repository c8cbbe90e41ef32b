/**
 * The router's vocabulary: the records it reads, what it reports per record, and everything it
 * talks to. Shared by every step of routing a batch (see route-batch.ts for the main path).
 */
import type { Channel } from '../../contract';
import type { ChannelChoiceSettings } from '../channel-choice/choose-channel';
import type { PopulationCounts } from '../channel-choice/population-rates';
import type { RandomSource } from '../channel-choice/random-source';
import type { AttemptKey } from '../ledger-model';
import type { RoutingDefaults } from '../plan-route';
import type {
  ChannelDispatcher,
  CustomerRepository,
  DeliveryScheduler,
  Dispatch,
  FrequencyCapCounters,
  MessageLedger,
  MessageRenderer,
} from '../ports';
import type { FrequencyCap } from './frequency-caps';
import type { JourneyDispatchFence } from './journey-dispatch-fence';

/** What happened to one record. */
export const RouteOutcome = {
  ROUTED: 'routed',
  SCHEDULED: 'scheduled',
  /** Held back by a frequency cap: deferred to when its window allows, or dropped (frequency-caps.ts). */
  CAPPED: 'capped',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  UNDELIVERABLE: 'undeliverable',
  /** A journey's message whose run no longer lets it go: recorded `cancelled`, never sent (journey-dispatch-fence.ts). */
  CANCELLED: 'cancelled',
  DUPLICATE: 'duplicate',
  /** The customer was erased (an erasure tombstone): dropped, nothing written or sent. */
  ERASED: 'erased',
  FAILED: 'failed',
} as const;
/** An outcome name. */
export type RouteOutcome = (typeof RouteOutcome)[keyof typeof RouteOutcome];

/** A record from the outbound queue. */
export interface OutboundRecord {
  /** The SQS message id (the batch item identifier). */
  readonly id: string;
  readonly body: string;
  /** When SQS first handed the record to a consumer (how long a journey message has waited for its run). */
  readonly firstReceivedAt?: Date;
}

/** The outcome of one record; `error` is set exactly when it must be retried. */
export interface RecordResult {
  readonly id: string;
  readonly outcome: RouteOutcome;
  readonly messageId?: string;
  readonly channels?: readonly Channel[];
  readonly error?: Error;
}

/** Logging as the router needs it; Powertools Logger fits. Never pass PII in `extra`. */
export interface RouterLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Counting as the router needs it. */
export interface RouterMetrics {
  count(name: string, value?: number): void;
}

/** Everything the router talks to. */
export interface MessageRouterDeps {
  readonly customers: Pick<CustomerRepository, 'getRoutingProfiles' | 'tombstonedAmong'>;
  readonly ledger: MessageLedger;
  readonly dispatcher: ChannelDispatcher;
  readonly scheduler: DeliveryScheduler;
  readonly renderer: MessageRenderer;
  readonly defaults?: RoutingDefaults;
  /** The population's engagement rates, for the priors of `learned` requests (none: uninformed priors). */
  readonly population?: PopulationRatesSource;
  /** How the `learned` strategy weighs value, cost and exploration (defaults: channel-choice's). */
  readonly channelChoice?: Partial<ChannelChoiceSettings>;
  /** Frequency caps and where their counters live; absent or empty, nothing is capped or counted. */
  readonly frequencyCaps?: {
    readonly caps: readonly FrequencyCap[];
    readonly counters: FrequencyCapCounters;
  };
  /**
   * The journey dispatch fence on the runs' items; the router refuses to dispatch a journey's message
   * without it (journey-dispatch-fence.ts). Other messages never use it.
   */
  readonly journeyFence?: JourneyDispatchFence;
  /** The random source of learned choices (default Math.random; seeded in tests). */
  readonly random?: RandomSource;
  readonly now?: () => Date;
  readonly logger?: RouterLogger;
  readonly metrics?: RouterMetrics;
}

/**
 * The population's engagement counts per channel × category. Implementations cache them per
 * container (they move slowly), so that a batch costs no read most of the time.
 */
export interface PopulationRatesSource {
  /** The merged counts of these categories' channels. */
  countsFor(categories: readonly string[]): Promise<PopulationCounts>;
}

/** One batch's settings, resolved once: the ports, the batch's clock reading, logging, defaults. */
export interface RoutingContext {
  readonly deps: MessageRouterDeps;
  readonly now: Date;
  readonly logger: RouterLogger;
  readonly defaults: RoutingDefaults;
  /** The population's counts for the batch's learned requests (empty when none). */
  readonly population: PopulationCounts;
  readonly random: RandomSource;
}

/** A channel message to queue, with the attempt it belongs to. */
export type PlannedDispatch = Dispatch & { readonly key: AttemptKey };

/** A record that reached the dispatch step: its channel messages wait for the batch's one dispatch. */
export interface PendingDispatch {
  readonly id: string;
  readonly messageId: string;
  readonly dispatches: readonly PlannedDispatch[];
}

/** Where one record's step ends: with its result, or with channel messages still to queue. */
export type StepResult = RecordResult | PendingDispatch;

/** The result of a record whose message already exists, or whose work another record did. */
export function duplicateResult(id: string, messageId: string): RecordResult {
  return { id, outcome: RouteOutcome.DUPLICATE, messageId };
}

/** Any thrown value as an Error. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
