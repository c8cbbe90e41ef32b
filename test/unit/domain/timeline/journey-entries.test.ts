import type { Journey, TimelineJourneyEntry } from '../../../../functions/contract';
import { journeyEntries } from '../../../../functions/domain/timeline/journey-entries';
import {
  aFakeClock,
  aJourney,
  aJourneyEvent,
  aSeedJourney,
  effectsOf,
  RunDriver,
} from '../../../helpers/journeys';

const T0 = '2026-11-23T09:00:00.000Z';

/** A run of `journey` entered by Camille's `Product Added` for cart c-1 at T0. */
function aRunOf(journey: Journey, customerId = 'camille'): RunDriver {
  const driver = new RunDriver(journey, aFakeClock(T0));
  driver.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-1' }, { customerId }));
  return driver;
}

type Moment = [event: string, at: string, stepId: string | undefined];

/** What the interpreter put on the timeline while advancing, as [event, at, stepId]. */
function emitted(driver: RunDriver): Moment[] {
  return driver.results
    .flatMap((result) => effectsOf(result, 'timeline').map(({ entry }) => entry))
    .map((entry): Moment => [entry.event, entry.at, entry.event === 'exited' ? undefined : entry.stepId]);
}

/** The derived entries as [event, at, stepId], an exit step's id left out as {@link emitted} has none. */
function derived(entries: readonly TimelineJourneyEntry[]): Moment[] {
  return entries.map((entry) => [entry.event, entry.at, entry.event === 'exited' ? undefined : entry.stepId]);
}

describe('Function: journeyEntries', () => {
  it('gives the timed-out cart recovery as the interpreter told it: entered, each wait, each step, the exit', () => {
    // Prepare
    const driver = aRunOf(aSeedJourney('cart-recovery'));
    driver.fireTimer();
    driver.fireTimer();

    // Act
    const entries = journeyEntries(driver.run!);

    // Assess
    expect(derived(entries)).toEqual(emitted(driver));
    const requestId = driver.run!.sends['push-reminder']!.requestId;
    expect(entries).toEqual([
      expect.objectContaining({ event: 'entered', at: T0, entryEvent: 'Product Added', key: 'c-1' }),
      { ...base(driver), at: T0, event: 'waiting', stepId: 'wait-for-order' },
      { ...base(driver), at: at(1), event: 'step', stepId: 'wait-for-order', outcome: 'timeout' },
      {
        ...base(driver),
        at: at(1),
        event: 'step',
        stepId: 'push-reminder',
        outcome: 'sent cart-reminder',
        requestId,
      },
      { ...base(driver), at: at(1), event: 'waiting', stepId: 'wait-again' },
      { ...base(driver), at: at(25), event: 'step', stepId: 'wait-again', outcome: 'timeout' },
      expect.objectContaining({ event: 'step', stepId: 'whatsapp-reminder', outcome: 'sent cart-reminder' }),
      {
        ...base(driver),
        at: at(25),
        event: 'exited',
        reason: 'completed',
        stepId: 'reminded',
        detail: 'reminders sent',
      },
    ]);
    expect(requestId).toBe(`${driver.run!.runId}.push-reminder`);
  });

  it('says until when the wait the run is in ends', () => {
    // Prepare
    const driver = aRunOf(aSeedJourney('cart-recovery'));
    driver.fireTimer();

    // Act
    const entries = journeyEntries(driver.run!);

    // Assess
    expect(derived(entries)).toEqual(emitted(driver));
    expect(entries.at(-1)).toEqual({
      ...base(driver),
      at: at(1),
      event: 'waiting',
      stepId: 'wait-again',
      until: at(25),
    });
    expect(entries.filter((entry) => entry.until !== undefined)).toHaveLength(1);
  });

  it('ends a converted run with its goal, right after the wait it was in', () => {
    // Prepare
    const driver = aRunOf(aSeedJourney('cart-recovery'));
    driver.event(aJourneyEvent('Order Completed', '2026-11-23T09:20:00.000Z', { cartId: 'c-1' }));

    // Act
    const entries = journeyEntries(driver.run!);

    // Assess
    expect(derived(entries)).toEqual(emitted(driver));
    expect(entries.map((entry) => entry.event)).toEqual(['entered', 'waiting', 'exited']);
    expect(entries[1]).toEqual({ ...base(driver), at: T0, event: 'waiting', stepId: 'wait-for-order' });
    expect(entries.at(-1)).toEqual({
      ...base(driver),
      at: '2026-11-23T09:20:00.000Z',
      event: 'exited',
      reason: 'goal',
      detail: 'Order Completed',
    });
  });

  it('marks a held-out run and its sends that were not sent', () => {
    // Prepare
    const driver = aRunOf(aJourney({ holdout: 100 }));

    // Act
    const entries = journeyEntries(driver.run!);

    // Assess
    expect(derived(entries)).toEqual(emitted(driver));
    expect(entries.map((entry) => [entry.event, entry.outcome])).toEqual([
      ['entered', undefined],
      ['held-out', undefined],
      ['step', 'held-out: not sent'],
      ['exited', undefined],
    ]);
    expect(entries.some((entry) => entry.requestId !== undefined)).toBe(false);
  });

  it('records a cancel with its detail', () => {
    // Prepare
    const driver = aRunOf(aSeedJourney('cart-recovery'));
    driver.step(at(0.5), { kind: 'cancel', detail: 'support asked' });

    // Act
    const entries = journeyEntries(driver.run!);

    // Assess
    expect(derived(entries)).toEqual(emitted(driver));
    expect(entries.at(-1)).toMatchObject({ event: 'exited', reason: 'cancelled', detail: 'support asked' });
  });

  it('follows waits, matched events, branches and splits in the order they were taken', () => {
    // Prepare
    const journey = aJourney({
      exitOn: [],
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT2H' },
        {
          id: 'wait-checkout',
          type: 'waitFor',
          event: 'Checkout Started',
          timeout: 'PT1H',
          onEvent: 'which',
          onTimeout: 'gone',
        },
        {
          id: 'which',
          type: 'branch',
          cases: [{ when: [{ path: 'events.wait-checkout.properties.coupon', exists: true }], next: 'ab' }],
          otherwise: 'gone',
        },
        {
          id: 'ab',
          type: 'split',
          paths: [
            { percent: 50, next: 'gone' },
            { percent: 50, next: 'gone' },
          ],
        },
        { id: 'gone', type: 'exit' },
      ],
    });
    const driver = aRunOf(journey);
    driver.fireTimer();
    driver.event(aJourneyEvent('Checkout Started', at(2.5), { cartId: 'c-1', coupon: 'WELCOME' }));

    // Act
    const entries = journeyEntries(driver.run!);

    // Assess
    expect(derived(entries)).toEqual(emitted(driver));
    expect(entries.map((entry) => entry.outcome ?? entry.event)).toEqual([
      'entered',
      'waiting',
      'waited',
      'waiting',
      'event Checkout Started',
      'case 1',
      expect.stringMatching(/^path [12]$/),
      'exited',
    ]);
    expect(entries.at(-1)).toMatchObject({ reason: 'completed', stepId: 'gone', detail: 'gone' });
  });
});

/** T0 plus `hours`, as the interpreter writes times. */
function at(hours: number): string {
  return new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
}

/** The fields every entry of the driver's run shares. */
function base(driver: RunDriver) {
  const run = driver.run!;
  return {
    type: 'journey' as const,
    journeyId: run.journeyId,
    journeyVersion: run.journeyVersion,
    runId: run.runId,
    key: run.key,
  };
}
