import { attributionConfigFromEnv } from '../../../../functions/attribution-config';
import { ConfigurationError } from '../../../../functions/config';
import {
  activityIncrements,
  conversionIncrements,
  mergeIncrements,
} from '../../../../functions/domain/attribution/attribution-aggregates';
import { modelWeights } from '../../../../functions/domain/attribution/attribution-models';
import {
  type AttributionSettings,
  DEFAULT_ATTRIBUTION_SETTINGS,
} from '../../../../functions/domain/attribution/attribution-settings';
import { isWithinWindow, touchQueryRange } from '../../../../functions/domain/attribution/attribution-window';
import { type Conversion, conversionOf } from '../../../../functions/domain/attribution/conversion';
import {
  creditConversion,
  MAX_CREDITED_TOUCHES,
  type Touch,
} from '../../../../functions/domain/attribution/credit-conversion';
import { reportRows } from '../../../../functions/domain/attribution/read-attribution-report';
import type { LedgerChange } from '../../../../functions/domain/ledger-change-events';

const SETTINGS: AttributionSettings = {
  ...DEFAULT_ATTRIBUTION_SETTINGS,
  windowDaysByCategory: { transactional: 1 },
};

const aTouch = (messageId: string, sentAt: string, overrides: Partial<Touch> = {}): Touch => ({
  messageId,
  sentAt,
  channel: 'push',
  category: 'marketing',
  claimed: false,
  ...overrides,
});

const aConversionChange = (
  item: Record<string, unknown> = {},
  oldImage?: Record<string, unknown>,
): LedgerChange => ({
  table: 'messages',
  ...(oldImage ? { oldImage } : {}),
  newImage: {
    pk: 'customer#c1',
    sk: 'touchpoint#order-1',
    kind: 'touchpoint',
    type: 'track',
    name: 'Order Completed',
    messageId: 'order-1',
    customerId: 'c1',
    occurredAt: '2026-11-22T15:00:00.000Z',
    channel: 'store',
    properties: { revenue: 90, currency: 'eur' },
    ...item,
  },
});

describe('Function: modelWeights', () => {
  it('gives the last touch everything under last, the first under first, and equal thirds under linear', () => {
    // Act
    const weights = modelWeights([
      aTouch('b', '2026-11-21T00:00:00Z'),
      aTouch('c', '2026-11-22T00:00:00Z'),
      aTouch('a', '2026-11-20T00:00:00Z'),
    ]);

    // Assess
    expect(weights.map(({ touch, weight }) => [touch.messageId, weight])).toEqual([
      ['a', { last: 0, first: 1, linear: 1 / 3 }],
      ['b', { last: 0, first: 0, linear: 1 / 3 }],
      ['c', { last: 1, first: 0, linear: 1 / 3 }],
    ]);
  });
});

describe('Function: creditConversion', () => {
  const conversion = { occurredAt: '2026-11-22T15:00:00.000Z' };

  it('credits the touches sent within their category window before the conversion, and no claimed one', () => {
    // Act
    const credits = creditConversion(
      conversion,
      [
        aTouch('too-old', '2026-11-15T14:59:59.000Z'),
        aTouch('first', '2026-11-15T15:00:00.000Z'),
        aTouch('claimed', '2026-11-18T00:00:00.000Z', { claimed: true }),
        aTouch('receipt-out-of-window', '2026-11-21T14:00:00.000Z', { category: 'transactional' }),
        aTouch('receipt', '2026-11-22T14:00:00.000Z', { category: 'transactional', channel: 'email' }),
        aTouch('after', '2026-11-22T15:00:01.000Z'),
      ],
      SETTINGS,
    );

    // Assess
    expect(credits).toEqual([
      {
        messageId: 'first',
        channel: 'push',
        sentAt: '2026-11-15T15:00:00.000Z',
        weight: { last: 0, first: 1, linear: 0.5 },
      },
      {
        messageId: 'receipt',
        channel: 'email',
        sentAt: '2026-11-22T14:00:00.000Z',
        weight: { last: 1, first: 0, linear: 0.5 },
      },
    ]);
  });

  it(`credits only the latest ${MAX_CREDITED_TOUCHES} touches`, () => {
    // Prepare
    const touches = Array.from({ length: 12 }, (_, hour) =>
      aTouch(`m${hour + 1}`, `2026-11-22T${String(hour + 1).padStart(2, '0')}:00:00.000Z`),
    );

    // Act
    const credits = creditConversion(conversion, touches, SETTINGS);

    // Assess
    expect(credits).toHaveLength(MAX_CREDITED_TOUCHES);
    expect(credits[0]).toMatchObject({ messageId: 'm3', weight: { first: 1, linear: 0.1 } });
    expect(credits.at(-1)).toMatchObject({ messageId: 'm12', weight: { last: 1, linear: 0.1 } });
  });
});

