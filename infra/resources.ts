/**
 * Every table, queue and topic Switchboard needs, defined once.
 *
 * The CDK stacks (infra/) and the local emulator harness (local/) both build their resources from
 * these definitions, so a key schema, an index, a visibility timeout or a redrive count cannot
 * drift between AWS and a developer's machine. Plain data only: no CDK or AWS SDK import here.
 */

/** An attribute used in a key, with its DynamoDB scalar type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

/** A global secondary index, always projecting all attributes. */
export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

/** A DynamoDB table. */
export interface TableDefinition {
  /** Logical id in the CDK stack and key in `.switchboard/local.json` `tables`. */
  readonly key: 'customers' | 'messages';
  /** Physical name on the local emulator (in AWS, CloudFormation names it). */
  readonly localName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  /** Attribute holding the item's expiry in epoch seconds, if the table expires items. */
  readonly timeToLiveAttribute?: string;
  /**
   * The table's stream, read by the ledger-stream function (the transactional outbox): every event
   * and owed fallback is derived from a change's old and new images.
   */
  readonly stream?: 'NEW_AND_OLD_IMAGES';
}

/** An SQS queue with its dead-letter queue. */
export interface QueueDefinition {
  /** Logical id and key in `.switchboard/local.json` `queues` (the DLQ is `<key>Dlq`). */
  readonly key: QueueKey;
  readonly localName: string;
  /** How long the consuming function may run; the visibility timeout is derived from it. */
  readonly consumerTimeoutSeconds: number;
  /** Receives before a message moves to the DLQ. */
  readonly maxReceiveCount: number;
  /** Records per Lambda invocation. */
  readonly batchSize: number;
  /** Upper bound on concurrent consumers (Lambda event source `maxConcurrency`, 2–1000). */
  readonly maxConcurrency: number;
  /** How long messages are kept, in seconds. */
  readonly retentionSeconds: number;
  /**
   * Seconds the event source may wait to fill a batch (Lambda's `MaximumBatchingWindowInSeconds`);
   * absent, a batch is handed over as soon as a message is there.
   */
  readonly batchingWindowSeconds?: number;
}

/** The queues, by key. */
export type QueueKey =
  | 'outbound'
  | 'sms'
  | 'whatsapp'
  | 'email'
  | 'push'
  | 'receipts'
  | 'touchpoints'
  | 'journeyTimers';

/**
 * AWS guidance: the source queue's visibility timeout should be at least six times the
 * function's timeout, so that retries of a throttled function do not make messages visible again.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Seconds a message stays hidden after a receive. */
export const visibilityTimeoutSeconds = (queue: Pick<QueueDefinition, 'consumerTimeoutSeconds'>): number =>
  queue.consumerTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR;

/**
 * Seconds a channel sender's lease on an attempt lasts: the consumer's timeout. A live invocation
 * cannot outlive it, so it never loses its lease mid-send; and since the visibility timeout is
 * {@link VISIBILITY_TIMEOUT_FACTOR} times longer, the first redelivery after a crash finds the
 * lease expired (see docs/channels.md, "The double-send window").
 */
export const senderLeaseSeconds = (queue: Pick<QueueDefinition, 'consumerTimeoutSeconds'>): number =>
  queue.consumerTimeoutSeconds;

/**
 * Retryable send failures after which a channel sender gives the channel up and falls back: one
 * less than maxReceiveCount, so a provider fault never sends a message to the DLQ, and the last
 * receive is left for a give-up whose own write failed.
 */
export const senderMaxRetryableFailures = (queue: Pick<QueueDefinition, 'maxReceiveCount'>): number =>
  queue.maxReceiveCount - 1;

/** Name of a queue's dead-letter queue. */
export const deadLetterQueueName = (queue: Pick<QueueDefinition, 'localName'>): string =>
  `${queue.localName}-dlq`;

const FOURTEEN_DAYS = 14 * 24 * 60 * 60;

/** The customers table: profiles, the address → customer index and hashed suppressions. */
export const customersTable: TableDefinition = {
  key: 'customers',
  localName: 'switchboard-customers',
  partitionKey: { name: 'pk', type: 'S' },
  globalSecondaryIndexes: [],
  stream: 'NEW_AND_OLD_IMAGES',
  // Only erasure tombstones (`erased#<id>`) carry it: profiles and suppressions never expire.
  timeToLiveAttribute: 'expiresAt',
};

