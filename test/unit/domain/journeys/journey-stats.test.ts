import type { Journey } from '../../../../functions/contract';
import type { JourneyRun } from '../../../../functions/domain/journeys';
import {
  journeyStatsDelta,
  journeyStatsOf,
  liftOf,
} from '../../../../functions/domain/journeys/journey-stats';
import { aFakeClock, aJourney, aJourneyEvent, aSeedJourney, RunDriver } from '../../../helpers/journeys';

const T0 = '2026-11-23T09:00:00.000Z';
const CART = { cartId: 'c-1', total: 59.9 };

/** Plays one input and returns the counters it changed (before → after the input). */
function deltaOf(driver: RunDriver, play: (driver: RunDriver) => unknown): Record<string, number> {
  const before: JourneyRun | undefined = driver.run;
  play(driver);
  if (driver.run === undefined) throw new Error('no run');
  return { ...journeyStatsDelta(before, driver.run).counters };
}

/** A cart journey whose waitFor resumes on `Checkout Started`, then sends a reminder and exits. */
function aCheckoutJourney(overrides: Parameters<typeof aJourney>[0] = {}): Journey {
  return aJourney({
    steps: [
      {
        id: 'wait-checkout',
        type: 'waitFor',
        event: 'Checkout Started',
        timeout: 'PT1H',
        onEvent: 'remind',
        onTimeout: 'done',
      },
      { id: 'remind', type: 'send', template: 'cart-reminder', category: 'marketing', next: 'done' },
      { id: 'done', type: 'exit' },
    ],
    ...overrides,
  });
}

describe('Function: journeyStatsDelta', () => {
  it('counts an entry and the run waiting in its first waitFor', () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));

    // Act
    const counters = deltaOf(driver, (d) => d.enter(aJourneyEvent('Product Added', T0, CART)));

    // Assess
    expect(counters).toEqual({ entered: 1, 'waiting#wait-for-order': 1 });
  });

  it('moves a timed-out run from one wait to the next and counts the timeout and the send', () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, CART));

    // Act
    const counters = deltaOf(driver, (d) => d.fireTimer());

    // Assess
    expect(counters).toEqual({
      'waiting#wait-for-order': -1,
      'taken#wait-for-order': 1,
      'outcome#wait-for-order#timeout': 1,
      'taken#push-reminder': 1,
      'outcome#push-reminder#sent cart-reminder': 1,
      'waiting#wait-again': 1,
    });
  });

  it('counts a matched event, the steps it leads to, and the completed exit', () => {
    // Prepare
    const driver = new RunDriver(aCheckoutJourney(), aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, CART));

    // Act
    const counters = deltaOf(driver, (d) =>
      d.event(aJourneyEvent('Checkout Started', '2026-11-23T09:10:00.000Z', { cartId: 'c-1' })),
    );

    // Assess
    expect(counters).toEqual({
      'waiting#wait-checkout': -1,
      'taken#wait-checkout': 1,
      'outcome#wait-checkout#event Checkout Started': 1,
      'taken#remind': 1,
      'outcome#remind#sent cart-reminder': 1,
      'taken#done': 1,
      'outcome#done#exit': 1,
      'exited#completed': 1,
    });
  });

  it('counts a goal reached while waiting as a conversion, and the run no longer waiting', () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, CART));
    driver.fireTimer();

    // Act
    const counters = deltaOf(driver, (d) =>
      d.event(aJourneyEvent('Order Completed', '2026-11-23T12:00:00.000Z', { cartId: 'c-1' })),
    );

    // Assess
    expect(counters).toEqual({ 'waiting#wait-again': -1, 'exited#goal': 1, converted: 1 });
  });

  it('counts a cancel as a cancelled exit, not a conversion', () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, CART));

    // Act
    const counters = deltaOf(driver, (d) => d.step('2026-11-23T09:30:00.000Z', { kind: 'cancel' }));

    // Assess
    expect(counters).toEqual({ 'waiting#wait-for-order': -1, 'exited#cancelled': 1 });
  });

  it('counts a holdout entrant, and its send step as held out', () => {
    // Prepare
    const driver = new RunDriver(aJourney({ holdout: 100 }), aFakeClock(T0));

    // Act
    const counters = deltaOf(driver, (d) => d.enter(aJourneyEvent('Product Added', T0, CART)));

    // Assess
    expect(counters).toEqual({
      entered: 1,
      heldOut: 1,
      'taken#remind': 1,
      'outcome#remind#held-out: not sent': 1,
      'taken#done': 1,
      'outcome#done#exit': 1,
      'exited#completed': 1,
    });
  });

  it('gives no delta for a duplicate input that left the run unchanged', () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));
    const added = aJourneyEvent('Product Added', T0, CART);
    driver.enter(added);
    const stored = driver.run;

    // Act
    const result = driver.enter(added);

    // Assess
    expect(result.changed).toBe(false);
    expect(journeyStatsDelta(stored, result.run!).counters).toEqual({});
  });

  it('gives no delta for a message status, which changes the run but no count', () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, CART));
    driver.fireTimer();
    const requestId = driver.run?.sends['push-reminder']?.requestId ?? '';

    // Act
    const counters = deltaOf(driver, (d) =>
      d.step('2026-11-23T10:01:00.000Z', { kind: 'messageStatus', requestId, status: 'delivered' }),
    );

    // Assess
    expect(driver.results.at(-1)?.changed).toBe(true);
    expect(counters).toEqual({});
  });

  it('counts a re-entry that replaces an ended run as a new entrant', () => {
    // Prepare
    const journey = aCheckoutJourney({
      entry: { event: 'Product Added', key: 'properties.cartId', reentry: 'always' },
    });
    const driver = new RunDriver(journey, aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, CART));
    driver.step('2026-11-23T09:05:00.000Z', { kind: 'cancel' });

    // Act
    const counters = deltaOf(driver, (d) =>
      d.enter(aJourneyEvent('Product Added', '2026-11-23T09:30:00.000Z', CART)),
    );

    // Assess
    expect(counters).toEqual({ entered: 1, 'waiting#wait-checkout': 1 });
  });

  it("counts a held-out run's goal among the holdout's conversions, the lift's baseline", () => {
    // Prepare
    const held = aSeedJourney('cart-recovery');
    const driver = new RunDriver({ ...held, holdout: 100 }, aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, CART));

    // Act
    const counters = deltaOf(driver, (d) =>
      d.event(aJourneyEvent('Order Completed', '2026-11-23T09:30:00.000Z', { cartId: 'c-1' })),
    );

    // Assess
    expect(counters).toEqual({
      'waiting#wait-for-order': -1,
      'exited#goal': 1,
      converted: 1,
      'converted#heldOut': 1,
    });
  });

  it('names the journey version the run started on', () => {
    // Prepare
    const driver = new RunDriver(aJourney({ version: 3 }), aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, CART));

    // Act
    const delta = journeyStatsDelta(undefined, driver.run!);

    // Assess
    expect(delta).toMatchObject({ journeyId: 'test-journey', journeyVersion: 3 });
  });
});