describe('Function: touchQueryRange', () => {
  it('reads back the longest window and a day of send delay, up to the conversion', () => {
    // Act
    const range = touchQueryRange('2026-11-22T15:00:00.000Z', {
      ...SETTINGS,
      windowDaysByCategory: { marketing: 14 },
    });

    // Assess
    expect(range).toEqual({ from: '2026-11-07T15:00:00.000Z', to: '2026-11-22T15:00:00.000Z' });
    expect(
      isWithinWindow(
        { sentAt: '2026-11-08T15:00:00.000Z', category: 'marketing' },
        '2026-11-22T15:00:00.000Z',
        {
          ...SETTINGS,
          windowDaysByCategory: { marketing: 14 },
        },
      ),
    ).toBe(true);
  });
});

describe('Function: conversionOf', () => {
  it('reads a store purchase with its revenue and upper-cased currency', () => {
    // Act
    const conversion = conversionOf(aConversionChange(), SETTINGS);

    // Assess
    expect(conversion).toEqual({
      conversionId: 'order-1',
      customerId: 'c1',
      event: 'Order Completed',
      occurredAt: '2026-11-22T15:00:00.000Z',
      channel: 'store',
      revenue: 90,
      currency: 'EUR',
    });
  });

  it.each([
    [
      'total when there is no revenue',
      { properties: { total: 12.5, currency: 'USD' } },
      { revenue: 12.5, currency: 'USD' },
    ],
    ['no currency as XXX', { properties: { revenue: 7 } }, { revenue: 7, currency: 'XXX' }],
    ['a client source', { source: { sourceId: 's', kind: 'client' } }, { sourceKind: 'client' }],
  ])('reads %s', (_, item, expected) => {
    expect(conversionOf(aConversionChange(item), SETTINGS)).toMatchObject(expected);
  });

  it.each([
    ['another event', aConversionChange({ name: 'Product Viewed' })],
    ['an anonymous touchpoint', aConversionChange({ pk: 'anonymous#a1' })],
    ['a modified item', aConversionChange({}, { kind: 'touchpoint' })],
    ['a message', aConversionChange({ kind: 'message' })],
  ])('is not a conversion: %s', (_, change) => {
    expect(conversionOf(change, SETTINGS)).toBeUndefined();
  });
});

describe('Function: conversionIncrements', () => {
  it('adds each model’s share of conversions and revenue to every group of each credited message', () => {
    // Prepare
    const conversion: Conversion = {
      conversionId: 'o',
      customerId: 'c1',
      event: 'Order Completed',
      occurredAt: '2026-11-22T15:00:00.000Z',
      revenue: 90,
      currency: 'EUR',
      sourceKind: 'client',
    };
    const credits = creditConversion(
      conversion,
      [
        aTouch('a', '2026-11-20T00:00:00Z', { template: 't1' }),
        aTouch('b', '2026-11-21T00:00:00Z', { channel: 'sms', template: 't1' }),
      ],
      SETTINGS,
    );

    // Act
    const increments = conversionIncrements(conversion, credits);

    // Assess
    const of = (dimension: string, group: string) =>
      increments.find((increment) => increment.dimension === dimension && increment.group === group)?.add;
    expect(of('channel', 'push')).toEqual({
      conversions_first: 1,
      clientConversions_first: 1,
      revenue_first_EUR: 90,
      conversions_linear: 0.5,
      clientConversions_linear: 0.5,
      revenue_linear_EUR: 45,
    });
    expect(of('template', 't1')).toEqual({
      conversions_last: 1,
      clientConversions_last: 1,
      revenue_last_EUR: 90,
      conversions_first: 1,
      clientConversions_first: 1,
      revenue_first_EUR: 90,
      conversions_linear: 1,
      clientConversions_linear: 1,
      revenue_linear_EUR: 90,
    });
    expect(of('campaign', '(none)')).toMatchObject({ conversions_last: 1 });
    expect(increments.every((increment) => increment.day === '2026-11-22')).toBe(true);
  });
});

