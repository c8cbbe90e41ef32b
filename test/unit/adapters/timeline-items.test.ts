import { runItem } from '../../../functions/adapters/dynamodb/journey-run-store';
import {
  toConsentRow,
  toConversionEntry,
  toJourneyRows,
  toTimelineRow,
} from '../../../functions/adapters/dynamodb/timeline-items';
import type { JourneyRun } from '../../../functions/domain/journeys';
import { aFakeClock, aJourneyEvent, aSeedJourney, RunDriver } from '../../helpers/journeys';

describe('Function: toTimelineRow', () => {
  it('maps a touchpoint item with the Segment call as `call` and its place as its channel', () => {
    // Act
    const row = toTimelineRow({
      kind: 'touchpoint',
      gsi1sk: '2026-11-23T10:00:00.000Z#touchpoint#tp1',
      messageId: 'tp1',
      type: 'page',
      name: 'Cart',
      channel: 'web',
      occurredAt: '2026-11-23T10:00:00.000Z',
      receivedAt: '2026-11-23T10:00:01.000Z',
    });

    // Assess
    expect(row).toEqual({
      sortKey: '2026-11-23T10:00:00.000Z#touchpoint#tp1',
      type: 'touchpoint',
      channels: ['web'],
      entry: {
        type: 'touchpoint',
        at: '2026-11-23T10:00:00.000Z',
        call: 'page',
        messageId: 'tp1',
        name: 'Cart',
        channel: 'web',
        occurredAt: '2026-11-23T10:00:00.000Z',
        receivedAt: '2026-11-23T10:00:01.000Z',
      },
    });
  });

  it('filters a message by the channels of its planned attempts', () => {
    // Act
    const row = toTimelineRow({
      kind: 'message',
      gsi1sk: '2026-11-23T10:00:00.000Z#m1',
      messageId: 'm1',
      createdAt: '2026-11-23T10:00:00.000Z',
      status: 'queued',
      attempts: [
        { channel: 'push', attempt: 1 },
        { channel: 'whatsapp', attempt: 2 },
      ],
    });

    // Assess
    expect(row).toMatchObject({ type: 'message', channels: ['push', 'whatsapp'] });
  });

  it('leaves out a kind it does not know (a later writer may add one)', () => {
    // Act and assess
    expect(toTimelineRow({ kind: 'journey', gsi1sk: '2026-11-23T10:00:00.000Z#journey#j1' })).toBeUndefined();
  });
});

describe('Function: toConsentRow', () => {
  it('sorts a consent change by its instant, however its time was written', () => {
    // Act
    const row = toConsentRow({
      category: 'marketing',
      channel: 'sms',
      status: 'opted_out',
      at: '2026-11-23T11:00:00+01:00',
      source: 'sms-keyword',
      reason: 'STOP',
      providerMessageId: 'SM1',
    });

    // Assess
    expect(row).toEqual({
      sortKey: '2026-11-23T10:00:00.000Z#consent#marketing#sms',
      type: 'consent',
      channels: ['sms'],
      entry: {
        type: 'consent',
        at: '2026-11-23T11:00:00+01:00',
        category: 'marketing',
        channel: 'sms',
        status: 'opted_out',
        source: 'sms-keyword',
        reason: 'STOP',
      },
    });
  });
});

describe('Function: toConversionEntry', () => {
  it('keeps only well-formed optional fields and fills missing weights with 0', () => {
    // Act
    const entry = toConversionEntry({
      conversionId: 'tp9',
      event: 'Order Completed',
      occurredAt: '2026-11-23T12:00:00.000Z',
      revenue: '89.90',
      sourceKind: 'browser',
      credits: [{ messageId: 'm1', channel: 'push', weight: { last: 1 } }],
    });

    // Assess
    expect(entry).toEqual({
      type: 'conversion',
      at: '2026-11-23T12:00:00.000Z',
      conversionId: 'tp9',
      event: 'Order Completed',
      occurredAt: '2026-11-23T12:00:00.000Z',
      credits: [{ messageId: 'm1', channel: 'push', weight: { last: 1, first: 0, linear: 0 } }],
    });
  });
});

describe('Function: toJourneyRows', () => {
  it("keeps a run's entries in order within one instant: entered before the wait it went into", () => {
    // Prepare
    const driver = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock('2026-11-23T09:00:00Z'));
    driver.enter(aJourneyEvent('Product Added', '2026-11-23T09:00:00.000Z', { cartId: 'c-1' }));
    const runId = driver.run!.runId;

    // Act
    const rows = toJourneyRows(
      runItem({ run: driver.run as JourneyRun, dispatched: {}, lastEffects: [] }, new Date(), 3600),
    );

    // Assess
    expect(rows.map((row) => [row.sortKey, row.type, row.channels])).toEqual([
      [`2026-11-23T09:00:00.000Z#journey#${runId}#0000`, 'journey', []],
      [`2026-11-23T09:00:00.000Z#journey#${runId}#0001`, 'journey', []],
    ]);
  });

  it('reads nothing from an item that is not a run', () => {
    // Act
    const rows = [toJourneyRows({ kind: 'message', run: {} }), toJourneyRows({ kind: 'journey-run' })];

    // Assess
    expect(rows).toEqual([[], []]);
  });
});
