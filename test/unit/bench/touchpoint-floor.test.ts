import { touchpointFloorPerMillion } from '../../../bench/lib/touchpoint-floor';
import type { TouchpointMixCounts } from '../../../bench/lib/touchpoint-mix';

const none = {
  customerEvents: 0,
  anonymousEvents: 0,
  movedEvents: 0,
  traitIdentifies: 0,
  stitches: 0,
  conversions: 0,
};

function counts(fields: Partial<TouchpointMixCounts> & { events: number }): TouchpointMixCounts {
  return { ...none, ...fields };
}

describe('Function: touchpointFloorPerMillion', () => {
  it.each([
    // 1 HTTP API request ($1.00) + 1 invocation ($0.20) + 2 WRU ($1.25) + 0.5 RRU ($0.0625)
    [
      'a customer event, one per API request',
      counts({ events: 1, customerEvents: 1 }),
      { kind: 'api', eventsPerRequest: 1 } as const,
      2.5125,
    ],
    // 1/100 request ($0.01) + 1/100 invocation ($0.002) + 2 WRU + 0.5 RRU ($1.3125)
    [
      'a customer event in a batch of 100',
      counts({ events: 1, customerEvents: 1 }),
      { kind: 'api', eventsPerRequest: 100 } as const,
      1.3245,
    ],
    // 0.3 SQS ($0.12) + 0.1 invocation ($0.02) + 1 WRU ($0.625) + 1 RRU ($0.125)
    [
      'an anonymous event, one per SQS message',
      counts({ events: 1, anonymousEvents: 1 }),
      { kind: 'queue', eventsPerMessage: 1 } as const,
      0.89,
    ],
    // one block of the mix: 16 customer events (2 identifies with traits, 1 stitching), 4 anonymous
    // events moved by the stitch; 0.03 SQS ($0.012) + 0.01 invocation ($0.002)
    // + (32 + 4 + 12 + 2 + 2) / 20 = 2.6 WRU ($1.625) + (8 + 4 + 1) / 20 = 0.65 RRU ($0.08125)
    [
      'a block of the bench mix, ten events per SQS message',
      counts({
        events: 20,
        customerEvents: 16,
        anonymousEvents: 4,
        movedEvents: 4,
        traitIdentifies: 2,
        stitches: 1,
      }),
      { kind: 'queue', eventsPerMessage: 10 } as const,
      1.72025,
    ],
  ])('prices the fewest requests for %s', (_name, mix, transport, expected) => {
    // Act
    const floor = touchpointFloorPerMillion(mix, transport);

    // Assess
    expect(floor.total).toBeCloseTo(expected, 6);
    expect(floor.lambdaCompute).toBe(0);
    expect(floor.sns).toBe(0);
  });

  it('charges the HTTP API only on the API path and SQS only on the queue path', () => {
    // Prepare
    const mix = counts({ events: 10, customerEvents: 10 });

    // Act
    const api = touchpointFloorPerMillion(mix, { kind: 'api', eventsPerRequest: 1 });
    const queue = touchpointFloorPerMillion(mix, { kind: 'queue', eventsPerMessage: 1 });

    // Assess
    expect(api.httpApi).toBeCloseTo(1, 9);
    expect(api.sqs).toBe(0);
    expect(queue.httpApi).toBe(0);
    expect(queue.sqs).toBeCloseTo(0.12, 9);
    expect(api.dynamodb).toBeCloseTo(queue.dynamodb, 9);
  });

  it('charges the public ingest its invocation and one source read per request, and no HTTP API', () => {
    // Prepare
    const mix = counts({ events: 10, customerEvents: 10 });

    // Act
    const ingest = touchpointFloorPerMillion(mix, { kind: 'ingest', eventsPerRequest: 1 });
    const api = touchpointFloorPerMillion(mix, { kind: 'api', eventsPerRequest: 1 });

    // Assess
    expect(ingest.httpApi).toBe(0);
    expect(ingest.lambda).toBeCloseTo(api.lambda, 9);
    // 0.5 RRU more per event at $0.125 per million read units.
    expect(ingest.dynamodb - api.dynamodb).toBeCloseTo(0.0625, 9);
  });

  it('adds a conversion its item, its timeline entry, the query of its touches and a share of a stream invocation', () => {
    // Prepare
    const plain = counts({ events: 10, customerEvents: 10 });
    const converting = counts({ events: 10, customerEvents: 10, conversions: 10 });

    // Act
    const extra = (key: 'dynamodb' | 'lambda') =>
      touchpointFloorPerMillion(converting, { kind: 'queue', eventsPerMessage: 10 })[key] -
      touchpointFloorPerMillion(plain, { kind: 'queue', eventsPerMessage: 10 })[key];

    // Assess: 2 WRU ($1.25) + 0.5 RRU ($0.0625) per conversion; one invocation per 100 ($0.002).
    expect(extra('dynamodb')).toBeCloseTo(1.3125, 9);
    expect(extra('lambda')).toBeCloseTo(0.002, 9);
  });
});
