import { RetryLaterError } from '../../../../functions/domain/errors';
import {
  applyEvent,
  applyJourneyInputs,
  applyTimer,
  cancelJourneyRuns,
  JourneyDefinitionError,
  MAX_WRITE_CONFLICTS,
} from '../../../../functions/domain/journeys';
import { inMemoryJourneyPorts } from '../../../helpers/journey-engine';
import {
  aFakeClock,
  aFollowUpJourney,
  aJourney,
  aJourneyEvent,
  aSeedJourney,
} from '../../../helpers/journeys';

const cart = { customerId: 'camille', journeyId: 'cart-recovery', key: 'c-1' };

function setUp(options: Parameters<typeof inMemoryJourneyPorts>[1] = {}) {
  const clock = aFakeClock('2026-12-01T10:00:00Z');
  const engine = inMemoryJourneyPorts([aSeedJourney('cart-recovery'), aSeedJourney('post-purchase')], {
    now: () => clock.now(),
    ...options,
  });
  return { clock, ...engine };
}

const productAdded = (at = '2026-12-01T10:00:00Z', cartId = 'c-1') =>
  aJourneyEvent('Product Added', at, { cartId, items: ['Linen shirt'], total: 59 });
const orderCompleted = (at: string, cartId = 'c-1') =>
  aJourneyEvent('Order Completed', at, { cartId, orderId: `o-${cartId}` }, {});

describe('Function: applyEvent', () => {
  it('starts a run on the entry event, stores it once and schedules its first timer', async () => {
    // Prepare
    const { ports, runs, record } = setUp();

    // Act
    const outcomes = await applyEvent(productAdded(), ports);

    // Assess
    expect(outcomes).toEqual([expect.objectContaining({ kind: 'advanced' })]);
    const stored = await runs.get(cart);
    expect(stored?.run).toMatchObject({
      status: 'active',
      version: 1,
      position: { stepId: 'wait-for-order' },
    });
    expect(record.scheduled).toEqual([
      expect.objectContaining({
        ...cart,
        at: '2026-12-01T11:00:00.000Z',
        token: stored?.run.position?.timerToken,
      }),
    ]);
    expect(record.counted).toEqual([{ before: undefined, after: stored?.run }]);
  });

  it('ends the run on the order for the same cart and deletes its timer: no reminder, only the thank-you', async () => {
    // Prepare
    const { ports, runs, record, clock } = setUp();
    await applyEvent(productAdded(), ports);
    clock.set('2026-12-01T10:20:00Z');

    // Act
    await applyEvent(orderCompleted('2026-12-01T10:20:00Z'), ports);

    // Assess
    const stored = await runs.get(cart);
    expect(stored?.run.exit).toMatchObject({ reason: 'goal' });
    expect(record.cancelled).toEqual([record.scheduled[0]?.token]);
    expect(record.sent.map((request) => request.requestId)).toEqual([
      expect.stringMatching(/^jr_.*\.thank-you$/), // the post-purchase journey thanks her
    ]);
  });

  it('leaves a run alone when the order is for another cart', async () => {
    // Prepare
    const { ports, runs } = setUp();
    await applyEvent(productAdded(), ports);

    // Act
    await applyEvent(orderCompleted('2026-12-01T10:20:00Z', 'c-other'), ports);

    // Assess
    expect((await runs.get(cart))?.run).toMatchObject({ status: 'active', version: 1 });
  });
});

