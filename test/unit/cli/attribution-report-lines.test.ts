import { attributionReportLines } from '../../../cli/commands/report';
import type { AttributionReport } from '../../../functions/contract';

/** A week's report by channel, as the API answers it. */
function aReport(overrides: Partial<AttributionReport> = {}): AttributionReport {
  return {
    from: '2026-11-30',
    to: '2026-12-06',
    groupBy: 'channel',
    model: 'last',
    rows: [
      {
        group: 'push',
        sent: 40,
        delivered: 38,
        engaged: 12,
        conversions: 6,
        conversionRate: 0.15,
        revenue: { EUR: 354 },
        clientReportedConversions: 0,
      },
    ],
    ...overrides,
  };
}

describe('Function: attributionReportLines', () => {
  it('prints the groups, then each journey with a holdout and its lift', () => {
    // Prepare
    const report = aReport({
      journeys: [
        {
          journeyId: 'cart-recovery',
          entered: 200,
          heldOut: 20,
          converted: 60,
          heldOutConverted: 4,
          lift: 0.5,
        },
        { journeyId: 'win-back', entered: 12, heldOut: 2, converted: 1, heldOutConverted: 0, lift: null },
      ],
    });

    // Act
    const lines = attributionReportLines(report);

    // Assess
    expect(lines).toEqual([
      'attribution by channel, last touch, 2026-11-30 to 2026-12-06',
      'group  sent  delivered  engaged  conversions  rate  revenue  client-reported',
      'push     40         38       12            6   15%  354 EUR                0',
      '',
      'journeys against their holdout, since deployed',
      'journey        entered  held-out  converted  held-out-converted  lift',
      'cart-recovery      200        20         60                   4  +50%',
      'win-back            12         2          1                   0     -',
    ]);
  });

  it('prints a negative lift with its sign, and no journey lines when no journey has a holdout', () => {
    // Act
    const withDrop = attributionReportLines(
      aReport({
        journeys: [
          { journeyId: 'nudge', entered: 10, heldOut: 5, converted: 2, heldOutConverted: 2, lift: -0.6 },
        ],
      }),
    );
    const without = attributionReportLines(aReport({ rows: [], journeys: [] }));

    // Assess
    expect(withDrop.at(-1)).toBe('nudge         10         5          2                   2  -60%');
    expect(without).toEqual([
      'attribution by channel, last touch, 2026-11-30 to 2026-12-06',
      'group  sent  delivered  engaged  conversions  rate  revenue  client-reported',
      '(nothing sent or converted in this period)',
    ]);
  });
});
