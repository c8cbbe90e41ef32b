/**
 * Operating a journey on the local runtime (DynamoDB Local and fauxqs): a cart run entered through
 * the engine from a touchpoint, counted by the engine's stats recorder, read and cancelled through
 * the API (`GET /v1/journeys/{journeyId}/stats`, `POST /v1/journeys/{journeyId}/cancel`).
 */
import { randomUUID } from 'node:crypto';
import { SwitchboardApiClient } from '@switchboard/client';
import { DynamoDbJourneyRunStore } from '../../../functions/adapters/dynamodb/journey-run-store';
import type { JourneyStats } from '../../../functions/contract';
import type { StoredRun } from '../../../functions/domain/journeys';
import type { LocalRuntime } from '../../../local/runtime';
import { testClients } from '../../helpers/emulators';
import { eventually } from '../../helpers/eventually';
import { aCustomerInput } from '../../helpers/factories';
import { startTestRuntime } from '../../helpers/local-runtime';
import { aTrackEvent } from '../../helpers/touchpoints';

jest.setTimeout(120_000);

describe('Journey stats and cancel on the local runtime', () => {
  const clients = testClients();
  let runtime: LocalRuntime;
  let api: SwitchboardApiClient;
  let runs: DynamoDbJourneyRunStore;
  beforeAll(async () => {
    // Real time: the cart run waits an hour for the order, long enough to be cancelled.
    runtime = await startTestRuntime({ handlers: ['api', 'journey-events', 'journey-timers'] });
    api = new SwitchboardApiClient({ baseUrl: runtime.localJson.httpUrl });
    runs = new DynamoDbJourneyRunStore({
      client: clients.dynamodb,
      tableName: runtime.localJson.tables.messages,
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    clients.destroy();
  });

  /** A customer whose cart left a `Product Added` touchpoint. */
  async function aCartLeftBy(cartId: string): Promise<string> {
    const customerId = `c-operate-${randomUUID().slice(0, 8)}`;
    await api.putCustomer(aCustomerInput({ customerId, addresses: { email: `${customerId}@example.com` } }));
    await api.recordEvents(
      aTrackEvent({
        event: 'Product Added',
        userId: customerId,
        timestamp: new Date().toISOString(),
        context: { channel: 'web' },
        properties: { cartId, total: 59, currency: 'EUR' },
      }),
    );
    return customerId;
  }

  it('counts a run the engine entered, cancels it by key once, and counts the cancel', async () => {
    // Prepare
    const customerId = await aCartLeftBy('cart-op-1');
    const waiting = await eventually(
      () => api.journeyStats('cart-recovery'),
      (stats: JourneyStats) => stats.waiting === 1,
      { what: 'the entered run counted as waiting' },
    );

    // Act
    const first = await api.cancelJourneyRuns('cart-recovery', { customerId, key: 'cart-op-1' });
    const second = await api.cancelJourneyRuns('cart-recovery', { customerId, key: 'cart-op-1' });

    // Assess
    expect(waiting).toMatchObject({
      entered: 1,
      heldOut: 0,
      exited: { completed: 0, goal: 0, cancelled: 0 },
    });
    expect(waiting.steps[0]).toMatchObject({ stepId: 'wait-for-order', waiting: 1, taken: 0 });
    expect(first).toEqual({ cancelled: 1 });
    expect(second).toEqual({ cancelled: 0 });
    const stored = await runs.get({ customerId, journeyId: 'cart-recovery', key: 'cart-op-1' });
    expect(stored?.run).toMatchObject({
      status: 'exited',
      exit: { reason: 'cancelled', detail: 'by the API' },
    });
    expect(await api.journeyStats('cart-recovery')).toMatchObject({
      entered: 1,
      waiting: 0,
      exited: { completed: 0, goal: 0, cancelled: 1 },
      converted: 0,
    });
  });

  it("cancels every active run of the customer when no key is given, and none of another customer's", async () => {
    // Prepare
    const customerId = await aCartLeftBy('cart-op-2');
    const other = await aCartLeftBy('cart-op-3');
    for (const [who, key] of [
      [customerId, 'cart-op-2'],
      [other, 'cart-op-3'],
    ] as const) {
      await eventually(
        () => runs.get({ customerId: who, journeyId: 'cart-recovery', key }),
        (stored: StoredRun | undefined) => stored?.run.status === 'active',
        { what: `the run of ${key}` },
      );
    }

    // Act
    const cancelled = await api.cancelJourneyRuns('cart-recovery', { customerId });

    // Assess
    expect(cancelled).toEqual({ cancelled: 1 });
    const untouched = await runs.get({ customerId: other, journeyId: 'cart-recovery', key: 'cart-op-3' });
    expect(untouched?.run.status).toBe('active');
  });
});
