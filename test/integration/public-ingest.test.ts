import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbSourceStore } from '../../functions/adapters/dynamodb/source-store';
import type { DynamoDbTimelineReader } from '../../functions/adapters/dynamodb/timeline-reader';
import { DynamoDbTouchpointStore } from '../../functions/adapters/dynamodb/touchpoint-store';
import type { FieldIssue, TouchpointsAccepted } from '../../functions/contract';
import { userHashOf } from '../../functions/domain/sources/user-hash';
import { createPublicIngestHandler } from '../../functions/handlers/public-ingest';
import { publicIngestPorts } from '../../functions/wiring/public-ingest-ports';
import type { LocalResources } from '../../local/emulators';
import type { LocalRuntime } from '../../local/runtime';
import { isolatedResources, testClients } from '../helpers/emulators';
import { anApiEvent } from '../helpers/http-api';
import { startTestRuntime } from '../helpers/local-runtime';
import { aStoredSource, basicAuth } from '../helpers/sources';
import { entriesOf, timelineReader } from '../helpers/timeline';
import { anAnonymousId, anIdentifyEvent, aTrackEvent } from '../helpers/touchpoints';

jest.setTimeout(60_000);

/** The public ingest's answer: a 202's results or an error with its issues. */
type IngestAnswer = Partial<TouchpointsAccepted> & { error?: string; issues?: FieldIssue[] };

