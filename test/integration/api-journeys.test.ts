/**
 * The journey routes through the real API handler on DynamoDB Local: the deployed journeys (the
 * repository's journeys/), their counts recorded by the real stats store from runs played through
 * the interpreter, and the cancel route's validation; and the typed client against that handler.
 */
import { SwitchboardApiClient, SwitchboardApiError } from '@switchboard/client';
import { DynamoDbJourneyStats } from '../../functions/adapters/dynamodb/journey-stats-store';
import { ContractValidationError } from '../../functions/contract';
import type { createApiHandler } from '../../functions/handlers/api';
import type { LocalResources } from '../../local/emulators';
import { apiUnderTest } from '../helpers/api-handler';
import { isolatedResources, testClients } from '../helpers/emulators';
import { anApiEvent, fetchThrough } from '../helpers/http-api';
import { aFakeClock, aJourneyEvent, aSeedJourney, RunDriver } from '../helpers/journeys';

const T0 = '2026-11-23T09:00:00.000Z';

describe('Function: api handler (journey routes)', () => {
  const clients = testClients();
  let resources: LocalResources;
  let api: ReturnType<typeof createApiHandler>;
  let client: SwitchboardApiClient;
  afterAll(() => clients.destroy());
  beforeAll(async () => {
    resources = await isolatedResources();
    api = apiUnderTest(resources, clients);
    client = new SwitchboardApiClient({ baseUrl: 'http://127.0.0.1/', fetch: fetchThrough(api) });
  });

  /** Plays a cart-recovery run through the interpreter, recording each change as the engine does. */
  async function aCartRun(customerId: string, play: (driver: RunDriver) => void): Promise<void> {
    const recorder = new DynamoDbJourneyStats({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));
    const inputs: (() => unknown)[] = [
      () =>
        driver.enter(aJourneyEvent('Product Added', T0, { cartId: `cart-${customerId}` }, { customerId })),
      () => play(driver),
    ];
    for (const input of inputs) {
      const before = driver.run;
      input();
      if (driver.results.at(-1)?.changed && driver.run !== undefined)
        await recorder.record(before, driver.run);
    }
  }

  it('lists the deployed journeys with their versions and steps', async () => {
    // Act
    const answer = await api(anApiEvent('GET', '/v1/journeys'));

    // Assess
    expect(answer.statusCode).toBe(200);
    const { journeys } = JSON.parse(answer.body ?? '{}');
    expect(journeys.map((journey: { journeyId: string }) => journey.journeyId)).toEqual([
      'cart-recovery',
      'post-purchase',
    ]);
    expect(journeys[0]).toMatchObject({
      journeyId: 'cart-recovery',
      version: 1,
      name: 'Cart recovery',
      steps: expect.arrayContaining([{ id: 'wait-for-order', type: 'waitFor' }]),
    });
  });

  it("answers a journey's counts summed over its shards", async () => {
    // Prepare
    await aCartRun('ada', (driver) =>
      driver.event(
        aJourneyEvent(
          'Order Completed',
          '2026-11-23T09:20:00.000Z',
          { cartId: 'cart-ada' },
          { customerId: 'ada' },
        ),
      ),
    );
    await aCartRun('bob', (driver) => driver.fireTimer());
    await aCartRun('eve', (driver) => driver.step('2026-11-23T09:05:00.000Z', { kind: 'cancel' }));

    // Act
    const stats = await client.journeyStats('cart-recovery');

    // Assess
    expect(stats).toMatchObject({
      journeyId: 'cart-recovery',
      version: 1,
      entered: 3,
      heldOut: 0,
      waiting: 1,
      exited: { completed: 0, goal: 1, cancelled: 1 },
      converted: 1,
    });
    expect(stats.steps.slice(0, 3)).toEqual([
      { stepId: 'wait-for-order', type: 'waitFor', taken: 1, waiting: 0, outcomes: { timeout: 1 } },
      { stepId: 'push-reminder', type: 'send', taken: 1, waiting: 0, outcomes: { 'sent cart-reminder': 1 } },
      { stepId: 'wait-again', type: 'waitFor', taken: 0, waiting: 1, outcomes: {} },
    ]);
  });

  it('answers zero counts for a deployed journey no one entered yet', async () => {
    // Act
    const stats = await client.journeyStats('post-purchase');

    // Assess
    expect(stats).toMatchObject({
      entered: 0,
      waiting: 0,
      converted: 0,
      exited: { completed: 0, goal: 0, cancelled: 0 },
    });
    expect(stats.steps.length).toBeGreaterThan(0);
  });

  it.each([
    ['GET', '/v1/journeys/no-such-journey/stats', undefined],
    ['POST', '/v1/journeys/no-such-journey/cancel', { customerId: 'ada' }],
  ])('answers 404 for %s %s, an unknown journey', async (method, path, body) => {
    // Act
    const answer = await api(anApiEvent(method, path, body));

    // Assess
    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(answer.body ?? '{}')).toEqual({
      error: 'not_found',
      message: 'No journey no-such-journey',
    });
  });

  it.each([
    ['a journey id that is not one', 'GET', '/v1/journeys/Not_An_Id/stats', undefined, 'journeyId'],
    ['no customerId', 'POST', '/v1/journeys/cart-recovery/cancel', { key: 'c-1' }, 'customerId'],
    ['an empty key', 'POST', '/v1/journeys/cart-recovery/cancel', { customerId: 'ada', key: '' }, 'key'],
    [
      'an unknown field',
      'POST',
      '/v1/journeys/cart-recovery/cancel',
      { customerId: 'ada', all: true },
      'all',
    ],
    ['no body', 'POST', '/v1/journeys/cart-recovery/cancel', undefined, '(body)'],
  ])('answers 400 naming the field for %s', async (_case, method, path, body, field) => {
    // Act
    const answer = await api(anApiEvent(method, path, body));

    // Assess
    expect(answer.statusCode).toBe(400);
    const parsed = JSON.parse(answer.body ?? '{}');
    expect(parsed.error).toBe('invalid_request');
    expect(parsed.issues.map((issue: { field: string }) => issue.field)).toContain(field);
  });

  it('refuses a bad cancel request in the client, before sending it', async () => {
    // Act
    const cancelling = client.cancelJourneyRuns('cart-recovery', { customerId: 'not an id' });

    // Assess
    await expect(cancelling).rejects.toBeInstanceOf(ContractValidationError);
  });

  it("surfaces the API's 404 through the client", async () => {
    // Act
    const reading = client.journeyStats('gone');

    // Assess
    await expect(reading).rejects.toBeInstanceOf(SwitchboardApiError);
    await expect(reading).rejects.toHaveProperty('status', 404);
  });
});
