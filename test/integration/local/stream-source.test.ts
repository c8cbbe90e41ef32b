import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type LocalResources, localClientConfig } from '../../../local/emulators';
import { type StreamSource, startStreamSource } from '../../../local/stream-source';
import { isolatedResources, testClients, testEndpoints } from '../../helpers/emulators';

/** Every sequence number handed over, in order, and each invocation's record count. */
function recordingHandler(
  decide: (event: DynamoDBStreamEvent, call: number) => DynamoDBBatchResponse | 'throw' = () => ({
    batchItemFailures: [],
  }),
) {
  const seen: { pk: string; n: number; sequence: string }[] = [];
  const calls: number[] = [];
  const handler = async (event: DynamoDBStreamEvent) => {
    calls.push(event.Records.length);
    const verdict = decide(event, calls.length);
    if (verdict === 'throw') throw new Error('planted failure');
    const failedFrom = new Set(verdict.batchItemFailures.map((failure) => failure.itemIdentifier));
    for (const record of event.Records) {
      if (failedFrom.has(record.dynamodb?.SequenceNumber ?? '')) break;
      seen.push({
        pk: String(record.dynamodb?.NewImage?.pk?.S),
        n: Number(record.dynamodb?.NewImage?.n?.N),
        sequence: record.dynamodb?.SequenceNumber ?? '',
      });
    }
    return verdict;
  };
  return { handler, seen, calls };
}

describe('Function: startStreamSource', () => {
  const endpoints = testEndpoints();
  const clients = testClients(endpoints);
  const documents = DynamoDBDocumentClient.from(clients.dynamodb);
  const streams = new DynamoDBStreamsClient(localClientConfig(endpoints, endpoints.dynamodbEndpoint));
  let resources: LocalResources;
  let source: StreamSource | undefined;
  afterAll(() => {
    clients.destroy();
    streams.destroy();
  });
  beforeEach(async () => {
    resources = await isolatedResources(endpoints);
  });
  afterEach(async () => {
    await source?.stop();
    source = undefined;
  });

  const start = (
    handler: ReturnType<typeof recordingHandler>['handler'],
    options: Partial<Parameters<typeof startStreamSource>[0]> = {},
  ) =>
    startStreamSource({
      streams,
      tableName: resources.tables.customers,
      handler,
      functionName: 'stream-test',
      region: endpoints.region,
      batchSize: 10,
      maxRetryAttempts: 5,
      timeoutSeconds: 5,
      startingPosition: 'TRIM_HORIZON',
      pollIntervalMs: 20,
      retryDelayMs: 10,
      ...options,
    });
  const writeVersions = async (pk: string, count: number) => {
    await documents.send(new PutCommand({ TableName: resources.tables.customers, Item: { pk, n: 1 } }));
    for (let n = 2; n <= count; n++) {
      await documents.send(
        new UpdateCommand({
          TableName: resources.tables.customers,
          Key: { pk },
          UpdateExpression: 'SET n = :n',
          ExpressionAttributeValues: { ':n': n },
        }),
      );
    }
  };

  it('hands every change over in order, in the shape Lambda gives a DynamoDB Streams handler', async () => {
    // Prepare
    const recording = recordingHandler();
    let first: DynamoDBStreamEvent | undefined;
    source = await start(async (event: DynamoDBStreamEvent) => {
      first ??= event;
      return recording.handler(event);
    });

    // Act
    await writeVersions('customer#a', 5);
    await source.caughtUp();

    // Assess
    expect(recording.seen.map((record) => record.n)).toEqual([1, 2, 3, 4, 5]);
    const record = first?.Records[0];
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: expect.stringContaining(`table/${resources.tables.customers}/stream/`),
      dynamodb: {
        Keys: { pk: { S: 'customer#a' } },
        NewImage: { pk: { S: 'customer#a' }, n: { N: '1' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  });

  it('retries a batch whose handler threw, never moving past it, and keeps the order', async () => {
    // Prepare
    let failures = 2;
    const recording = recordingHandler(() => (failures-- > 0 ? 'throw' : { batchItemFailures: [] }));
    source = await start(recording.handler);

    // Act
    await writeVersions('customer#b', 4);
    await source.caughtUp();

    // Assess
    expect(recording.seen.map((record) => record.n)).toEqual([1, 2, 3, 4]);
    expect(recording.calls.length).toBeGreaterThan(2);
  });

  it('retries from the first record a handler reports as failed, not the ones before it', async () => {
    // Prepare
    let failed = false;
    const recording = recordingHandler((event) => {
      const third = event.Records.find((record) => record.dynamodb?.NewImage?.n?.N === '3');
      if (!failed && third) {
        failed = true;
        return { batchItemFailures: [{ itemIdentifier: third.dynamodb?.SequenceNumber ?? '' }] };
      }
      return { batchItemFailures: [] };
    });
    source = await start(recording.handler);

    // Act
    await writeVersions('customer#c', 4);
    await source.caughtUp();

    // Assess: 1 and 2 once, 3 and 4 after the retry, in order.
    expect(recording.seen.map((record) => record.n)).toEqual([1, 2, 3, 4]);
  });

  it('gives a record up after its retries and moves on to the next', async () => {
    // Prepare
    const recording = recordingHandler((event) =>
      event.Records[0]?.dynamodb?.NewImage?.n?.N === '1' ? 'throw' : { batchItemFailures: [] },
    );
    const given: string[] = [];
    source = await start(recording.handler, {
      maxRetryAttempts: 2,
      onFailure: (failure) => given.push(failure.firstSequenceNumber),
    });

    // Act
    await writeVersions('customer#d', 3);
    await source.caughtUp();

    // Assess
    expect(given).toHaveLength(1);
    expect(recording.seen.map((record) => record.n)).toEqual([2, 3]);
  });

  it('hands over records that arrive after it has polled an empty shard while other tables are written', async () => {
    // Prepare: the source polls the empty shard for a while, and other tables take sequence numbers.
    const other = await isolatedResources(endpoints);
    let writing = true;
    const elsewhere = (async () => {
      for (let i = 0; writing; i++) {
        await documents.send(new PutCommand({ TableName: other.tables.customers, Item: { pk: `x${i}` } }));
      }
    })();
    const missed: number[] = [];
    try {
      for (let round = 0; round < 8; round++) {
        const table = await isolatedResources(endpoints);
        const recording = recordingHandler();
        const running = await start(recording.handler, { tableName: table.tables.customers });
        await new Promise((resolve) => setTimeout(resolve, 50 + round * 15));

        // Act
        await documents.send(new PutCommand({ TableName: table.tables.customers, Item: { pk: 'p', n: 1 } }));
        await running.caughtUp();
        if (recording.seen.length !== 1) missed.push(round);
        await running.stop();
      }
    } finally {
      writing = false;
      await elsewhere;
    }

    // Assess: caughtUp() never answers before a record written earlier was handed over.
    expect(missed).toEqual([]);
  });

  it('stops cleanly and hands nothing over afterwards', async () => {
    // Prepare
    const recording = recordingHandler();
    const running = await start(recording.handler);

    // Act
    await running.stop();
    await writeVersions('customer#e', 2);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assess
    expect(recording.seen).toEqual([]);
  });
});
