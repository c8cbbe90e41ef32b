import { requestIdFor } from '../../../../functions/domain/journeys';
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

describe('Function: advance (each step kind)', () => {
  it('takes the timed-out path of cart-recovery: push after 1 hour, WhatsApp a day later, then exits', () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(T0));
    const added = aJourneyEvent('Product Added', T0, {
      cartId: 'c-1',
      total: 59.9,
      cartUrl: 'https://shop.example.com/c-1',
    });

    // Act
    const entered = driver.enter(added);
    const afterHour = driver.fireTimer();
    const afterDay = driver.fireTimer();

    // Assess
    expect(effectsOf(entered, 'scheduleTimer')).toEqual([
      expect.objectContaining({ at: '2026-11-23T10:00:00.000Z' }),
    ]);
    expect(effectsOf(afterHour, 'send').map((send) => send.request.routing?.channels?.[0])).toEqual(['push']);
    expect(effectsOf(afterHour, 'scheduleTimer')).toEqual([
      expect.objectContaining({ at: '2026-11-24T10:00:00.000Z' }),
    ]);
    expect(effectsOf(afterDay, 'send').map((send) => send.request.routing?.channels)).toEqual([['whatsapp']]);
    expect(driver.run?.status).toBe('exited');
    expect(driver.run?.exit).toEqual({
      reason: 'completed',
      at: '2026-11-24T10:00:00.000Z',
      detail: 'reminders sent',
    });
    expect(driver.run?.path.map((entry) => `${entry.stepId}:${entry.outcome}`)).toEqual([
      'wait-for-order:timeout',
      'push-reminder:sent cart-reminder',
      'wait-again:timeout',
      'whatsapp-reminder:sent cart-reminder',
      'reminded:exit',
    ]);
  });

  it('sends a MessageRequest whose requestId is the run and the step, with data from the entry, matched events, dataFrom paths and the step', () => {
    // Prepare
    const journey = aJourney({
      steps: [
        {
          id: 'wait-checkout',
          type: 'waitFor',
          event: 'Checkout Started',
          timeout: 'PT1H',
          onEvent: 'remind',
          onTimeout: 'done',
        },
        {
          id: 'remind',
          type: 'send',
          template: 'cart-reminder',
          category: 'marketing',
          data: { discountPercent: 10, total: 1 },
          dataFrom: {
            firstName: 'customer.attributes.firstName',
            coupon: 'entry.properties.nope',
            cart: 'entry.properties.cartId',
          },
          routing: { channels: ['push'] },
          next: 'done',
        },
        { id: 'done', type: 'exit' },
      ],
    });
    const driver = new RunDriver(journey, aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-1', items: ['shirt'], total: 59.9 }));

    // Act
    const result = driver.event(
      aJourneyEvent('Checkout Started', '2026-11-23T09:10:00Z', { cartId: 'c-1', coupon: 'X' }),
    );

    // Assess
    const [send] = effectsOf(result, 'send');
    const runId = driver.run!.runId;
    expect(send?.request).toEqual({
      schemaVersion: 1,
      requestId: requestIdFor(runId, 'remind'),
      customerId: 'camille',
      category: 'marketing',
      template: 'cart-reminder',
      data: {
        cartId: 'c-1',
        items: ['shirt'],
        total: 1,
        coupon: 'X',
        discountPercent: 10,
        firstName: 'Camille',
        cart: 'c-1',
      },
      routing: { channels: ['push'], fallback: true },
      metadata: {
        journeyId: 'test-journey',
        journeyVersion: '1',
        journeyRunId: runId,
        journeyKey: 'c-1',
        journeyStepId: 'remind',
      },
    });
    expect(send?.request.requestId).toBe(`${runId}.remind`);
  });

  it('sends the post-purchase thank-you with Segment e-commerce properties mapped to the template names', () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('post-purchase'), aFakeClock(T0));
    const products = [{ product_id: 'LINEN-SHIRT-M', name: 'Linen shirt (M)', price: 53.91, quantity: 1 }];
    // Segment's `total` is what she paid; `revenue` leaves out shipping and tax.
    const order = aJourneyEvent('Order Completed', T0, {
      orderId: 'LS-1',
      total: 53.91,
      revenue: 49.5,
      products,
    });

    // Act
    const result = driver.enter({ ...order, body: { ...order.body, context: { channel: 'store' } } });

    // Assess
    const [send] = effectsOf(result, 'send');
    expect(send?.request).toMatchObject({
      template: 'order-thank-you',
      category: 'transactional',
      data: {
        orderNumber: 'LS-1',
        total: 53.91,
        items: products,
        purchasedAt: T0,
        suggestion: { name: 'Wool scarf' },
      },
    });
    expect(driver.run?.exit?.detail).toBe('thanked');
  });

  it('waits a duration, then goes on when its timer fires', () => {
    // Prepare
    const journey = aJourney({
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT2H30M' },
        { id: 'remind', type: 'send', content: { text: 'Still there?' }, category: 'marketing' },
        { id: 'done', type: 'exit' },
      ],
    });
    const driver = new RunDriver(journey, aFakeClock(T0));

    // Act
    const entered = driver.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-1' }));
    const woke = driver.fireTimer();

    // Assess
    expect(effectsOf(entered, 'send')).toEqual([]);
    expect(driver.results[0]?.run?.position?.until).toBe('2026-11-23T11:30:00.000Z');
    expect(effectsOf(woke, 'send')[0]?.request.content).toEqual({ text: 'Still there?' });
    expect(effectsOf(woke, 'send')[0]?.request).not.toHaveProperty('data');
    expect(driver.run?.status).toBe('exited');
  });

  it.each([
    ['later the same day', '2026-11-23T06:00:00Z', '2026-11-23T08:00:00.000Z'],
    ['the next day once the time has passed', '2026-11-23T09:30:00Z', '2026-11-24T08:00:00.000Z'],
    ['across the spring-forward change', '2026-03-28T12:00:00Z', '2026-03-29T07:00:00.000Z'],
  ])('waits until 09:00 on the customer clock in Paris: %s', (_case, at, expected) => {
    // Prepare
    const journey = aJourney({
      steps: [
        { id: 'morning', type: 'wait', until: '09:00' },
        { id: 'done', type: 'exit' },
      ],
    });
    const driver = new RunDriver(journey, aFakeClock(at), { timezone: 'Europe/Paris' });

    // Act
    const entered = driver.enter(aJourneyEvent('Product Added', at, { cartId: 'c-1' }));

    // Assess
    expect(effectsOf(entered, 'scheduleTimer')[0]?.at).toBe(expected);
  });

  it('resumes a waitFor at onEvent when the event carries the run key, cancelling the timeout', () => {
    // Prepare
    const journey = aJourney({
      exitOn: [],
      steps: [
        {
          id: 'wait-order',
          type: 'waitFor',
          event: 'Order Completed',
          timeout: 'PT1H',
          onEvent: 'bought',
          onTimeout: 'remind',
        },
        { id: 'remind', type: 'send', template: 'cart-reminder', category: 'marketing', next: 'gave-up' },
        { id: 'gave-up', type: 'exit' },
        { id: 'bought', type: 'exit', reason: 'bought' },
      ],
    });
    const driver = new RunDriver(journey, aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-1' }));
    const token = driver.run!.position!.timerToken;

    // Act
    const otherCart = driver.event(
      aJourneyEvent('Order Completed', '2026-11-23T09:20:00Z', { cartId: 'c-2' }),
    );
    const sameCart = driver.event(
      aJourneyEvent('Order Completed', '2026-11-23T09:30:00Z', { cartId: 'c-1' }),
    );

    // Assess
    expect(otherCart.changed).toBe(false);
    expect(effectsOf(sameCart, 'cancelTimer')).toEqual([
      { type: 'cancelTimer', runId: driver.run!.runId, token },
    ]);
    expect(driver.run?.exit?.detail).toBe('bought');
    expect(Object.keys(driver.run!.matched)).toEqual(['wait-order']);
    expect(allSends(driver)).toEqual([]);
  });

  it('branches on customer attributes and entry properties, in case order', () => {
    // Prepare
    const journey = aJourney({
      steps: [
        {
          id: 'which',
          type: 'branch',
          cases: [
            {
              when: [
                { path: 'customer.attributes.tier', equals: 'gold' },
                { path: 'entry.properties.total', gte: 100 },
              ],
              next: 'vip',
            },
            { when: [{ path: 'entry.properties.total', lt: 20 }], next: 'small' },
          ],
          otherwise: 'standard',
        },
        { id: 'vip', type: 'exit', reason: 'vip' },
        { id: 'small', type: 'exit', reason: 'small' },
        { id: 'standard', type: 'exit', reason: 'standard' },
      ],
    });
    const run = (tier: string, total: number) => {
      const driver = new RunDriver(journey, aFakeClock(T0), { attributes: { tier } });
      driver.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-1', total }));
      return driver.run?.exit?.detail;
    };

    // Act
    const outcomes = [run('gold', 150), run('silver', 150), run('gold', 10), run('silver', 50)];

    // Assess
    expect(outcomes).toEqual(['vip', 'standard', 'small', 'standard']);
  });

  it('branches on the properties of an event a waitFor matched', () => {
    // Prepare
    const journey = aJourney({
      exitOn: [],
      steps: [
        {
          id: 'wait-checkout',
          type: 'waitFor',
          event: 'Checkout Started',
          timeout: 'PT1H',
          onEvent: 'coupon',
          onTimeout: 'none',
        },
        {
          id: 'coupon',
          type: 'branch',
          cases: [
            { when: [{ path: 'events.wait-checkout.properties.coupon', exists: true }], next: 'had-coupon' },
          ],
          otherwise: 'none',
        },
        { id: 'had-coupon', type: 'exit', reason: 'had-coupon' },
        { id: 'none', type: 'exit', reason: 'none' },
      ],
    });
    const driver = new RunDriver(journey, aFakeClock(T0));
    driver.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-1' }));

    // Act
    driver.event(
      aJourneyEvent('Checkout Started', '2026-11-23T09:10:00Z', { cartId: 'c-1', coupon: 'WELCOME' }),
    );

    // Assess
    expect(driver.run?.exit?.detail).toBe('had-coupon');
  });

  it.each([
    ['read', 'read', 'engaged'],
    ['clicked', 'read', 'engaged'],
    ['delivered', 'read', 'not-engaged'],
    ['failed', 'failed', 'engaged'],
    ['bounced', 'failed', 'engaged'],
  ] as const)(
    'branches on an earlier send step outcome: status %s tested for %s goes to %s',
    (status, outcome, expected) => {
      // Prepare
      const journey = aJourney({
        steps: [
          { id: 'remind', type: 'send', template: 'cart-reminder', category: 'marketing' },
          { id: 'pause', type: 'wait', duration: 'PT4H' },
          {
            id: 'check',
            type: 'branch',
            cases: [{ when: [{ step: 'remind', outcome }], next: 'engaged' }],
            otherwise: 'not-engaged',
          },
          { id: 'engaged', type: 'exit', reason: 'engaged' },
          { id: 'not-engaged', type: 'exit', reason: 'not-engaged' },
        ],
      });
      const driver = new RunDriver(journey, aFakeClock(T0));
      const entered = driver.enter(aJourneyEvent('Product Added', T0, { cartId: 'c-1' }));
      const requestId = effectsOf(entered, 'send')[0]!.request.requestId;

      // Act
      driver.step('2026-11-23T09:05:00Z', { kind: 'messageStatus', requestId, status });
      driver.fireTimer();

      // Assess
      expect(driver.run?.exit?.detail).toBe(expected);
    },
  );

  it('splits by percentage, the same path for the same customer every time', () => {
    // Prepare
    const journey = aJourney({
      steps: [
        {
          id: 'ab',
          type: 'split',
          paths: [
            { percent: 30, next: 'a' },
            { percent: 70, next: 'b' },
          ],
        },
        { id: 'a', type: 'exit', reason: 'a' },
        { id: 'b', type: 'exit', reason: 'b' },
      ],
    });
    const pathOf = (customerId: string, cartId: string) => {
      const driver = new RunDriver(journey, aFakeClock(T0));
      driver.enter(aJourneyEvent('Product Added', T0, { cartId }, { customerId }));
      return driver.run?.exit?.detail;
    };
    const customers = Array.from({ length: 2000 }, (_, index) => `customer-${index}`);

    // Act
    const first = customers.map((customerId) => pathOf(customerId, 'c-1'));
    const again = customers.map((customerId) => pathOf(customerId, 'c-2'));

    // Assess
    expect(again).toEqual(first);
    const shareA = first.filter((path) => path === 'a').length / customers.length;
    expect(shareA).toBeGreaterThan(0.26);
    expect(shareA).toBeLessThan(0.34);
  });
});