describe('Function: applyTimer', () => {
  it('sends the reminder once when the timer fires, and again only as the same request when it fires twice', async () => {
    // Prepare
    const { ports, runs, record, clock } = setUp();
    await applyEvent(productAdded(), ports);
    const timer = record.scheduled[0]!;
    clock.set('2026-12-01T11:00:00Z');

    // Act
    const first = await applyTimer(timer, ports);
    const second = await applyTimer(timer, ports);

    // Assess
    expect(first.kind).toBe('advanced');
    expect(second.kind).toBe('repeated');
    const requestIds = record.sent.map((request) => request.requestId);
    expect(new Set(requestIds).size).toBe(1);
    expect(requestIds[0]).toMatch(/\.push-reminder$/);
    expect((await runs.get(cart))?.run.version).toBe(2);
    expect(record.counted).toHaveLength(2);
  });

  it('carries out the effects again when the input comes back after they failed, and writes the run once', async () => {
    // Prepare
    let failing = true;
    const { ports, runs, record, clock } = setUp({ failSends: () => failing });
    await applyEvent(productAdded(), ports);
    const timer = record.scheduled[0]!;
    clock.set('2026-12-01T11:00:00Z');
    await expect(applyTimer(timer, ports)).rejects.toThrow('outbound queue unavailable');
    const putsAfterFailure = runs.puts;
    failing = false;

    // Act
    const retried = await applyTimer(timer, ports);

    // Assess
    expect(retried.kind).toBe('repeated');
    expect(runs.puts).toBe(putsAfterFailure);
    expect(record.sent.map((request) => request.requestId)).toEqual([
      expect.stringMatching(/\.push-reminder$/),
    ]);
  });

  it('applies the timer again to what is stored when the dispatch fence wrote in between', async () => {
    // Prepare
    const { ports, runs, record, clock } = setUp();
    await applyEvent(productAdded(), ports);
    const timer = record.scheduled[0]!;
    clock.set('2026-12-01T11:00:00Z');
    let fenced = false;
    runs.beforePut = () => {
      if (fenced) return;
      fenced = true;
      runs.fence(cart, 'some-earlier-request');
    };

    // Act
    const outcome = await applyTimer(timer, ports);

    // Assess
    expect(outcome.kind).toBe('advanced');
    const stored = await runs.get(cart);
    expect(stored?.run.version).toBe(3);
    expect(stored?.dispatched).toEqual({ 'some-earlier-request': '2026-12-01T10:00:00.000Z' });
    expect(record.sent).toHaveLength(1);
  });

  it('gives up with RetryLaterError when the run keeps changing under it', async () => {
    // Prepare
    const { ports, runs, record, clock } = setUp();
    await applyEvent(productAdded(), ports);
    clock.set('2026-12-01T11:00:00Z');
    runs.beforePut = () => runs.fence(cart, 'busy');

    // Act
    const applying = applyTimer(record.scheduled[0]!, ports);

    // Assess
    await expect(applying).rejects.toBeInstanceOf(RetryLaterError);
    expect(runs.puts).toBe(1 + MAX_WRITE_CONFLICTS);
    expect(record.sent).toHaveLength(0);
  });

  it('advances a run with the version it started on after a newer version deploys', async () => {
    // Prepare
    const v1 = aJourney({
      id: 'pinned',
      version: 1,
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT1H' },
        { id: 'old-message', type: 'send', template: 'cart-reminder', category: 'marketing' },
        { id: 'done', type: 'exit' },
      ],
    });
    const v2 = aJourney({
      id: 'pinned',
      version: 2,
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT1H' },
        { id: 'new-message', type: 'send', template: 'cart-reminder', category: 'marketing' },
        { id: 'done', type: 'exit' },
      ],
    });
    const clock = aFakeClock('2026-12-01T10:00:00Z');
    const before = inMemoryJourneyPorts([v1], { now: () => clock.now() });
    await applyEvent(productAdded(), before.ports);
    const after = inMemoryJourneyPorts([v2], { older: [v1], now: () => clock.now() });
    for (const [key, stored] of before.runs.items) after.runs.items.set(key, stored);
    clock.set('2026-12-01T11:00:00Z');

    // Act
    await applyTimer(before.record.scheduled[0]!, after.ports);

    // Assess
    expect(after.record.versionsRead).toEqual([{ journeyId: 'pinned', version: 1 }]);
    expect(after.record.sent.map((request) => request.requestId)).toEqual([
      expect.stringMatching(/\.old-message$/),
    ]);
  });

  it('refuses to advance a run whose version is not stored', async () => {
    // Prepare
    const v1 = aJourney({
      id: 'lost',
      version: 1,
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT1H' },
        { id: 'done', type: 'exit' },
      ],
    });
    const v2 = { ...v1, version: 2 };
    const clock = aFakeClock('2026-12-01T10:00:00Z');
    const before = inMemoryJourneyPorts([v1], { now: () => clock.now() });
    await applyEvent(productAdded(), before.ports);
    const after = inMemoryJourneyPorts([v2], { now: () => clock.now() });
    for (const [key, stored] of before.runs.items) after.runs.items.set(key, stored);

    // Act
    const applying = applyTimer(before.record.scheduled[0]!, after.ports);

    // Assess
    await expect(applying).rejects.toBeInstanceOf(JourneyDefinitionError);
  });
});

