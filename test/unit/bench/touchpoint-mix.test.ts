import { touchpointMix } from '../../../bench/lib/touchpoint-mix';
import { safeParseWith, TouchpointEventSchema } from '../../../functions/contract';

describe('Function: touchpointMix', () => {
  const customerIds = Array.from({ length: 50 }, (_, index) => `customer-${index}`);

  it('publishes 70% tracks with a userId, 20% anonymous tracks and pages, 10% identifies', () => {
    // Act
    const { events, counts } = touchpointMix({ n: 200, customerIds, runId: 'run' });

    // Assess
    const identifies = events.filter((event) => event.type === 'identify');
    const anonymous = events.filter((event) => event.userId === undefined);
    expect(events).toHaveLength(200);
    expect(identifies).toHaveLength(20);
    expect(anonymous).toHaveLength(40);
    expect(events.length - identifies.length - anonymous.length).toBe(140);
    expect(counts).toEqual({
      events: 200,
      customerEvents: 160,
      anonymousEvents: 40,
      movedEvents: 20,
      traitIdentifies: 20,
      stitches: 5,
      // The tracks cycle through four names, one of them Order Completed.
      conversions: 30,
    });
  });

  it('makes only events the contract accepts, each with its own messageId', () => {
    // Act
    const { events } = touchpointMix({ n: 100, customerIds, runId: 'run' });

    // Assess
    expect(events.filter((event) => !safeParseWith(TouchpointEventSchema, event).success)).toEqual([]);
    expect(new Set(events.map((event) => event.messageId)).size).toBe(100);
  });

  it('expects a stitched visitor history on the customer and an unstitched one on the visitor', () => {
    // Act
    const { events, homes } = touchpointMix({ n: 40, customerIds, runId: 'run' });

    // Assess
    const stitch = events.find((event) => event.type === 'identify' && event.anonymousId !== undefined);
    expect(stitch?.anonymousId).toBe('run-visitor-0');
    expect(homes.get('run-7')).toBe(`customer#${stitch?.userId}`);
    expect(homes.get('run-18')).toBe(`customer#${stitch?.userId}`);
    expect(homes.get('run-27')).toBe('anonymous#run-visitor-1');
    expect(homes.get('run-0')).toBe('customer#customer-0');
  });
});
