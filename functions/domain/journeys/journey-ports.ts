/**
 * The engine's ports: where runs are stored, how timers wake them, where their messages go, how
 * their counts are kept, and which journey documents exist. The engine
 * (journey-engine.ts) drives {@link advance} through them; the adapters live in
 * functions/adapters (DynamoDB, EventBridge Scheduler or the SQS delay chain, the outbound queue).
 */
import type { Journey, MessageRequest } from '../../contract';
import type { JourneyCustomer, JourneyEffect, JourneyRun } from './journey-run';

export type { JourneyCustomer };

/** A run as stored: the run, and what the router's dispatch fence added to it. */
export interface StoredRun {
  readonly run: JourneyRun;
  /** Request ids the router dispatched, with when (written by the dispatch fence only). */
  readonly dispatched: Readonly<Record<string, string>>;
  /** The id of the input that made the last write (see {@link inputIdOf}). */
  readonly lastInputId?: string;
  /** The effects of the last write, carried out again when the same input comes back. */
  readonly lastEffects: readonly JourneyEffect[];
}

/** Where a run is, without reading it: customer × journey × key (one run item each). */
export interface RunAddress {
  readonly customerId: string;
  readonly journeyId: string;
  /** The business key, or `-` for a journey without one. */
  readonly key: string;
}

/** Runs, one item per customer × journey × key, written only if the version read is still stored. */
export interface JourneyRunStore {
  /**
   * The run at an address (strongly consistent), or undefined. Its `run.version` is the item's
   * version, which the router's dispatch fence raises too.
   */
  get(address: RunAddress): Promise<StoredRun | undefined>;
  /** The customer's runs of one journey, every key (one Query of the customer's partition). */
  ofCustomer(customerId: string, journeyId: string): Promise<StoredRun[]>;
  /**
   * Stores `next` (a new run may replace an ended one) if the stored item's version is still
   * `expectedVersion`, or if there is no item when it is undefined. Returns false when it was not.
   */
  put(next: StoredRun, expectedVersion: number | undefined): Promise<boolean>;
}

/** A timer the engine asked for, as it comes back to it. */
export interface JourneyTimer {
  readonly customerId: string;
  readonly journeyId: string;
  readonly key: string;
  readonly runId: string;
  readonly token: string;
  /** When the journey wakes (journey time: what the document said). */
  readonly at: string;
}

/** One-time timers that wake a run (EventBridge Scheduler on AWS, the SQS delay chain locally). */
export interface JourneyTimers {
  /** Schedules a timer; scheduling the same token twice makes one timer. */
  schedule(timer: JourneyTimer): Promise<void>;
  /** Deletes a pending timer; one that fired or never existed is not an error. */
  cancel(token: string): Promise<void>;
}

/** Where a run's messages go: the outbound queue, as any publisher's MessageRequest. */
export interface JourneySendQueue {
  /** Publishes every request; throws when one was not published (the input is then retried). */
  send(requests: readonly MessageRequest[]): Promise<void>;
}

/** What became of one request published with {@link JourneyBatchSendQueue.sendEach}. */
export interface JourneySendResult {
  readonly requestId: string;
  /** Why it was not published (RetryLaterError; JourneyDefinitionError when the contract refused it). */
  readonly error?: Error;
}

/** A send port that says what became of each request: what a batch's buffer publishes through. */
export interface JourneyBatchSendQueue extends JourneySendQueue {
  /** Publishes every request it can; one result per request, in input order. */
  sendEach(requests: readonly MessageRequest[]): Promise<readonly JourneySendResult[]>;
}

/** The counts `journeys stats` shows, kept per journey × version. */
export interface JourneyStatsRecorder {
  /** Counts what changed between two states of a run (before is undefined for a new run). */
  record(before: JourneyRun | undefined, after: JourneyRun): Promise<void>;
  /** Writes what a buffering recorder holds (the stream and timer consumers call it once per batch). */
  flush?(): Promise<void>;
}

/** Reads the counts {@link JourneyStatsRecorder} kept. */
export interface JourneyStatsReader {
  /** A journey's counters by version, each summed over its shards (no entry for a version never counted). */
  read(journeyId: string): Promise<ReadonlyMap<number, Readonly<Record<string, number>>>>;
}

/** The journey documents: the deployed ones, and every earlier version a run may have pinned. */
export interface JourneyCatalog {
  /** The deployed journeys (their current versions). */
  current(): readonly Journey[];
  /** One version of a journey, or undefined when it is not known. */
  version(journeyId: string, version: number): Promise<Journey | undefined>;
  /**
   * Keeps the deployed versions for the runs that will pin them (once; later calls return at once).
   * Throws when a deployed version differs from what that version was when first stored.
   */
  storeDeployed?(): Promise<void>;
}

/** What branches, template data and local-time waits read of the customer. */
export interface JourneyCustomers {
  journeyCustomer(customerId: string): Promise<JourneyCustomer>;
}

/** Everything the engine needs. */
export interface JourneyEnginePorts {
  readonly runs: JourneyRunStore;
  readonly timers: JourneyTimers;
  readonly sends: JourneySendQueue;
  readonly stats?: JourneyStatsRecorder;
  readonly catalog: JourneyCatalog;
  readonly customers: JourneyCustomers;
  readonly now?: () => Date;
}