/** The messages table: one timeline per customer, provider id lookups, retention by TTL. */
export const messagesTable: TableDefinition = {
  key: 'messages',
  localName: 'switchboard-messages',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
};

/**
 * The ledger-stream function's event source on both tables' streams: batch, retries before a
 * record goes to the on-failure queue, and the function's timeout.
 */
export const ledgerStream = {
  file: 'ledger-stream',
  batchSize: 100,
  maxRetryAttempts: 10,
  timeoutSeconds: 30,
  /** The on-failure destination (an SQS queue holding the records' stream coordinates). */
  failureQueueLocalName: 'switchboard-ledger-stream-failures',
} as const;

/**
 * The journey-events function's event source on both tables' streams (filtered to what deployed
 * journeys react to, infra/journey-stream-filter.ts): the second reader of each stream.
 */
export const journeyStream = {
  file: 'journey-events',
  batchSize: 100,
  maxRetryAttempts: 10,
  timeoutSeconds: 60,
  /** The on-failure destination (an SQS queue holding the records' stream coordinates). */
  failureQueueLocalName: 'switchboard-journey-events-failures',
} as const;

/** Every table. */
export const tables: readonly TableDefinition[] = [customersTable, messagesTable];

/** Every queue; each has a DLQ. */
export const queues: readonly QueueDefinition[] = [
  {
    key: 'outbound',
    localName: 'switchboard-outbound',
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 5,
    batchSize: 10,
    maxConcurrency: 20,
    retentionSeconds: FOURTEEN_DAYS,
  },
  {
    key: 'sms',
    localName: 'switchboard-sms',
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 8,
    batchSize: 10,
    // Twilio queues per sender rather than rejecting, but 429s start around 100 req/s per account.
    maxConcurrency: 10,
    retentionSeconds: FOURTEEN_DAYS,
  },
  {
    key: 'whatsapp',
    localName: 'switchboard-whatsapp',
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 8,
    batchSize: 10,
    maxConcurrency: 5,
    retentionSeconds: FOURTEEN_DAYS,
  },
  {
    key: 'email',
    localName: 'switchboard-email',
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 8,
    batchSize: 10,
    maxConcurrency: 10,
    retentionSeconds: FOURTEEN_DAYS,
  },
  {
    key: 'push',
    localName: 'switchboard-push',
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 8,
    batchSize: 10,
    maxConcurrency: 10,
    retentionSeconds: FOURTEEN_DAYS,
  },
  {
    // Receipt-timeout checks, each sent with DelaySeconds (at most 900) and re-sent until due.
    key: 'receipts',
    localName: 'switchboard-receipts',
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 5,
    batchSize: 10,
    maxConcurrency: 5,
    retentionSeconds: FOURTEEN_DAYS,
  },
  {
    // Segment-spec touchpoint events from publishers (functions/handlers/record-touchpoints.ts).
    key: 'touchpoints',
    localName: 'switchboard-touchpoints',
    // A receive is up to ten `{ batch }` messages of TouchpointBatchPublisher's 25 events (250
    // events): room for a slow moment of DynamoDB, since a timed-out batch is redone whole.
    consumerTimeoutSeconds: 60,
    maxReceiveCount: 5,
    batchSize: 10,
    maxConcurrency: 10,
    retentionSeconds: FOURTEEN_DAYS,
  },
  {
    // Timers that wake waiting journey runs (functions/handlers/journey-timers.ts): delayed
    // messages up to 15 minutes, EventBridge Scheduler's one-time schedules beyond.
    key: 'journeyTimers',
    localName: 'switchboard-journey-timers',
    consumerTimeoutSeconds: 30,
    maxReceiveCount: 5,
    batchSize: 10,
    maxConcurrency: 10,
    retentionSeconds: FOURTEEN_DAYS,
    // A timer a few seconds late is on time for a wait of an hour; batches of ten instead of one
    // divide the receives, deletes and invocations per timer by up to ten (docs/BENCHMARKS.md).
    batchingWindowSeconds: 5,
  },
];

/** The SNS topic every delivery event, inbound message and consent change is published to. */
export const eventsTopic = {
  key: 'events',
  localName: 'switchboard-events',
} as const;

/** Look a queue definition up by key. */
export const queueDefinition = (key: QueueKey): QueueDefinition => {
  const queue = queues.find((q) => q.key === key);
  if (!queue) throw new Error(`No queue is defined with key "${key}"`);
  return queue;
};
