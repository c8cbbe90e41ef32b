import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import {
  MAX_SQS_DELAY_SECONDS,
  ReceiptCheckBatch,
  receiptCheckDelaySeconds,
  SqsReceiptCheckScheduler,
} from '../../functions/adapters/sqs/receipt-check-scheduler';
import { ReceiptCheckSchema } from '../../functions/contract';
import { isolatedResources, testClients } from '../helpers/emulators';

describe('Adapter: SqsReceiptCheckScheduler on fauxqs', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());
  const now = new Date('2026-11-23T14:00:00Z');
  const check = (dueAt: string) => ({
    schemaVersion: 1 as const,
    messageId: 'msg-1',
    channel: 'sms' as const,
    attempt: 1,
    dueAt,
  });

  it.each([
    ['2026-11-23T13:00:00Z', 0],
    ['2026-11-23T14:00:30Z', 30],
    ['2026-11-23T14:15:00Z', MAX_SQS_DELAY_SECONDS],
    ['2026-11-30T14:00:00Z', MAX_SQS_DELAY_SECONDS],
  ])('delays a check due at %s by %s seconds', (dueAt, seconds) => {
    expect(receiptCheckDelaySeconds(dueAt, now)).toBe(seconds);
  });

  it('puts a due check on the receipts queue at once, and holds back one due later', async () => {
    // Prepare
    const resources = await isolatedResources();
    const scheduler = new SqsReceiptCheckScheduler({
      client: clients.sqs,
      queueUrl: resources.queues.receipts,
      now: () => now,
    });

    // Act
    await scheduler.schedule(check('2026-11-23T13:59:00Z'));
    await scheduler.schedule(check('2026-11-30T14:00:00Z'));

    // Assess
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resources.queues.receipts,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(
      (received.Messages ?? []).map((message) => ReceiptCheckSchema.parse(JSON.parse(message.Body!)).dueAt),
    ).toEqual(['2026-11-23T13:59:00Z']);
  });

  it('sends the checks collected in one invocation with SendMessageBatch, ten per request', async () => {
    // Prepare
    const resources = await isolatedResources();
    const batch = new ReceiptCheckBatch({
      client: clients.sqs,
      queueUrl: resources.queues.receipts,
      now: () => now,
    });
    const send = jest.spyOn(clients.sqs, 'send');
    for (let index = 0; index < 23; index++) {
      await batch
        .forRecord(`record-${index}`)
        .schedule({ ...check('2026-11-23T13:59:00Z'), attempt: 1 + (index % 8) });
    }

    // Act
    const failed = await batch.flush();

    // Assess
    const requests = send.mock.calls.map(([command]) => command.constructor.name);
    send.mockRestore();
    expect(failed).toEqual(new Set());
    expect(requests).toEqual([
      'SendMessageBatchCommand',
      'SendMessageBatchCommand',
      'SendMessageBatchCommand',
    ]);
    let received = 0;
    for (let round = 0; round < 10 && received < 23; round++) {
      const output = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: resources.queues.receipts,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 60,
        }),
      );
      received += output.Messages?.length ?? 0;
    }
    expect(received).toBe(23);
    expect(await batch.flush()).toEqual(new Set());
  });

  it('returns the records whose checks SQS would not take, so the consumer fails them for redelivery', async () => {
    // Prepare
    const resources = await isolatedResources();
    const batch = new ReceiptCheckBatch({
      client: clients.sqs,
      queueUrl: `${resources.queues.receipts}-does-not-exist`,
      now: () => now,
    });
    await batch.forRecord('r1').schedule(check('2026-11-23T13:59:00Z'));
    await batch.forRecord('r2').schedule(check('2026-11-23T13:59:00Z'));

    // Act
    const failed = await batch.flush();

    // Assess
    expect(failed).toEqual(new Set(['r1', 'r2']));
  });
});
