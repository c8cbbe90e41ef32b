/**
 * `switchboard journeys stats` against the local runtime: counts recorded by the real stats store
 * on the runtime's messages table (DynamoDB Local), read through the runtime's API.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbJourneyStats } from '../../../functions/adapters/dynamodb/journey-stats-store';
import type { LocalResources } from '../../../local/emulators';
import { type LocalRuntime, startLocalRuntime } from '../../../local/runtime';
import { runCli } from '../../helpers/cli';
import { isolatedResources, testClients, testEndpoints } from '../../helpers/emulators';
import { aFakeClock, aJourneyEvent, aSeedJourney, RunDriver } from '../../helpers/journeys';

jest.setTimeout(90_000);

const REPO = join(__dirname, '..', '..', '..');
const T0 = '2026-11-23T09:00:00.000Z';

describe('Function: switchboard journeys stats against the local runtime', () => {
  const clients = testClients();
  let runtime: LocalRuntime;
  let resources: LocalResources;
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--dir', dir]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-journeys-stats-'));
    resources = await isolatedResources();
    runtime = await startLocalRuntime({
      rootDir: dir,
      handlersDir: join(REPO, 'functions', 'handlers'),
      emulators: { ...testEndpoints(), ...resources },
      waitTimeSeconds: 1,
      realChannels: new Set(),
      sandbox: { firstCallbackMs: 5, callbackStepMs: 5 },
      log: () => {},
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    clients.destroy();
  });

  /** Two cart runs through the interpreter, their changes recorded: one converted, one waiting again. */
  async function recordTwoCartRuns(): Promise<void> {
    const recorder = new DynamoDbJourneyStats({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    for (const [customerId, converts] of [
      ['stats-ada', true],
      ['stats-bob', false],
    ] as const) {
      const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));
      const cart = { cartId: `cart-${customerId}` };
      driver.enter(aJourneyEvent('Product Added', T0, cart, { customerId }));
      await recorder.record(undefined, driver.run!);
      const entered = driver.run;
      if (converts)
        driver.event(aJourneyEvent('Order Completed', '2026-11-23T09:30:00.000Z', cart, { customerId }));
      else driver.fireTimer();
      await recorder.record(entered, driver.run!);
    }
  }

  it("prints a journey's counts and its steps", async () => {
    // Prepare
    await recordTwoCartRuns();

    // Act
    const text = await cli('journeys', 'stats', 'cart-recovery');
    const json = await cli('journeys', 'stats', 'cart-recovery', '--json');

    // Assess
    expect(text.code).toBe(0);
    expect(text.out.split('\n').slice(0, 4)).toEqual([
      'cart-recovery v1 (all versions counted)',
      'entered 2, holdout 0 (0%), waiting 1',
      'exited: completed 0, goal 1, cancelled 0',
      'converted 1 (50%), of them held out 0',
    ]);
    expect(text.out).toMatch(/wait-for-order\s+waitFor\s+1\s+0\s+timeout 1/);
    expect(text.out).toMatch(/wait-again\s+waitFor\s+0\s+1\s+-/);
    expect(JSON.parse(json.out)).toMatchObject({ journeyId: 'cart-recovery', entered: 2, converted: 1 });
  });

  it('exits 1 naming the journey when it is not deployed, and 2 without an id', async () => {
    // Act
    const unknown = await cli('journeys', 'stats', 'no-such-journey');
    const missing = await cli('journeys', 'stats');

    // Assess
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('404 not_found: No journey no-such-journey');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('stats needs one journey id');
  });
});