describe('Public ingest: write keys, identity and rate limits', () => {
  const clients = testClients();
  let resources: LocalResources;
  let runtime: LocalRuntime;
  let sources: DynamoDbSourceStore;
  let reader: DynamoDbTimelineReader;

  beforeAll(async () => {
    resources = await isolatedResources();
    runtime = await startTestRuntime({ handlers: ['public-ingest'], resources });
    sources = new DynamoDbSourceStore({ client: clients.dynamodb, tableName: resources.tables.customers });
    reader = timelineReader(resources, clients.dynamodb);
  });
  afterAll(async () => {
    await runtime?.stop();
    clients.destroy();
  });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(new URL(path, runtime.localJson.httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as IngestAnswer,
    };
  };
  const itemCount = async () => {
    let count = 0;
    for (const table of [resources.tables.customers, resources.tables.messages]) {
      count +=
        (
          await clients.dynamodb.send(
            new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }),
          )
        ).Count ?? 0;
    }
    return count;
  };
  const touchpointsOf = async (customerId: string) => await entriesOf(reader, customerId, 'touchpoint');

  it('answers a browser preflight for the ingest paths and lets the page read the answer, as the function URL does', async () => {
    // Prepare
    const { writeKey } = await aStoredSource(sources, 'client');
    const origin = 'https://shop.example';

    // Act
    const preflight = await fetch(new URL('/ingest/v1/batch', runtime.localJson.httpUrl), {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    const answer = await post('/ingest/v1/track', aTrackEvent({ anonymousId: anAnonymousId() }), {
      origin,
      authorization: basicAuth(writeKey),
    });

    // Assess
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type,authorization,content-encoding',
      'access-control-max-age': '3600',
    });
    expect(answer.status).toBe(202);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('records a server source batch sent with HTTP Basic, marked with its source, ignoring what Segment adds', async () => {
    // Prepare
    const { source, writeKey } = await aStoredSource(sources, 'server');
    const customerId = `c-${anAnonymousId()}`;
    const event = {
      ...aTrackEvent({ userId: customerId, event: 'Order Completed' }),
      context: { library: { name: '@segment/analytics-node', version: '2.3.0' } },
      _metadata: { nodeVersion: '20' },
    };

    // Act
    const response = await post(
      '/ingest/v1/batch',
      { batch: [event], sentAt: new Date().toISOString(), integrations: {}, writeKey: 'ignored-when-basic' },
      { authorization: basicAuth(writeKey) },
    );

    // Assess
    expect(response.status).toBe(202);
    expect(response.body.accepted).toBe(1);
    const [stored] = await touchpointsOf(customerId);
    expect(stored).toMatchObject({
      name: 'Order Completed',
      channel: 'server',
      source: { sourceId: source.sourceId, kind: 'server' },
    });
  });

  it('takes the write key from the body when there is no Authorization header', async () => {
    // Prepare
    const { writeKey } = await aStoredSource(sources, 'server');
    const customerId = `c-${anAnonymousId()}`;

    // Act
    const response = await post('/ingest/v1/track', {
      ...aTrackEvent({ userId: customerId }),
      type: undefined,
      writeKey,
    });

    // Assess
    expect(response.status).toBe(202);
    expect(await touchpointsOf(customerId)).toHaveLength(1);
  });

  it.each([
    ['no key', {}],
    [
      'an unknown key',
      {
        authorization: basicAuth(
          'src_0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        ),
      },
    ],
    ['a malformed key', { authorization: basicAuth('not-a-key') }],
  ])('answers 401 and writes nothing for %s', async (_case, headers) => {
    // Prepare
    const before = await itemCount();

    // Act
    const response = await post(
      '/ingest/v1/events',
      aTrackEvent({ userId: `c-${anAnonymousId()}` }),
      headers,
    );

    // Assess
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('unauthorized');
    expect(await itemCount()).toBe(before);
  });

  it('answers 401 and writes nothing for a key with the right source id but the wrong secret, and for a revoked key', async () => {
    // Prepare
    const { source, writeKey } = await aStoredSource(sources, 'server');
    const forged = `${source.sourceId}.${'B'.repeat(43)}`;
    const revoked = await aStoredSource(sources, 'client');
    await sources.revoke(revoked.source.sourceId, new Date());
    const before = await itemCount();

    // Act
    const wrong = await post('/ingest/v1/events', aTrackEvent({ userId: 'c-1' }), {
      authorization: basicAuth(forged),
    });
    const gone = await post('/ingest/v1/events', {
      ...aTrackEvent({ anonymousId: 'a-1' }),
      writeKey: revoked.writeKey,
    });

    // Assess
    expect([wrong.status, gone.status]).toEqual([401, 401]);
    expect(await itemCount()).toBe(before);
    expect(writeKey).not.toBe(forged);
  });

  it('keeps a client event claiming a userId without a valid userHash anonymous, and trusts one with it', async () => {
    // Prepare
    const { source, writeKey } = await aStoredSource(sources, 'client');
    const customerId = `c-${anAnonymousId()}`;
    const anonymousId = anAnonymousId();
    const claimed = aTrackEvent({ userId: customerId, anonymousId, event: 'Claimed' });
    const wrongHash = {
      ...aTrackEvent({ userId: customerId, anonymousId, event: 'Wrong Hash' }),
      userHash: userHashOf(customerId, 'not-the-secret'),
    };
    const proven = {
      ...aTrackEvent({ userId: customerId, event: 'Proven' }),
      context: { userHash: userHashOf(customerId, source.userHashSecret!) },
    };
    const headers = { authorization: basicAuth(writeKey) };

    // Act
    const response = await post('/ingest/v1/batch', { batch: [claimed, wrongHash, proven] }, headers);

    // Assess
    expect(response.status).toBe(202);
    expect(response.body.accepted).toBe(3);
    const onCustomer = await touchpointsOf(customerId);
    expect(onCustomer.map((touchpoint) => touchpoint.name)).toEqual(['Proven']);
    expect(onCustomer[0]?.source).toEqual({ sourceId: source.sourceId, kind: 'client' });
    const store = new DynamoDbTouchpointStore({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    expect(await store.stitchedCustomer(anonymousId)).toBeUndefined();
    const anonymous = await clients.dynamodb.send(
      new ScanCommand({
        TableName: resources.tables.messages,
        FilterExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `anonymous#${anonymousId}` } },
      }),
    );
    expect(anonymous.Items?.map((item) => item.name?.S).sort()).toEqual(['Claimed', 'Wrong Hash']);
    expect(anonymous.Items?.every((item) => item.customerId === undefined)).toBe(true);
  });

  it('rejects a client event with an unproven userId and no anonymousId, by its field, keeping the others', async () => {
    // Prepare
    const { writeKey } = await aStoredSource(sources, 'client');
    const anonymousId = anAnonymousId();

    // Act
    const response = await post('/ingest/v1/batch', {
      writeKey,
      batch: [anIdentifyEvent({ userId: `c-${anAnonymousId()}` }), aTrackEvent({ anonymousId })],
    });

    // Assess
    expect(response.status).toBe(202);
    expect(response.body.results?.[0]).toMatchObject({
      status: 'rejected',
      issues: [{ field: 'batch[0].userHash' }],
    });
    expect(response.body.results?.[1]).toMatchObject({ status: 'accepted' });
  });

  it('still rejects a malformed field a client library did not add', async () => {
    // Prepare
    const { writeKey } = await aStoredSource(sources, 'server');

    // Act
    const response = await post('/ingest/v1/events', {
      ...aTrackEvent({ userId: 'c-2' }),
      timestamp: 'yesterday',
      writeKey,
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([expect.objectContaining({ field: 'timestamp' })]);
  });

  it('answers 429 with Retry-After once a key used up its window, and writes nothing for it', async () => {
    // Prepare
    const { writeKey } = await aStoredSource(sources, 'server');
    let now = Date.parse('2026-11-23T10:00:00.200Z');
    const ingest = createPublicIngestHandler({
      ...publicIngestPorts(
        {
          customersTable: resources.tables.customers,
          messagesTable: resources.tables.messages,
          retentionDays: 400,
          rateLimit: { limit: 2, windowSeconds: 60 },
        },
        clients.dynamodb,
      ),
      now: () => new Date(now),
    });
    const request = () => {
      const event = anApiEvent('POST', '/ingest/v1/events', aTrackEvent({ userId: `c-${anAnonymousId()}` }));
      return ingest({ ...event, headers: { ...event.headers, authorization: basicAuth(writeKey) } });
    };
    await request();
    await request();
    const before = await itemCount();

    // Act
    const limited = await request();
    now += 60_000;
    const nextWindow = await request();

    // Assess
    expect(limited.statusCode).toBe(429);
    expect(limited.headers?.['retry-after']).toBe('60');
    expect(nextWindow.statusCode).toBe(202);
    expect(await itemCount()).toBe(before + 1);
  });

  it('stores the IP and user agent of the connection only where the deployment keeps them', async () => {
    // Prepare
    const { writeKey } = await aStoredSource(sources, 'server');
    const config = {
      customersTable: resources.tables.customers,
      messagesTable: resources.tables.messages,
      retentionDays: 400,
      rateLimit: { limit: 100, windowSeconds: 1 },
    };
    const keeping = createPublicIngestHandler(
      publicIngestPorts({ ...config, keepClientContext: ['ip', 'userAgent'] }, clients.dynamodb),
    );
    const default_ = createPublicIngestHandler(publicIngestPorts(config, clients.dynamodb));
    const send = (ingest: typeof keeping, customerId: string) => {
      const event = anApiEvent('POST', '/ingest/v1/events', aTrackEvent({ userId: customerId }));
      return ingest({ ...event, headers: { ...event.headers, authorization: basicAuth(writeKey) } });
    };
    const kept = `c-${anAnonymousId()}`;
    const dropped = `c-${anAnonymousId()}`;

    // Act
    await send(keeping, kept);
    await send(default_, dropped);

    // Assess
    const [withContext] = await touchpointsOf(kept);
    const [withoutContext] = await touchpointsOf(dropped);
    expect(withContext?.context).toMatchObject({ ip: '127.0.0.1', userAgent: 'jest' });
    expect(withoutContext?.context ?? {}).not.toHaveProperty('ip');
    expect(withoutContext?.context ?? {}).not.toHaveProperty('userAgent');
  });
});
