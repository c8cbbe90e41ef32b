import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type QueueDefinition, queueDefinition } from '../../../infra/resources';
import { listDeadLetters, redriveDeadLetters } from '../../../local/dlq';
import type { LocalResources } from '../../../local/emulators';
import { type EventSource, type SqsHandler, startEventSource } from '../../../local/event-source';
import { isolatedResources, testClients, testEndpoints } from '../../helpers/emulators';
import { deferred, eventually } from '../../helpers/eventually';

const execFileAsync = promisify(execFile);
const MAX_RECEIVES = 3;
/**
 * Short enough to keep the file quick, long enough that a busy machine deletes a handled record
 * before it would become visible again (which would be a legitimate, but confusing, redelivery).
 */
const VISIBILITY_TIMEOUT_SECONDS = 3;

jest.setTimeout(90_000);

/** Private queues whose failed records come back after a few seconds and die after three receives. */
async function fastRetryQueues(sqs: SQSClient): Promise<LocalResources> {
  const resources = await isolatedResources();
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: resources.queues.sms,
      Attributes: {
        VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: resources.queueArns.smsDlq,
          maxReceiveCount: MAX_RECEIVES,
        }),
      },
    }),
  );
  return resources;
}

async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

async function sendBodies(sqs: SQSClient, queueUrl: string, bodies: string[]): Promise<void> {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
    }),
  );
}

/** A handler that records every record it sees and fails those whose body starts with "fail". */
function recordingHandler() {
  const seen: SQSRecord[] = [];
  const handler: SqsHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    seen.push(...event.Records);
    return {
      batchItemFailures: event.Records.filter((r) => r.body.startsWith('fail')).map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  };
  return { seen, handler };
}

