import { Logger } from '@aws-lambda-powertools/logger';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { FallbackRequest } from '../../../functions/contract';
import type { SwitchboardEvent } from '../../../functions/domain/ports';
import { createLedgerStreamHandler } from '../../../functions/handlers/ledger-stream';

const AT = '2026-11-23T14:00:00.000Z';
const TABLES = { messages: 'switchboard-messages-t', customers: 'switchboard-customers-t' };
const STREAM = `arn:aws:dynamodb:eu-west-1:123456789012:table/${TABLES.messages}/stream/2026-11-23T00:00:00.000`;

/** A stream record of an inbound message being recorded. */
function anInboundRecord(sequence: string, providerMessageId: string): DynamoDBRecord {
  const item = {
    pk: 'customer#c-1',
    sk: `inbound#twilio#${providerMessageId}`,
    kind: 'inbound',
    customerId: 'c-1',
    channel: 'sms',
    from: '+15558675310',
    text: 'hi',
    media: [],
    receivedAt: AT,
    provider: 'twilio',
    providerMessageId,
  };
  return {
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    eventSourceARN: STREAM,
    dynamodb: {
      SequenceNumber: sequence,
      NewImage: marshall(item) as never,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

function setUp(failOn?: string) {
  const published: SwitchboardEvent[] = [];
  const requests: SwitchboardEvent[][] = [];
  const enqueued: FallbackRequest[] = [];
  const handler = createLedgerStreamHandler({
    tables: TABLES,
    events: {
      publish: async (events) => {
        if (events.some((event) => 'providerMessageId' in event && event.providerMessageId === failOn)) {
          throw new Error('SNS unavailable');
        }
        requests.push([...events]);
        published.push(...events);
      },
    },
    fallbacks: { enqueue: async (request) => void enqueued.push(request) },
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  return { handler, published, requests, enqueued };
}

describe('Function: ledger-stream handler', () => {
  it('publishes every record of a batch in order and reports no failure', async () => {
    // Prepare
    const { handler, published } = setUp();

    // Act
    const response = await handler({ Records: [anInboundRecord('1', 'SM1'), anInboundRecord('2', 'SM2')] });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published.map((event) => (event as { providerMessageId: string }).providerMessageId)).toEqual([
      'SM1',
      'SM2',
    ]);
  });

  it('publishes the events of a batch ten to a request, not one request per record', async () => {
    // Prepare
    const { handler, requests } = setUp();
    const records = Array.from({ length: 23 }, (_, index) =>
      anInboundRecord(String(index + 1), `SM${index + 1}`),
    );

    // Act
    await handler({ Records: records });

    // Assess
    expect(requests.map((request) => request.length)).toEqual([10, 10, 3]);
  });

  it('reports the first record of a publish request that failed, not the records sent before it', async () => {
    // Prepare: SM12 is in the second request (records 11 to 20).
    const { handler, published } = setUp('SM12');
    const records = Array.from({ length: 23 }, (_, index) =>
      anInboundRecord(String(index + 1), `SM${index + 1}`),
    );

    // Act
    const response = await handler({ Records: records });

    // Assess: nothing after the failed request goes out before it.
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '11' }] });
    expect(published.map((event) => (event as { providerMessageId: string }).providerMessageId)).toEqual(
      Array.from({ length: 10 }, (_, index) => `SM${index + 1}`),
    );
  });

  it('relays the records before one it cannot read and reports that one', async () => {
    // Prepare
    const { handler, published } = setUp();
    const stranger = {
      ...anInboundRecord('2', 'SM2'),
      eventSourceARN: STREAM.replace(TABLES.messages, 'other'),
    };

    // Act
    const response = await handler({
      Records: [anInboundRecord('1', 'SM1'), stranger, anInboundRecord('3', 'SM3')],
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(published.map((event) => (event as { providerMessageId: string }).providerMessageId)).toEqual([
      'SM1',
    ]);
  });

  it('fails a record from a table it does not know rather than dropping it', async () => {
    // Prepare
    const { handler } = setUp();
    const stranger = {
      ...anInboundRecord('7', 'SM7'),
      eventSourceARN: STREAM.replace(TABLES.messages, 'other'),
    };

    // Act
    const response = await handler({ Records: [stranger] });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
  });
});
