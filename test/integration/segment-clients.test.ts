import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import { DynamoDbSourceStore } from '../../functions/adapters/dynamodb/source-store';
import type { DynamoDbTimelineReader } from '../../functions/adapters/dynamodb/timeline-reader';
import type { LocalRuntime } from '../../local/runtime';
import { isolatedResources, testClients } from '../helpers/emulators';
import { startTestRuntime } from '../helpers/local-runtime';
import { aStoredSource } from '../helpers/sources';
import { entriesOf, timelineReader } from '../helpers/timeline';
import { anAnonymousId } from '../helpers/touchpoints';

jest.setTimeout(60_000);

describe('Public ingest: the real Segment and RudderStack Node clients', () => {
  const clients = testClients();
  let runtime: LocalRuntime;
  let sources: DynamoDbSourceStore;
  let reader: DynamoDbTimelineReader;

  beforeAll(async () => {
    const resources = await isolatedResources();
    runtime = await startTestRuntime({ handlers: ['public-ingest'], resources });
    sources = new DynamoDbSourceStore({ client: clients.dynamodb, tableName: resources.tables.customers });
    reader = timelineReader(resources, clients.dynamodb);
  });
  afterAll(async () => {
    await runtime?.stop();
    clients.destroy();
  });

  const ingestHost = () => `${runtime.localJson.httpUrl}/ingest`;
  const properties = { total: 89, currency: 'EUR', items: [{ sku: 'SHIRT-42', quantity: 1 }] };

  it('stores what @segment/analytics-node sends, unchanged', async () => {
    // Prepare
    const { writeKey } = await aStoredSource(sources, 'server');
    const customerId = `c-${anAnonymousId()}`;
    // Its URL is `host` + `path` with the host's own path dropped, so the path carries the prefix.
    const analytics = new SegmentAnalytics({
      writeKey,
      host: runtime.localJson.httpUrl,
      path: '/ingest/v1/batch',
      maxRetries: 0,
      flushAt: 2,
    });
    const failures: unknown[] = [];
    analytics.on('error', (error) => failures.push(error));

    // Act
    analytics.identify({
      userId: customerId,
      traits: { plan: 'gold' },
      timestamp: '2026-11-23T09:59:00.000Z',
    });
    analytics.track({
      userId: customerId,
      event: 'Order Completed',
      properties,
      timestamp: '2026-11-23T10:00:00.000Z',
      context: { channel: 'store' },
    });
    await analytics.closeAndFlush();

    // Assess
    expect(failures).toEqual([]);
    const touchpoints = await entriesOf(reader, customerId, 'touchpoint');
    expect(touchpoints.map(({ call, name, occurredAt }) => ({ call, name, occurredAt }))).toEqual([
      { call: 'track', name: 'Order Completed', occurredAt: '2026-11-23T10:00:00.000Z' },
      { call: 'identify', occurredAt: '2026-11-23T09:59:00.000Z' },
    ]);
    expect(touchpoints[0]).toMatchObject({ properties, channel: 'store', customerId });
    expect(touchpoints[1]).toMatchObject({ traits: { plan: 'gold' }, channel: 'server' });
  });

  it('stores what @rudderstack/rudder-sdk-node sends (gzip on, its default), unchanged', async () => {
    // Prepare
    const { writeKey } = await aStoredSource(sources, 'server');
    const customerId = `c-${anAnonymousId()}`;
    const failures: unknown[] = [];
    const analytics = new RudderAnalytics(writeKey, {
      dataPlaneUrl: ingestHost(),
      flushAt: 10,
      flushInterval: 60_000,
      retryCount: 0,
      logLevel: 'error',
      errorHandler: (error) => failures.push(error),
    });

    // Act
    analytics.track({
      userId: customerId,
      event: 'Order Completed',
      properties,
      timestamp: new Date('2026-11-23T10:00:00.000Z'),
    });
    analytics.page({
      userId: customerId,
      name: 'Cart',
      properties: { path: '/cart' },
      timestamp: new Date('2026-11-23T09:00:00.000Z'),
    });
    await analytics.flush();

    // Assess
    expect(failures).toEqual([]);
    const touchpoints = await entriesOf(reader, customerId, 'touchpoint');
    expect(touchpoints.map(({ call, name, occurredAt }) => ({ call, name, occurredAt }))).toEqual([
      { call: 'track', name: 'Order Completed', occurredAt: '2026-11-23T10:00:00.000Z' },
      { call: 'page', name: 'Cart', occurredAt: '2026-11-23T09:00:00.000Z' },
    ]);
    expect(touchpoints[0]).toMatchObject({ properties, customerId });
  });
});