describe('Function: startEventSource', () => {
  const clients = testClients();
  const endpoints = testEndpoints();
  const running: EventSource[] = [];
  const start = (
    resources: LocalResources,
    handler: SqsHandler,
    overrides: { definition?: Partial<QueueDefinition>; maxConcurrency?: number } = {},
  ) => {
    const source = startEventSource({
      sqs: clients.sqs,
      queueUrl: resources.queues.sms,
      queueArn: resources.queueArns.sms,
      definition: { ...queueDefinition('sms'), ...overrides.definition },
      handler,
      functionName: 'send-sms',
      region: endpoints.region,
      waitTimeSeconds: 1,
      ...(overrides.maxConcurrency ? { maxConcurrency: overrides.maxConcurrency } : {}),
    });
    running.push(source);
    return source;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((source) => source.stop()));
  });
  afterAll(() => clients.destroy());

  it('hands the handler real SQS records and deletes them when it succeeds', async () => {
    // Prepare
    const resources = await fastRetryQueues(clients.sqs);
    const { seen, handler } = recordingHandler();
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.queues.sms,
        MessageBody: '{"hello":"world"}',
        MessageAttributes: { requestId: { DataType: 'String', StringValue: 'req-1' } },
      }),
    );

    // Act
    start(resources, handler);
    await eventually(
      () => seen.length,
      (n) => n >= 1,
      { what: 'the record' },
    );

    // Assess
    const record = seen[0] as SQSRecord;
    expect(record).toMatchObject({
      body: '{"hello":"world"}',
      eventSource: 'aws:sqs',
      eventSourceARN: resources.queueArns.sms,
      awsRegion: endpoints.region,
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {
        requestId: { dataType: 'String', stringValue: 'req-1', stringListValues: [], binaryListValues: [] },
      },
    });
    expect(record.messageId).toMatch(/\S/);
    expect(record.receiptHandle).toMatch(/\S/);
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    await eventually(
      () => queueDepth(clients.sqs, resources.queues.sms),
      (n) => n === 0,
      { what: 'the record to be deleted' },
    );
  });

  it('holds a batch for its batching window, so messages sent a moment apart come in one batch', async () => {
    // Prepare
    const resources = await isolatedResources();
    const batches: number[] = [];
    const handler: SqsHandler = async (event) => {
      batches.push(event.Records.length);
      return { batchItemFailures: [] };
    };
    start(resources, handler, { definition: { batchingWindowSeconds: 3 }, maxConcurrency: 1 });

    // Act
    for (const body of ['one', 'two', 'three']) {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.queues.sms, MessageBody: body }));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    // Assess
    await eventually(
      () => batches.reduce((sum, size) => sum + size, 0),
      (handled) => handled === 3,
      { what: 'the three messages handled' },
    );
    expect(batches).toEqual([3]);
  });

  it('leaves partial batch failures on the queue and retries only those', async () => {
    // Prepare
    const resources = await fastRetryQueues(clients.sqs);
    const { seen, handler } = recordingHandler();
    await sendBodies(clients.sqs, resources.queues.sms, ['ok-1', 'fail-1', 'ok-2']);

    // Act
    start(resources, handler);
    await eventually(
      () => seen.filter((r) => r.body === 'fail-1').length,
      (n) => n >= 2,
      { what: 'the failed record to be retried' },
    );

    // Assess
    expect(seen.filter((r) => r.body === 'ok-1')).toHaveLength(1);
    expect(seen.filter((r) => r.body === 'ok-2')).toHaveLength(1);
    const retries = seen.filter((r) => r.body === 'fail-1').map((r) => r.attributes.ApproximateReceiveCount);
    expect(retries.slice(0, 2)).toEqual(['1', '2']);
  });

  it('leaves every record on the queue when the handler throws', async () => {
    // Prepare
    const resources = await fastRetryQueues(clients.sqs);
    const receiveCounts: string[][] = [];
    await sendBodies(clients.sqs, resources.queues.sms, ['a', 'b']);
    const handler: SqsHandler = async (event) => {
      receiveCounts.push(event.Records.map((r) => r.attributes.ApproximateReceiveCount));
      if (receiveCounts.length === 1) throw new Error('boom');
    };

    // Act
    start(resources, handler);
    await eventually(
      () => receiveCounts.flat().filter((count) => count === '2').length,
      (n) => n === 2,
      { what: 'both records to come back' },
    );

    // Assess
    expect(receiveCounts.flat().filter((count) => count === '1')).toHaveLength(2);
    await eventually(
      () => queueDepth(clients.sqs, resources.queues.sms),
      (n) => n === 0,
      { what: 'the queue to be empty' },
    );
  });

  it.each([
    { response: { batchItemFailures: [{ itemIdentifier: '' }] }, why: 'an empty identifier' },
    { response: { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] }, why: 'an unknown identifier' },
  ])('fails the whole batch when the response has $why', async ({ response }) => {
    // Prepare
    const resources = await fastRetryQueues(clients.sqs);
    const seen: string[] = [];
    await sendBodies(clients.sqs, resources.queues.sms, ['x']);
    const handler: SqsHandler = async (event) => {
      seen.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
      return seen.length === 1 ? response : undefined;
    };

    // Act
    start(resources, handler);
    await eventually(
      () => seen,
      (s) => s.length >= 2,
      { what: 'the record to come back' },
    );

    // Assess
    expect(seen.slice(0, 2)).toEqual(['1', '2']);
  });

  it('moves a record that keeps failing to the DLQ after max receives, and a redrive brings it back', async () => {
    // Prepare
    const resources = await fastRetryQueues(clients.sqs);
    const poisoned = recordingHandler();
    await sendBodies(clients.sqs, resources.queues.sms, ['fail-poison', 'ok-fine']);
    const poisonedSource = start(resources, poisoned.handler);

    // Act: let it fail until SQS gives up on it.
    const dead = await eventually(
      () => listDeadLetters(clients.sqs, resources.queues.smsDlq),
      (letters) => letters.length === 1,
      { what: 'the record in the DLQ' },
    );
    await poisonedSource.stop();
    const redrive = await redriveDeadLetters(clients.sqs, {
      deadLetterQueueUrl: resources.queues.smsDlq,
      sourceQueueUrl: resources.queues.sms,
    });
    const healed = recordingHandler();
    start(resources, async (event, context) => {
      // The fix is deployed: the same body now succeeds.
      await healed.handler(
        { Records: event.Records.map((r) => ({ ...r, body: r.body.replace('fail-', '') })) },
        context,
      );
    });
    await eventually(
      () => healed.seen.length,
      (n) => n === 1,
      { what: 'the redriven record' },
    );

    // Assess
    expect(dead[0]?.body).toBe('fail-poison');
    const poisonReceives = poisoned.seen.filter((r) => r.body === 'fail-poison');
    expect(poisonReceives.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    expect(poisoned.seen.filter((r) => r.body === 'ok-fine')).toHaveLength(1);
    expect(redrive).toEqual({ moved: 1, failed: 0 });
    expect(healed.seen[0]?.body).toBe('poison');
    await eventually(
      async () => [
        await queueDepth(clients.sqs, resources.queues.sms),
        await queueDepth(clients.sqs, resources.queues.smsDlq),
      ],
      ([main, dlq]) => main === 0 && dlq === 0,
      { what: 'both queues to be empty' },
    );
  });

  it('never runs more batches at once than its concurrency allows', async () => {
    // Prepare
    const resources = await fastRetryQueues(clients.sqs);
    await sendBodies(
      clients.sqs,
      resources.queues.sms,
      Array.from({ length: 6 }, (_, i) => `m-${i}`),
    );
    let active = 0;
    let peak = 0;
    let handled = 0;
    const release = deferred();
    const handler: SqsHandler = async () => {
      active++;
      peak = Math.max(peak, active);
      await release.promise;
      active--;
      handled++;
    };

    // Act
    start(resources, handler, { definition: { batchSize: 1, maxConcurrency: 5 }, maxConcurrency: 2 });
    await eventually(
      () => active,
      (n) => n === 2,
      { what: 'two batches in flight' },
    );
    release.resolve();
    await eventually(
      () => handled,
      (n) => n === 6,
      { what: 'every message' },
    );

    // Assess
    expect(peak).toBe(2);
  });

  it('emits no MaxListenersExceededWarning over many polls by many concurrent workers', async () => {
    // Prepare: Node's process warnings never reach a Jest sandbox, so the source runs in a child.
    const resources = await isolatedResources();
    const args = {
      region: endpoints.region,
      sqsEndpoint: endpoints.sqsEndpoint,
      queueUrl: resources.queues.outbound,
      queueArn: resources.queueArns.outbound,
      receives: 60,
    };

    // Act: 60 receives by 20 workers, more than Node's default of ten listeners per event.
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      [require.resolve('tsx/cli'), 'test/fixtures/scripts/poll-empty-queue.ts', JSON.stringify(args)],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    );

    // Assess
    expect(stdout).toMatch(/receives=(6\d|[7-9]\d|\d{3,})/);
    expect(stderr).not.toContain('MaxListenersExceededWarning');
  });

  it('waits for the batch in flight when stopped, then deletes its records', async () => {
    // Prepare
    const resources = await fastRetryQueues(clients.sqs);
    await sendBodies(clients.sqs, resources.queues.sms, ['slow']);
    const entered = deferred();
    const release = deferred();
    const source = start(resources, async () => {
      entered.resolve();
      await release.promise;
    });
    await entered.promise;

    // Act
    let stopped = false;
    const stopping = source.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const stoppedBeforeRelease = stopped;
    release.resolve();
    await stopping;

    // Assess
    expect(stoppedBeforeRelease).toBe(false);
    expect(source.inFlight).toBe(0);
    expect(await queueDepth(clients.sqs, resources.queues.sms)).toBe(0);
  });
});