describe('Function: liftOf', () => {
  it.each([
    [{ runs: 900, conversions: 90 }, { runs: 100, conversions: 8 }, 0.25],
    [{ runs: 900, conversions: 72 }, { runs: 100, conversions: 8 }, 0],
    [{ runs: 900, conversions: 36 }, { runs: 100, conversions: 8 }, -0.5],
    [{ runs: 900, conversions: 90 }, { runs: 100, conversions: 0 }, null],
    [{ runs: 900, conversions: 90 }, { runs: 0, conversions: 0 }, null],
  ])('compares %j with the holdout %j: %p', (treated, holdout, lift) => {
    // Act
    const measured = liftOf(treated, holdout);

    // Assess
    expect(measured).toBe(lift);
  });
});

describe('Function: journeyStatsOf', () => {
  it('lists the steps in document order with their counts, and sums waiting and exits', () => {
    // Prepare
    const journey = aSeedJourney('cart-recovery');
    const counters = {
      entered: 10,
      heldOut: 1,
      'waiting#wait-for-order': 2,
      'waiting#wait-again': 3,
      'taken#wait-for-order': 8,
      'outcome#wait-for-order#timeout': 5,
      'outcome#wait-for-order#event Order Completed': 3,
      'exited#goal': 4,
      converted: 4,
      'exited#completed': 1,
    };

    // Act
    const stats = journeyStatsOf(journey, counters);

    // Assess
    expect(stats).toMatchObject({
      journeyId: 'cart-recovery',
      version: 1,
      entered: 10,
      heldOut: 1,
      waiting: 5,
      exited: { completed: 1, goal: 4, cancelled: 0 },
      converted: 4,
    });
    expect(stats.steps.map((step) => step.stepId)).toEqual(journey.steps.map((step) => step.id));
    expect(stats.steps[0]).toEqual({
      stepId: 'wait-for-order',
      type: 'waitFor',
      taken: 8,
      waiting: 2,
      outcomes: { timeout: 5, 'event Order Completed': 3 },
    });
    expect(stats.steps[1]).toEqual({
      stepId: 'push-reminder',
      type: 'send',
      taken: 0,
      waiting: 0,
      outcomes: {},
    });
  });

  it("adds the steps only an earlier version had, after the current document's", () => {
    // Prepare
    const v1 = aJourney({
      steps: [
        { id: 'old-wait', type: 'wait', duration: 'PT1H' },
        { id: 'done', type: 'exit' },
      ],
    });
    const v2 = aJourney({ version: 2 });

    // Act
    const stats = journeyStatsOf(v2, { 'waiting#old-wait': 1, 'waiting#gone': 7 }, [v1]);

    // Assess
    expect(stats.steps.map((step) => `${step.stepId}:${step.type}:${step.waiting}`)).toEqual([
      'remind:send:0',
      'done:exit:0',
      'old-wait:wait:1',
    ]);
    expect(stats.waiting).toBe(1);
  });

  it('shows no count below zero, when an increment was lost before its decrement', () => {
    // Act
    const stats = journeyStatsOf(aJourney(), { 'taken#remind': -1, 'outcome#remind#sent cart-reminder': -1 });

    // Assess
    expect(stats.steps[0]).toMatchObject({ taken: 0, outcomes: {} });
  });
});
