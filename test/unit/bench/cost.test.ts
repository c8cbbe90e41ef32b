import type { CallCount } from '../../../bench/lib/aws-requests';
import { carriesNews, costPerMillion, floorPerMillion, PRICES } from '../../../bench/lib/cost';

function aCall(service: string, call: string, counts: Partial<CallCount> = {}): CallCount {
  return { service, call, requests: 0, readUnits: 0, writeUnits: 0, gsiWriteUnits: 0, chunks: 0, ...counts };
}

describe('Function: costPerMillion', () => {
  it('prices each service from the counted requests, units and chunks', () => {
    // Prepare
    const usage = {
      calls: [
        aCall('DynamoDB', 'UpdateItem', { requests: 3, writeUnits: 3 }),
        aCall('DynamoDB', 'GetItem', { requests: 1, readUnits: 0.5 }),
        aCall('SQS', 'SendMessageBatch', { requests: 1, chunks: 1 }),
        aCall('SNS', 'Publish', { requests: 1, chunks: 1 }),
      ],
      lambda: new Map([['twilio-webhook', { invocations: 2, durationMs: 0 }]]),
      httpRequests: 2,
    };

    // Act
    const cost = costPerMillion(usage, 1);

    // Assess
    expect(cost.dynamodb).toBeCloseTo(3 * 0.625 + 0.5 * 0.125, 9);
    expect(cost.sqs).toBeCloseTo(0.4, 9);
    expect(cost.sns).toBeCloseTo(0.5, 9);
    expect(cost.lambda).toBeCloseTo(2 * 0.2, 9);
    expect(cost.total).toBeCloseTo(cost.dynamodb + cost.sqs + cost.sns + cost.lambda, 9);
  });

  it('charges nothing for webhook requests beyond their invocations (function URLs)', () => {
    // Prepare
    const usage = { calls: [], lambda: new Map(), httpRequests: 1_000 };

    // Act
    const cost = costPerMillion(usage, 1_000);

    // Assess
    expect(PRICES.functionUrlRequest).toBe(0);
    expect(cost.httpApi).toBe(0);
    expect(cost.total).toBe(0);
  });

  it('charges $1.00 per million requests through the HTTP API (POST /v1/events)', () => {
    // Prepare
    const usage = { calls: [], lambda: new Map(), httpRequests: 0, httpApiRequests: 10 };

    // Act
    const cost = costPerMillion(usage, 1_000);

    // Assess
    // 10 requests for 1,000 events: 10,000 per million events, at $1.00 per million requests.
    expect(cost.httpApi).toBeCloseTo(10_000 * PRICES.httpApiRequest, 9);
    expect(cost.total).toBeCloseTo(0.01, 9);
  });

  it('bills Lambda duration at 512 MB, rounded up to the millisecond', () => {
    // Prepare
    const usage = {
      calls: [],
      lambda: new Map([['x', { invocations: 0, durationMs: 999.2 }]]),
      httpRequests: 0,
    };

    // Act
    const cost = costPerMillion(usage, 1e6);

    // Assess
    expect(cost.lambdaCompute).toBeCloseTo(1 * 0.5 * PRICES.lambdaGbSecond, 12);
  });
});

describe('Function: floorPerMillion', () => {
  it.each([
    // router: 0.4 SQS ($0.16) + 0.1 invocation ($0.02) + 2 WRU ($1.25) + 1 RRU ($0.125)
    // + the message item's stream record: 0.1 ledger-stream invocation ($0.02)
    [
      'the router stage',
      { senders: false, usefulCallbacksPerMessage: 0, redundantCallbacksPerMessage: 0 },
      1.575,
    ],
    // + sender: 0.2 SQS ($0.08) + 0.1 invocation ($0.02) + 2 WRU ($1.25) + 2 stream records ($0.04)
    [
      'router and sender',
      { senders: true, usefulCallbacksPerMessage: 0, redundantCallbacksPerMessage: 0 },
      2.965,
    ],
    // + delivered: invocation ($0.20) + 1 WRU ($0.625) + a stream record ($0.02) + 1/10 SNS
    // publish ($0.05); + sent: invocation ($0.20)
    [
      'an SMS with sent and delivered callbacks',
      { senders: true, usefulCallbacksPerMessage: 1, redundantCallbacksPerMessage: 1 },
      4.06,
    ],
    // + check: 0.3 SQS ($0.12) + 0.1 invocation ($0.02) + 0.5 RRU ($0.0625)
    [
      'the same with a receipt check',
      {
        senders: true,
        usefulCallbacksPerMessage: 1,
        redundantCallbacksPerMessage: 1,
        receiptChecksPerMessage: 1,
      },
      4.2625,
    ],
  ] as const)('costs %s at the floor', (_name, stages, expected) => {
    // Act
    const floor = floorPerMillion(stages);

    // Assess
    expect(floor.total).toBeCloseTo(expected, 6);
    expect(floor.httpApi).toBe(0);
    expect(floor.lambdaCompute).toBe(0);
  });
});

describe('Function: carriesNews', () => {
  const twilio = (sid: string, status: string) => ({
    rawPath: '/webhooks/twilio/status',
    body: new URLSearchParams({ MessageSid: sid, MessageStatus: status }).toString(),
  });
  const sendgrid = (events: unknown[]) => ({
    rawPath: '/webhooks/sendgrid/events',
    body: Buffer.from(JSON.stringify(events)).toString('base64'),
    isBase64Encoded: true,
  });

  it.each([
    ['a Twilio sent callback', [twilio('SM1', 'sent')], [false]],
    [
      'a Twilio delivered callback and its retry',
      [twilio('SM1', 'delivered'), twilio('SM1', 'delivered')],
      [true, false],
    ],
    ['a SendGrid processed event', [sendgrid([{ event: 'processed', sg_event_id: 'a' }])], [false]],
    [
      'a SendGrid batch with a delivery, then its retry',
      [
        sendgrid([
          { event: 'processed', sg_event_id: 'a' },
          { event: 'delivered', sg_event_id: 'b' },
        ]),
        sendgrid([{ event: 'delivered', sg_event_id: 'b' }]),
      ],
      [true, false],
    ],
    ['an inbound message', [{ rawPath: '/webhooks/twilio/inbound', body: 'Body=hi' }], [true]],
  ])('classifies %s', (_name, requests, expected) => {
    // Prepare
    const seen = new Set<string>();

    // Act
    const news = requests.map((request) => carriesNews(request, seen));

    // Assess
    expect(news).toEqual(expected);
  });
});
