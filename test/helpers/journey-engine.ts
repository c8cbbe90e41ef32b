/**
 * The journey engine's ports in memory, for tests of the engine's own logic (the DynamoDB, SQS and
 * Scheduler adapters have their integration tests on the emulators): a run store that honours the
 * version condition like the table does, and recorders of what reached the queue and the timers.
 */
import type { Journey, MessageRequest } from '../../functions/contract';
import type {
  JourneyBatchSendQueue,
  JourneyEnginePorts,
  JourneyRun,
  JourneySendResult,
  JourneyTimer,
  RunAddress,
  StoredRun,
} from '../../functions/domain/journeys';

const addressOf = (a: RunAddress) => `${a.customerId}\n${a.journeyId}\n${a.key}`;

/** A run store in memory: `put` succeeds only on the version read, as the DynamoDB condition does. */
export class InMemoryRunStore {
  readonly items = new Map<string, StoredRun>();
  puts = 0;
  /** Called before each put is checked: lets a test change the item in between (a concurrent writer). */
  beforePut: (() => void) | undefined;

  async get(address: RunAddress): Promise<StoredRun | undefined> {
    return structuredClone(this.items.get(addressOf(address)));
  }

  async ofCustomer(customerId: string, journeyId: string): Promise<StoredRun[]> {
    return [...this.items.values()]
      .filter((stored) => stored.run.customerId === customerId && stored.run.journeyId === journeyId)
      .map((stored) => structuredClone(stored));
  }

  async put(next: StoredRun, expectedVersion: number | undefined): Promise<boolean> {
    this.puts += 1;
    this.beforePut?.();
    const key = addressOf({ ...next.run, key: next.run.key });
    const current = this.items.get(key);
    if (expectedVersion === undefined ? current !== undefined : current?.run.version !== expectedVersion) {
      return false;
    }
    this.items.set(key, structuredClone(next));
    return true;
  }

  /** Raises a stored run's version as the router's dispatch fence does. */
  fence(address: RunAddress, requestId: string): void {
    const stored = this.items.get(addressOf(address));
    if (stored === undefined) throw new Error('no run to fence');
    this.items.set(addressOf(address), {
      ...stored,
      run: { ...stored.run, version: stored.run.version + 1 },
      dispatched: { ...stored.dispatched, [requestId]: '2026-12-01T10:00:00.000Z' },
    });
  }
}

/** Everything the engine did outside the store. */
export interface EngineRecord {
  readonly sent: MessageRequest[];
  readonly scheduled: JourneyTimer[];
  readonly cancelled: string[];
  readonly counted: { before: JourneyRun | undefined; after: JourneyRun }[];
  versionsRead: { journeyId: string; version: number }[];
}

/** The engine's ports in memory, with `journeys` deployed and `older` versions stored. */
export function inMemoryJourneyPorts(
  journeys: readonly Journey[],
  options: { older?: readonly Journey[]; now?: () => Date; failSends?: () => boolean } = {},
): { ports: JourneyEnginePorts; runs: InMemoryRunStore; record: EngineRecord } {
  const runs = new InMemoryRunStore();
  const record: EngineRecord = { sent: [], scheduled: [], cancelled: [], counted: [], versionsRead: [] };
  const known = [...journeys, ...(options.older ?? [])];
  const ports: JourneyEnginePorts = {
    runs,
    timers: {
      schedule: async (timer) => void record.scheduled.push(timer),
      cancel: async (token) => void record.cancelled.push(token),
    },
    sends: {
      send: async (requests) => {
        if (options.failSends?.()) throw new Error('outbound queue unavailable');
        record.sent.push(...requests);
      },
    },
    stats: { record: async (before, after) => void record.counted.push({ before, after }) },
    catalog: {
      current: () => journeys,
      version: async (journeyId, version) => {
        record.versionsRead.push({ journeyId, version });
        return known.find((journey) => journey.id === journeyId && journey.version === version);
      },
    },
    customers: {
      journeyCustomer: async () => ({ timezone: 'Europe/Paris', attributes: { firstName: 'Camille' } }),
    },
    ...(options.now ? { now: options.now } : {}),
  };
  return { ports, runs, record };
}

/**
 * A send queue in memory that says what became of each request: records every call, refuses the
 * requests named in `refusals` with their error, and fails a whole call while `unavailable` is set.
 */
export class RecordingSendQueue implements JourneyBatchSendQueue {
  readonly calls: MessageRequest[][] = [];
  /** The requestIds that went out, over every call. */
  readonly published: string[] = [];
  readonly refusals = new Map<string, Error>();
  unavailable: Error | undefined;

  async send(requests: readonly MessageRequest[]): Promise<void> {
    const refused = (await this.sendEach(requests)).find((result) => result.error);
    if (refused?.error) throw refused.error;
  }

  async sendEach(requests: readonly MessageRequest[]): Promise<JourneySendResult[]> {
    this.calls.push([...requests]);
    if (this.unavailable) throw this.unavailable;
    return requests.map(({ requestId }) => {
      const error = this.refusals.get(requestId);
      if (!error) this.published.push(requestId);
      return error ? { requestId, error } : { requestId };
    });
  }
}
