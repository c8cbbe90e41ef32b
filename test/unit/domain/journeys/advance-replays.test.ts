import { advance, isHeldOut, JourneyVersionMismatchError } from '../../../../functions/domain/journeys';
import {
  aFakeClock,
  aJourney,
  aJourneyEvent,
  allSends,
  aSeedJourney,
  effectsOf,
  RunDriver,
} from '../../../helpers/journeys';

const T0 = '2026-11-23T09:00:00.000Z';
const added = (cartId = 'c-1', at = T0, customerId = 'camille') =>
  aJourneyEvent('Product Added', at, { cartId }, { customerId });
const ordered = (cartId: string, at: string) => aJourneyEvent('Order Completed', at, { cartId });

/** A cart-recovery run moved to one of its waiting points. */
function cartRunAt(point: 'first wait' | 'after push' | 'second wait'): RunDriver {
  const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));
  driver.enter(added());
  if (point !== 'first wait') driver.fireTimer();
  return driver;
}

describe('Function: advance (exits, re-entry, replays, holdout)', () => {
  it.each(['first wait', 'second wait'] as const)(
    'ends the run on Order Completed for the same cart in the %s, cancelling the timer, and sends nothing more',
    (point) => {
      // Prepare
      const driver = cartRunAt(point);
      const sentBefore = allSends(driver).length;
      const { timerToken: token, stepId: waitedIn } = driver.run!.position!;

      // Act
      const result = driver.event(ordered('c-1', '2026-11-23T09:50:00Z'));
      const lateTimer = driver.step('2026-11-24T11:00:00Z', { kind: 'timer', token, customer: {} });

      // Assess
      expect(result.effects.map((effect) => effect.type)).toEqual(['cancelTimer', 'exit', 'timeline']);
      expect(driver.run?.exit).toEqual({
        reason: 'goal',
        at: '2026-11-23T09:50:00.000Z',
        detail: 'Order Completed',
        waitedIn,
      });
      expect(waitedIn).toBe(point === 'first wait' ? 'wait-for-order' : 'wait-again');
      expect(lateTimer).toMatchObject({ changed: false, ignored: 'the run has ended (goal)' });
      expect(allSends(driver)).toHaveLength(sentBefore);
    },
  );

  it('ends a run waiting in a plain wait step on its goal', () => {
    // Prepare
    const journey = aJourney({
      steps: [
        { id: 'pause', type: 'wait', duration: 'P1D' },
        { id: 'done', type: 'exit' },
      ],
    });
    const driver = new RunDriver(journey, aFakeClock(T0));
    driver.enter(added());

    // Act
    driver.event(ordered('c-1', '2026-11-23T12:00:00Z'));

    // Assess
    expect(driver.run?.exit?.reason).toBe('goal');
  });

  it('ignores a goal for another cart of the same customer', () => {
    // Prepare
    const driver = cartRunAt('first wait');

    // Act
    const result = driver.event(ordered('c-2', '2026-11-23T09:30:00Z'));

    // Assess
    expect(result).toMatchObject({ changed: false, effects: [] });
    expect(driver.run?.status).toBe('active');
  });

  it('cancels a run wherever it is', () => {
    // Prepare
    const driver = cartRunAt('second wait');

    // Act
    const result = driver.step('2026-11-23T11:00:00Z', { kind: 'cancel', detail: 'support request' });

    // Assess
    expect(effectsOf(result, 'exit')).toEqual([
      { type: 'exit', runId: driver.run!.runId, reason: 'cancelled', detail: 'support request' },
    ]);
    expect(effectsOf(result, 'cancelTimer')).toHaveLength(1);
  });

  it('ignores a timer that fires twice, and one that fires after the run moved on', () => {
    // Prepare
    const driver = cartRunAt('first wait');
    const firstToken = driver.run!.position!.timerToken;
    driver.fireTimer();

    // Act
    const again = driver.step('2026-11-23T10:00:01Z', { kind: 'timer', token: firstToken, customer: {} });

    // Assess
    expect(again).toMatchObject({ changed: false, ignored: 'stale timer' });
    expect(allSends(driver)).toHaveLength(1);
  });

  it('takes a late timer at the time it fires', () => {
    // Prepare
    const driver = cartRunAt('first wait');

    // Act
    const late = driver.fireTimer('2026-11-23T13:00:00Z');

    // Assess
    expect(effectsOf(late, 'send')).toHaveLength(1);
    expect(effectsOf(late, 'scheduleTimer')[0]?.at).toBe('2026-11-24T13:00:00.000Z');
  });

  it('starts no run for an entry event that happened more than a day before it arrived (a backfill)', () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('post-purchase'), aFakeClock(T0));
    const lastYear = aJourneyEvent('Order Completed', '2025-11-23T09:00:00Z', { orderId: 'o-old' });
    const yesterday = aJourneyEvent('Order Completed', '2026-11-22T09:30:00Z', { orderId: 'o-new' });

    // Act
    const old = driver.step(T0, { kind: 'entry', event: lastYear, customer: {} });
    const recent = driver.step(T0, { kind: 'entry', event: yesterday, customer: {} });

    // Assess
    expect(old).toMatchObject({ changed: false, ignored: expect.stringContaining('more than a day') });
    expect(recent.changed).toBe(true);
  });

  it('ignores a duplicate entry event, whether it comes as an entry or as an event', () => {
    // Prepare
    const journey = aJourney({
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT1H' },
        { id: 'done', type: 'exit' },
      ],
    });
    const driver = new RunDriver(journey, aFakeClock(T0));
    const entry = added();
    driver.enter(entry);

    // Act
    const duplicateEntry = driver.enter({ ...entry, at: '2026-11-23T09:00:05Z' });
    const duplicateAsEvent = driver.event({ ...entry, at: '2026-11-23T09:00:05Z' });

    // Assess
    expect(duplicateEntry).toMatchObject({ changed: false, ignored: 'duplicate event' });
    expect(duplicateAsEvent).toMatchObject({ changed: false, ignored: 'duplicate event' });
    expect(driver.run?.version).toBe(1);
  });

  it('ignores a second copy of an event a waitFor already matched', () => {
    // Prepare
    const journey = aJourney({
      exitOn: [],
      steps: [
        {
          id: 'wait-checkout',
          type: 'waitFor',
          event: 'Checkout Started',
          timeout: 'PT1H',
          onEvent: 'pause',
          onTimeout: 'done',
        },
        { id: 'pause', type: 'wait', duration: 'PT1H', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
    const driver = new RunDriver(journey, aFakeClock(T0));
    driver.enter(added());
    const checkout = aJourneyEvent('Checkout Started', '2026-11-23T09:10:00Z', { cartId: 'c-1' });
    driver.event(checkout);

    // Act
    const copy = driver.event({ ...checkout, at: '2026-11-23T09:10:30Z' });

    // Assess
    expect(copy).toMatchObject({ changed: false, ignored: 'duplicate event' });
    expect(driver.run?.position?.stepId).toBe('pause');
  });

  it('starts no second run while one is active for the customer and key, but one for another key', () => {
    // Prepare
    const journey = aSeedJourney('cart-recovery');
    const driver = cartRunAt('first wait');

    // Act
    const sameCart = driver.enter(added('c-1', '2026-11-23T09:10:00Z'));
    const otherCart = advance(
      undefined,
      { kind: 'entry', event: added('c-2'), customer: {} },
      journey,
      aFakeClock(T0),
    );

    // Assess
    expect(sameCart).toMatchObject({
      changed: false,
      ignored: 'a run is already active for this customer and key',
    });
    expect(otherCart.run?.key).toBe('c-2');
    expect(otherCart.run?.runId).not.toBe(driver.run?.runId);
  });

  it.each([
    ['never', '2026-12-30T00:00:00Z', false],
    ['always', '2026-11-23T09:00:01Z', true],
    [{ after: 'P30D' }, '2026-12-20T00:00:00Z', false],
    [{ after: 'P30D' }, '2026-12-23T09:00:00Z', true],
  ] as const)(
    'applies re-entry %j to an entry at %s once the run has ended: starts=%s',
    (reentry, at, starts) => {
      // Prepare
      const journey = aJourney({ entry: { event: 'Product Added', key: 'properties.cartId', reentry } });
      const driver = new RunDriver(journey, aFakeClock(T0));
      driver.enter(added());
      const firstRunId = driver.run!.runId;

      // Act
      const again = driver.enter(added('c-1', at));

      // Assess
      expect(again.changed).toBe(starts);
      expect(driver.run!.runId !== firstRunId).toBe(starts);
      if (starts) expect(effectsOf(again, 'send')).toHaveLength(1);
    },
  );

  it('runs a held-out customer through the journey without sending, and records it', () => {
    // Prepare
    const journey = aJourney({ holdout: 20 });
    const customers = Array.from({ length: 500 }, (_, index) => `customer-${index}`);
    const heldOut = customers.find((customerId) => isHeldOut(journey.id, customerId, 20))!;
    const driver = new RunDriver(journey, aFakeClock(T0));

    // Act
    const result = driver.enter(added('c-1', T0, heldOut));

    // Assess
    expect(driver.run).toMatchObject({ heldOut: true, status: 'exited' });
    expect(effectsOf(result, 'send')).toEqual([]);
    expect(effectsOf(result, 'timeline').map((effect) => effect.entry.event)).toEqual([
      'entered',
      'held-out',
      'step',
      'exited',
    ]);
    expect(driver.run?.path[0]?.outcome).toBe('held-out: not sent');
  });

  it('holds out about the configured share of customers, the same ones every time', () => {
    // Prepare
    const customers = Array.from({ length: 4000 }, (_, index) => `customer-${index}`);

    // Act
    const first = customers.filter((customerId) => isHeldOut('cart-recovery', customerId, 10));
    const again = customers.filter((customerId) => isHeldOut('cart-recovery', customerId, 10));
    const otherJourney = customers.filter((customerId) => isHeldOut('post-purchase', customerId, 10));

    // Assess
    expect(again).toEqual(first);
    expect(first.length / customers.length).toBeGreaterThan(0.08);
    expect(first.length / customers.length).toBeLessThan(0.12);
    expect(otherJourney).not.toEqual(first);
  });

  it('raises the run version by one on each change, and refuses another version of the document', () => {
    // Prepare
    const driver = cartRunAt('first wait');
    driver.fireTimer();
    const newer = aSeedJourney('cart-recovery');

    // Act
    const advanceWithNewer = () =>
      advance(driver.run, { kind: 'cancel' }, { ...newer, version: 2 }, aFakeClock('2026-11-23T11:00:00Z'));

    // Assess
    expect(driver.results.map((result) => result.run?.version)).toEqual([1, 2]);
    expect(driver.run?.journeyVersion).toBe(1);
    expect(advanceWithNewer).toThrow(JourneyVersionMismatchError);
  });

  it('keeps message statuses moving forward, ignoring an older one', () => {
    // Prepare
    const driver = cartRunAt('after push');
    const requestId = allSends(driver)[0]!.request.requestId;
    driver.step('2026-11-23T10:05:00Z', { kind: 'messageStatus', requestId, status: 'read' });

    // Act
    const older = driver.step('2026-11-23T10:06:00Z', {
      kind: 'messageStatus',
      requestId,
      status: 'delivered',
    });

    // Assess
    expect(older).toMatchObject({ changed: false, ignored: 'an older status' });
    expect(driver.run?.sends['push-reminder']?.status).toBe('read');
  });
});
