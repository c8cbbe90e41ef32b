import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import {
  MAX_SQS_DELAY_SECONDS,
  receiptCheckDelaySeconds,
  SqsReceiptCheckScheduler,
} from '../../functions/adapters/sqs-receipt-check-scheduler';
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
});