describe('Function: activityIncrements', () => {
  it('counts an attempt’s first sent and delivered once per dimension, merged per group', () => {
    // Prepare
    const attempt = {
      kind: 'attempt',
      customerId: 'c1',
      messageId: 'm1',
      channel: 'sms',
      template: 'welcome',
      metadata: { campaign: 'spring' },
      history: [
        { status: 'queued', at: '2026-11-20T09:59:00.000Z' },
        { status: 'sent', at: '2026-11-20T10:00:00.000Z' },
        { status: 'delivered', at: '2026-11-20T10:00:05.000Z' },
      ],
    };

    // Act
    const increments = mergeIncrements([
      ...activityIncrements({ table: 'messages', newImage: attempt }),
      ...activityIncrements({ table: 'messages', oldImage: attempt, newImage: attempt }),
    ]);

    // Assess
    expect(increments).toEqual([
      { day: '2026-11-20', dimension: 'channel', group: 'sms', add: { sent: 1, delivered: 1 } },
      { day: '2026-11-20', dimension: 'template', group: 'welcome', add: { sent: 1, delivered: 1 } },
      { day: '2026-11-20', dimension: 'campaign', group: 'spring', add: { sent: 1, delivered: 1 } },
    ]);
  });
});

describe('Function: reportRows', () => {
  it('sums every shard and day of a group, rounds linear thirds, and gives no rate without sends', () => {
    // Act
    const rows = reportRows(
      [
        {
          day: '2026-11-20',
          group: 'push',
          counters: { sent: 3, conversions_linear: 1 / 3, revenue_linear_EUR: 10 },
        },
        {
          day: '2026-11-21',
          group: 'push',
          counters: {
            sent: 1,
            conversions_linear: 1 / 3 + 1 / 3,
            revenue_linear_EUR: 20,
            revenue_last_EUR: 5,
          },
        },
        {
          day: '2026-11-21',
          group: 'email',
          counters: { conversions_linear: 0.5, clientConversions_linear: 0.5 },
        },
      ],
      'linear',
    );

    // Assess
    expect(rows).toEqual([
      {
        group: 'push',
        sent: 4,
        delivered: 0,
        engaged: 0,
        conversions: 1,
        conversionRate: 0.25,
        revenue: { EUR: 30 },
        clientReportedConversions: 0,
      },
      {
        group: 'email',
        sent: 0,
        delivered: 0,
        engaged: 0,
        conversions: 0.5,
        conversionRate: null,
        revenue: {},
        clientReportedConversions: 0.5,
      },
    ]);
  });
});

describe('Function: attributionConfigFromEnv', () => {
  it('reads the events, windows and shards', () => {
    expect(
      attributionConfigFromEnv({
        SWITCHBOARD_CONVERSION_EVENTS: '["Order Completed","Subscription Started"]',
        SWITCHBOARD_ATTRIBUTION_WINDOW_DAYS: '3',
        SWITCHBOARD_ATTRIBUTION_CATEGORY_WINDOW_DAYS: 'marketing=14, transactional=1',
        SWITCHBOARD_ATTRIBUTION_SHARDS: '64',
      }),
    ).toEqual({
      conversionEvents: ['Order Completed', 'Subscription Started'],
      windowDays: 3,
      windowDaysByCategory: { marketing: 14, transactional: 1 },
      shards: 64,
    });
  });

  it.each([
    ['SWITCHBOARD_CONVERSION_EVENTS', 'Order Completed'],
    ['SWITCHBOARD_ATTRIBUTION_WINDOW_DAYS', '0'],
    ['SWITCHBOARD_ATTRIBUTION_CATEGORY_WINDOW_DAYS', 'marketing'],
    ['SWITCHBOARD_ATTRIBUTION_SHARDS', '1000'],
  ])('rejects a malformed %s naming it', (name, value) => {
    expect(() => attributionConfigFromEnv({ [name]: value })).toThrow(new RegExp(name));
    expect(() => attributionConfigFromEnv({ [name]: value })).toThrow(ConfigurationError);
  });
});
