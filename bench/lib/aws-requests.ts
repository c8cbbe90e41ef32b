/**
 * Counts every AWS request made in this process, by service and call, with the DynamoDB capacity
 * each one consumed. It wraps `send` on the one Client prototype every AWS SDK v3 client shares, so
 * the clients the handlers create for themselves are counted too, without touching the handlers.
 * The wrapper only asks DynamoDB to return consumed capacity (`ReturnConsumedCapacity: INDEXES`),
 * which changes no behaviour; everything else passes through untouched.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Requests and capacity of one service call, e.g. `DynamoDB PutItem`. */
export interface CallCount {
  readonly service: string;
  readonly call: string;
  requests: number;
  /** DynamoDB only: read and write request units, table and GSIs. */
  readUnits: number;
  writeUnits: number;
  /** Of the write units, those spent on global secondary indexes. */
  gsiWriteUnits: number;
  /** SQS/SNS: 64 KB chunks (a batch of ten small messages is one request, billed as one). */
  chunks: number;
}

/** The call name idle polls are counted under when {@link RequestCounter.separateEmptyReceives} is on. */
export const EMPTY_RECEIVE = 'ReceiveMessage (empty)';

/** Live counts; `active` turns counting on and off (set-up and reconciliation are not counted). */
export interface RequestCounter {
  active: boolean;
  /** Count SQS receives that returned nothing apart, as {@link EMPTY_RECEIVE} (off unless set). */
  separateEmptyReceives: boolean;
  readonly calls: Map<string, CallCount>;
  reset(): void;
  /** Undoes the wrapping. */
  uninstall(): void;
  /**
   * Clients whose requests are never counted (the benchmark's own observers), with every client
   * sharing their config (a DynamoDBDocumentClient built on one).
   */
  ignore(client: object): void;
  /**
   * Counts a request no SDK client made here (while `active`): what a stand-in for a service the
   * emulators lack (EventBridge Scheduler, bench/lib/scheduler-stand-in.ts) would have asked AWS.
   */
  record(service: string, call: string): void;
}

const DOCUMENT_CALLS: Record<string, string> = {
  Put: 'PutItem',
  Get: 'GetItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactWrite: 'TransactWriteItems',
  TransactGet: 'TransactGetItems',
};

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number; WriteCapacityUnits?: number }>;
}

type Send = (
  command: { input: Record<string, unknown>; constructor: { name: string } },
  ...rest: unknown[]
) => Promise<unknown>;

/** Installs the counter on the shared AWS SDK client prototype. */
export function installRequestCounter(): RequestCounter {
  const prototype = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: Send };
  const original = prototype.send;
  const ignored = new WeakSet<object>();
  const counter: RequestCounter = {
    active: false,
    separateEmptyReceives: false,
    calls: new Map(),
    reset: () => counter.calls.clear(),
    uninstall: () => {
      prototype.send = original;
    },
    ignore: (client) => {
      ignored.add(client);
      // A document client built on an ignored client (DynamoDBDocumentClient.from) shares its config.
      const { config } = client as { config?: object };
      if (config) ignored.add(config);
    },
    record: (service, call) => {
      if (!counter.active) return;
      countOf(counter, service, call).requests += 1;
      countOf(counter, service, call).chunks += 1;
    },
  };
  prototype.send = async function countedSend(this: { config: { serviceId?: string } }, command, ...rest) {
    if (!counter.active || ignored.has(this) || (this.config && ignored.has(this.config))) {
      return original.call(this, command, ...rest);
    }
    const service = String(this.config?.serviceId ?? 'unknown');
    const raw = command.constructor.name.replace(/Command$/, '');
    const call = service === 'DynamoDB' ? (DOCUMENT_CALLS[raw] ?? raw) : raw;
    const count = countOf(counter, service, call);
    count.requests += 1;
    count.chunks += chunksOf(service, command.input);
    if (service === 'DynamoDB') command.input.ReturnConsumedCapacity ??= 'INDEXES';
    try {
      const output = (await original.call(this, command, ...rest)) as {
        ConsumedCapacity?: Capacity | Capacity[];
        Messages?: unknown[];
      };
      if (service === 'DynamoDB') addCapacity(count, call, output?.ConsumedCapacity);
      if (counter.separateEmptyReceives && call === 'ReceiveMessage' && !output?.Messages?.length) {
        // An idle poll: the event source's cost per hour of a quiet queue, not per unit of work.
        count.requests -= 1;
        count.chunks -= 1;
        const empty = countOf(counter, service, EMPTY_RECEIVE);
        empty.requests += 1;
        empty.chunks += 1;
      }
      return output;
    } catch (error) {
      // A refused conditional write still costs the write; a throttled request costs nothing.
      if (service === 'DynamoDB' && (error as Error).name === 'ConditionalCheckFailedException') {
        count.writeUnits += 1;
      }
      throw error;
    }
  };
  return counter;
}

function countOf(counter: RequestCounter, service: string, call: string): CallCount {
  const key = `${service} ${call}`;
  let count = counter.calls.get(key);
  if (!count) {
    count = { service, call, requests: 0, readUnits: 0, writeUnits: 0, gsiWriteUnits: 0, chunks: 0 };
    counter.calls.set(key, count);
  }
  return count;
}

function addCapacity(count: CallCount, call: string, consumed: Capacity | Capacity[] | undefined): void {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  if (list.length === 0) {
    // DynamoDB Local did not say: one unit per request is the floor of what AWS would charge.
    if (READS.has(call)) count.readUnits += 0.5;
    else count.writeUnits += 1;
    return;
  }
  for (const capacity of list) {
    const total = capacity.CapacityUnits ?? 0;
    const gsi = Object.values(capacity.GlobalSecondaryIndexes ?? {}).reduce(
      (sum, index) => sum + (index.WriteCapacityUnits ?? index.CapacityUnits ?? 0),
      0,
    );
    if (READS.has(call)) count.readUnits += capacity.ReadCapacityUnits ?? total;
    else {
      count.writeUnits += capacity.WriteCapacityUnits ?? total;
      count.gsiWriteUnits += gsi;
    }
  }
}

/** SQS and SNS bill each 64 KB of payload as one request. */
function chunksOf(service: string, input: Record<string, unknown>): number {
  if (service !== 'SQS' && service !== 'SNS') return 1;
  const bodies: string[] = [];
  if (typeof input.MessageBody === 'string') bodies.push(input.MessageBody);
  if (typeof input.Message === 'string') bodies.push(input.Message);
  for (const entry of (input.Entries ?? input.PublishBatchRequestEntries ?? []) as {
    MessageBody?: string;
    Message?: string;
  }[]) {
    bodies.push(entry.MessageBody ?? entry.Message ?? '');
  }
  const bytes = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
  return Math.max(1, Math.ceil(bytes / 65_536));
}