describe('Function: applyJourneyInputs', () => {
  const followUp = aFollowUpJourney();

  it('gives a journey message its status, for a branch on the outcome', async () => {
    // Prepare
    const clock = aFakeClock('2026-12-01T10:00:00Z');
    const { ports, runs, record } = inMemoryJourneyPorts([followUp], { now: () => clock.now() });
    await applyEvent(productAdded(), ports);
    const requestId = record.sent[0]!.requestId;
    const address = { customerId: 'camille', journeyId: 'follow-up', key: 'c-1' };

    // Act
    await applyJourneyInputs({ events: [], statuses: [{ ...address, requestId, status: 'read' }] }, ports);
    clock.set('2026-12-02T10:00:00Z');
    await applyTimer(record.scheduled[0]!, ports);

    // Assess
    const stored = await runs.get(address);
    expect(stored?.run.sends.remind).toEqual({ requestId, status: 'read' });
    expect(stored?.run.exit).toMatchObject({ reason: 'completed' });
    expect(record.sent).toHaveLength(1);
  });

  it('reads and writes nothing for the status of a message of a journey that branches on no outcome', async () => {
    // Prepare
    const { ports, runs, record, clock } = setUp();
    await applyEvent(productAdded(), ports);
    clock.set('2026-12-01T11:00:00Z');
    await applyTimer(record.scheduled[0]!, ports);
    const requestId = record.sent[0]!.requestId;
    const puts = runs.puts;

    // Act
    const outcomes = await applyJourneyInputs(
      { events: [], statuses: [{ ...cart, requestId, status: 'delivered' }] },
      ports,
    );

    // Assess
    expect(outcomes).toEqual([{ kind: 'ignored', why: 'journey cart-recovery branches on no outcome' }]);
    expect(runs.puts).toBe(puts);
  });
});

describe('Function: cancelJourneyRuns', () => {
  it("cancels every active run of the customer's journey, and nothing the second time", async () => {
    // Prepare
    const { ports, runs } = setUp();
    await applyEvent(productAdded('2026-12-01T10:00:00Z', 'c-1'), ports);
    await applyEvent(productAdded('2026-12-01T10:01:00Z', 'c-2'), ports);

    // Act
    const first = await cancelJourneyRuns({ journeyId: 'cart-recovery', customerId: 'camille' }, ports);
    const second = await cancelJourneyRuns({ journeyId: 'cart-recovery', customerId: 'camille' }, ports);

    // Assess
    expect([first, second]).toEqual([2, 0]);
    expect((await runs.get(cart))?.run.exit).toMatchObject({ reason: 'cancelled' });
  });

  it('cancels only the run of the key given', async () => {
    // Prepare
    const { ports, runs } = setUp();
    await applyEvent(productAdded('2026-12-01T10:00:00Z', 'c-1'), ports);
    await applyEvent(productAdded('2026-12-01T10:01:00Z', 'c-2'), ports);

    // Act
    const cancelled = await cancelJourneyRuns(
      { journeyId: 'cart-recovery', customerId: 'camille', key: 'c-2', detail: 'support' },
      ports,
    );

    // Assess
    expect(cancelled).toBe(1);
    expect((await runs.get(cart))?.run.status).toBe('active');
    expect((await runs.get({ ...cart, key: 'c-2' }))?.run.exit).toMatchObject({
      reason: 'cancelled',
      detail: 'support',
    });
  });

  it('refuses a journey that is not deployed', async () => {
    // Prepare
    const { ports } = setUp();

    // Act
    const cancelling = cancelJourneyRuns({ journeyId: 'nope', customerId: 'camille' }, ports);

    // Assess
    await expect(cancelling).rejects.toBeInstanceOf(JourneyDefinitionError);
  });
});

describe('Function: applyEvent with key: false', () => {
  it("reaches every active run of the customer's journey", async () => {
    // Prepare
    const journey = aJourney({ id: 'any-cart', exitOn: [{ event: 'Account Closed', key: false }] });
    const waiting = aJourney({
      ...journey,
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT1H' },
        { id: 'done', type: 'exit' },
      ],
    });
    const clock = aFakeClock('2026-12-01T10:00:00Z');
    const { ports, runs } = inMemoryJourneyPorts([waiting], { now: () => clock.now() });
    await applyEvent(productAdded('2026-12-01T10:00:00Z', 'c-1'), ports);
    await applyEvent(productAdded('2026-12-01T10:00:00Z', 'c-2'), ports);

    // Act
    await applyEvent(aJourneyEvent('Account Closed', '2026-12-01T10:30:00Z'), ports);

    // Assess
    const ended = (await runs.ofCustomer('camille', 'any-cart')).map((stored) => stored.run.exit?.reason);
    expect(ended).toEqual(['goal', 'goal']);
  });
});
