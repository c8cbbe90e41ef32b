import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createReceiptTimeoutHandler } from '../../../functions/handlers/receipt-timeout';
import {
  anAttempt,
  InMemoryWebhookLedger,
  RecordingReceiptCheckScheduler,
} from '../../helpers/in-memory-webhook-ports';

const NOW = new Date('2026-11-23T14:00:00Z');

function record(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:switchboard-receipts',
    awsRegion: 'us-east-1',
  };
}

describe('Function: receipt-timeout handler', () => {
  it('falls back for a due check and reports only the malformed record as failed', async () => {
    // Prepare
    const ledger = new InMemoryWebhookLedger();
    ledger.attempts.push(anAttempt({ status: 'sent' }));
    const scheduler = new RecordingReceiptCheckScheduler();
    const handler = createReceiptTimeoutHandler({
      ledger,
      scheduler,
      now: () => NOW,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const due = {
      schemaVersion: 1,
      messageId: 'msg-1',
      customerId: 'c-1',
      channel: 'sms',
      attempt: 1,
      dueAt: '2026-11-23T13:59:00Z',
    };
    const later = { ...due, dueAt: '2026-11-24T14:00:00Z' };
    const event: SQSEvent = {
      Records: [
        record('r1', JSON.stringify(due)),
        record('r2', '{"schemaVersion":1}'),
        record('r3', JSON.stringify(later)),
      ],
    };

    // Act
    const response = await handler(event);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'r2' }]);
    expect([...ledger.fallbacks.values()]).toEqual([expect.objectContaining({ kind: 'receipt_timeout' })]);
    expect(scheduler.scheduled).toEqual([later]);
  });
});
