import {
  conditionsHold,
  entryKeyOf,
  matchesEntry,
  matchesEvent,
  NO_KEY,
} from '../../../../functions/domain/journeys';
import { aJourney, aJourneyEvent } from '../../../helpers/journeys';

const AT = '2026-11-23T09:00:00Z';

/** A Switchboard event (not a touchpoint) as a journey sees it. */
const aSwitchboardEvent = (name: string, body: Record<string, unknown>) =>
  aJourneyEvent(name, AT, {}, { body: { type: name, customerId: 'camille', ...body } });

describe('Function: matchesEntry', () => {
  it('starts on an inbound keyword, whatever its case, and not on another first word', () => {
    // Prepare
    const journey = aJourney({ entry: { event: 'message.inbound', keyword: 'JOIN' } });

    // Act
    const matches = ['join', 'Join the club', 'please JOIN', ''].map((text) =>
      matchesEntry(journey, aSwitchboardEvent('message.inbound', { text })),
    );

    // Assess
    expect(matches).toEqual([true, true, false, false]);
  });

  it('starts on a click and on an opt-out, one run per customer when there is no key', () => {
    // Prepare
    const clicked = aJourney({ entry: { event: 'message.clicked' } });
    const optedOut = aJourney({
      entry: { event: 'customer.consent_changed', where: [{ path: 'status', equals: 'opted_out' }] },
    });
    const optOut = aSwitchboardEvent('customer.consent_changed', { status: 'opted_out', channel: 'sms' });
    const optIn = aSwitchboardEvent('customer.consent_changed', { status: 'opted_in', channel: 'sms' });
    const click = aSwitchboardEvent('message.clicked', { channel: 'push' });

    // Act
    const clickStarts = matchesEntry(clicked, click);
    const optOutStarts = [matchesEntry(optedOut, optOut), matchesEntry(optedOut, optIn)];

    // Assess
    expect(clickStarts).toBe(true);
    expect(entryKeyOf(clicked, click)).toBe(NO_KEY);
    expect(optOutStarts).toEqual([true, false]);
  });

  it('starts nothing for an event without the key the journey is keyed by', () => {
    // Prepare
    const journey = aJourney();

    // Act
    const withoutCart = matchesEntry(journey, aJourneyEvent('Product Added', AT, { sku: 'SHIRT-42' }));
    const numericCart = aJourneyEvent('Product Added', AT, { cartId: 1234 });

    // Assess
    expect(withoutCart).toBe(false);
    expect(entryKeyOf(journey, numericCart)).toBe('1234');
  });
});

describe('Function: matchesEvent', () => {
  it('matches a goal on the run key by default, and on any key with key: false', () => {
    // Prepare
    const journey = aJourney();
    const otherCart = aJourneyEvent('Order Completed', AT, { cartId: 'c-2' });

    // Act
    const byKey = matchesEvent({ event: 'Order Completed' }, journey, otherCart, 'c-1');
    const anyKey = matchesEvent({ event: 'Order Completed', key: false }, journey, otherCart, 'c-1');
    const ownPath = matchesEvent(
      { event: 'Order Completed', key: 'properties.basketId' },
      journey,
      aJourneyEvent('Order Completed', AT, { basketId: 'c-1' }),
      'c-1',
    );

    // Assess
    expect([byKey, anyKey, ownPath]).toEqual([false, true, true]);
  });
});

describe('Function: conditionsHold', () => {
  it.each([
    [{ path: 'a', equals: 1 }, true],
    [{ path: 'a', notEquals: 1 }, false],
    [{ path: 'b', in: ['x', 'y'] }, true],
    [{ path: 'missing', exists: false }, true],
    [{ path: 'a', gt: 1 }, false],
    [{ path: 'a', lte: 1 }, true],
    [{ path: 'b', gte: 0 }, false],
    [{ path: 'list', contains: 'shirt' }, true],
    [{ path: 'b', contains: 'x' }, true],
  ])('tests %j against { a: 1, b: "x", list: ["shirt"] }: %s', (condition, expected) => {
    // Act
    const holds = conditionsHold([condition], { a: 1, b: 'x', list: ['shirt'] });

    // Assess
    expect(holds).toBe(expected);
  });
});
