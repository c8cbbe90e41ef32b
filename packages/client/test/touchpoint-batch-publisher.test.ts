import { Logger } from '@aws-lambda-powertools/logger';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createRecordTouchpointsHandler } from '../../../functions/handlers/record-touchpoints';
import { touchpointPorts } from '../../../functions/wiring/touchpoint-ports';
import { isolatedResources, testClients } from '../../../test/helpers/emulators';
import { anSqsEvent } from '../../../test/helpers/factories';
import { timelineReader } from '../../../test/helpers/timeline';
import { anAnonymousId, aTrackEvent } from '../../../test/helpers/touchpoints';
import {
  ContractValidationError,
  packTouchpointRequests,
  SQS_SEND_BATCH_LIMITS,
  TouchpointBatchPublisher,
  type TouchpointPublishResult,
} from '../src';

const limits = {
  eventsPerMessage: 100,
  messageBytes: 256 * 1024,
  messagesPerRequest: 10,
  requestBytes: 256 * 1024,
};
const sized = (count: number, bytes: number) => Array.from({ length: count }, () => ({ json: '', bytes }));
const bodySize = (eventBytes: number, events: number) =>
  '{"batch":[]}'.length + eventBytes * events + events - 1;

describe('Function: packTouchpointRequests', () => {
  it('puts at most 100 events in a message and ten messages in a request', () => {
    // Act
    const requests = packTouchpointRequests(sized(2_050, 100), limits);

    // Assess
    expect(requests.map((request) => request.map((message) => message.length))).toEqual([
      [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
      [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
      [50],
    ]);
    expect(requests.flat(2)).toEqual(Array.from({ length: 2_050 }, (_, index) => index));
  });

  it('keeps every request within 256 KiB in all, however the bytes fall on its messages', () => {
    // Prepare: events of 3 KB, so that bytes, not counts, close messages and requests.
    const events = sized(400, 3_000);

    // Act
    const requests = packTouchpointRequests(events, limits);

    // Assess
    for (const request of requests) {
      const bytes = request.reduce((sum, message) => sum + bodySize(3_000, message.length), 0);
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
      expect(request.length).toBeLessThanOrEqual(10);
    }
    expect(requests.flat(2)).toHaveLength(400);
    expect(requests[0]?.flat()).toHaveLength(Math.floor((256 * 1024) / 3_001));
  });
});

describe('Class: TouchpointBatchPublisher', () => {
  const clients = testClients();
  const silent = new Logger({ serviceName: 'publisher-test', logLevel: 'SILENT' });
  afterAll(() => clients.destroy());

  async function drain(queueUrl: string): Promise<string[]> {
    const bodies: string[] = [];
    for (;;) {
      const received = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (!received.Messages?.length) return bodies;
      bodies.push(...received.Messages.map((message) => message.Body ?? ''));
    }
  }

  it('publishes batches that the touchpoints consumer stores, every event once, on flush', async () => {
    // Prepare
    const resources = await isolatedResources();
    const config = {
      customersTable: resources.tables.customers,
      messagesTable: resources.tables.messages,
      retentionDays: 400,
    };
    const consumer = createRecordTouchpointsHandler({
      ...touchpointPorts(config, clients.dynamodb),
      logger: silent,
    });
    const timeline = timelineReader(resources, clients.dynamodb);
    const publisher = new TouchpointBatchPublisher({
      client: clients.sqs,
      queueUrl: resources.queues.touchpoints,
      flushIntervalMs: 0,
    });
    const customerId = `c-batched-${anAnonymousId()}`;
    const anonymousId = anAnonymousId();

    // Act
    const published = [
      publisher.page({ anonymousId, name: 'Shirts', context: { channel: 'web' } }),
      publisher.track({ anonymousId, event: 'Product Added', properties: { cartId: 'cart-1' } }),
      ...Array.from({ length: 150 }, (_, index) =>
        publisher.track({ userId: customerId, event: 'Product Viewed', properties: { index } }),
      ),
      publisher.identify({ userId: customerId, anonymousId, traits: { plan: 'gold' } }),
    ];
    const flushed = await publisher.flush();
    const bodies = await drain(resources.queues.touchpoints);
    const response = await consumer(anSqsEvent(bodies));

    // Assess
    const results = await Promise.all(published);
    expect(results.every((result) => result.status === 'published')).toBe(true);
    expect(flushed.map((result) => result.messageId).sort()).toEqual(
      results.map((result) => result.messageId).sort(),
    );
    const sizes = bodies.map((body) => (JSON.parse(body) as { batch: unknown[] }).batch.length);
    expect(sizes.sort((a, b) => a - b)).toEqual([3, 25, 25, 25, 25, 25, 25]);
    expect(response.batchItemFailures).toEqual([]);
    const stored: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await timeline.timeline(customerId, {
        limit: 100,
        types: ['touchpoint'],
        ...(cursor ? { cursor } : {}),
      });
      for (const entry of page.entries) if (entry.type === 'touchpoint') stored.push(entry.messageId);
      cursor = page.nextCursor;
    } while (cursor);
    expect(stored.sort()).toEqual(results.map((result) => result.messageId).sort());
  });

  it('sends a full request without waiting for flush, and the rest when the interval ends', async () => {
    // Prepare
    const { queues } = await isolatedResources();
    const publisher = new TouchpointBatchPublisher({
      client: clients.sqs,
      queueUrl: queues.touchpoints,
      maxEventsPerMessage: 2,
      flushIntervalMs: 200,
    });
    const customerId = `c-size-${anAnonymousId()}`;

    // Act: 20 events fill one request of ten messages of two, which goes at once; the 21st waits.
    const published = Array.from({ length: 20 }, () =>
      publisher.track({ userId: customerId, event: 'Page Scrolled' }),
    );
    const afterTwenty = publisher.buffered;
    published.push(publisher.track({ userId: customerId, event: 'Page Scrolled' }));
    const firstTwenty = await Promise.all(published.slice(0, 20));
    const waiting = publisher.buffered;
    const last = await published[20];

    // Assess
    expect(firstTwenty.every((result) => result.status === 'published')).toBe(true);
    expect(afterTwenty).toBe(0);
    expect(waiting).toBe(1);
    expect(last?.status).toBe('published');
    expect(publisher.buffered).toBe(0);
    const bodies = await drain(queues.touchpoints);
    const sizes = bodies.map((body) => (JSON.parse(body) as { batch: unknown[] }).batch.length);
    expect(sizes.sort((a, b) => a - b)).toEqual([1, ...Array.from({ length: 10 }, () => 2)]);
  });

  it('reports every event of a request SQS refused as failed, to its caller, to flush and to onResults', async () => {
    // Prepare
    const { queues } = await isolatedResources();
    const reported: TouchpointPublishResult[] = [];
    const publisher = new TouchpointBatchPublisher({
      client: clients.sqs,
      queueUrl: `${queues.touchpoints}-that-does-not-exist`,
      flushIntervalMs: 0,
      onResults: (results) => reported.push(...results),
    });

    // Act
    const published = [
      publisher.track({ userId: 'c-lost', event: 'Product Added' }),
      publisher.track({ userId: 'c-lost', event: 'Order Completed' }),
    ];
    const flushed = await publisher.flush();

    // Assess
    const results = await Promise.all(published);
    expect(results).toEqual([
      expect.objectContaining({ status: 'failed', code: expect.stringMatching(/.+/) }),
      expect.objectContaining({ status: 'failed', code: expect.stringMatching(/.+/) }),
    ]);
    expect(flushed).toEqual(results);
    expect(reported).toEqual(results);
  });

  it('refuses an invalid or oversized event with a ContractValidationError and buffers nothing', async () => {
    // Prepare
    const { queues } = await isolatedResources();
    const publisher = new TouchpointBatchPublisher({ client: clients.sqs, queueUrl: queues.touchpoints });
    const oversized = aTrackEvent({
      userId: 'c-big',
      properties: { blob: 'x'.repeat(SQS_SEND_BATCH_LIMITS.bytes / 8) },
    });

    // Act
    const invalid = () => publisher.track({ userId: 'c-1', event: '' });
    const tooBig = () => publisher.publish(oversized);

    // Assess
    expect(invalid).toThrow(ContractValidationError);
    expect(tooBig).toThrow(/at most 32768 bytes/);
    expect(publisher.buffered).toBe(0);
    expect(await publisher.close()).toEqual([]);
  });
});
