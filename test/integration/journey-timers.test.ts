/**
 * The journey timers consumer on the emulators (runs on DynamoDB Local, timers and the outbound
 * queue on fauxqs, the production wiring): a batch's reminders go out together, ten to a
 * SendMessageBatch, and a publish that fails brings back exactly the timers whose reminders it lost.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import { applyEvent } from '../../functions/domain/journeys';
import { createJourneyTimersHandler } from '../../functions/handlers/journey-timers';
import { type JourneyWiring, journeyPorts } from '../../functions/wiring/journey-ports';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { eventually } from '../helpers/eventually';
import { anSqsRecord } from '../helpers/factories';
import { type CountingSqsClient, countingSqsClient, drainQueue, recordsOn } from '../helpers/journey-timers';
import { aJourneyEvent } from '../helpers/journeys';

jest.setTimeout(60_000);

describe('Function: journey timers handler', () => {
  const clients = testClients();
  let resources: LocalResources;
  let outbound: CountingSqsClient;
  let ports: JourneyWiring;
  beforeAll(async () => {
    resources = await isolatedResources();
    outbound = countingSqsClient(resources.queues.outbound);
    const config = {
      customersTable: resources.tables.customers,
      messagesTable: resources.tables.messages,
      outboundQueueUrl: resources.queues.outbound,
      timersQueueUrl: resources.queues.journeyTimers,
      retentionDays: 400,
      timeScale: 1,
    };
    ports = journeyPorts(config, { dynamodb: clients.dynamodb, sqs: outbound.client }, { bufferStats: true });
  });
  afterAll(() => {
    outbound.client.destroy();
    clients.destroy();
  });
  beforeEach(async () => {
    await drainQueue(clients.sqs, resources.queues.outbound);
    await drainQueue(clients.sqs, resources.queues.journeyTimers);
  });

  function aHandler() {
    return createJourneyTimersHandler({
      ...ports,
      logger: new Logger({ serviceName: 'journey-timers-test', logLevel: 'SILENT' }),
    });
  }

  /**
   * `count` carts left two hours ago: each run waited an hour for the order, so its timer is due
   * now. Returns the timer messages as the consumer receives them.
   */
  async function dueTimers(count: number): Promise<SQSRecord[]> {
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (let index = 0; index < count; index += 1) {
      const cartId = `cart-${randomUUID().slice(0, 8)}`;
      const event = aJourneyEvent(
        'Product Added',
        twoHoursAgo.toISOString(),
        { cartId, products: [{ name: 'Linen shirt', quantity: 1, price: 59 }] },
        { id: `evt-${cartId}`, customerId: `c-${cartId}` },
      );
      await applyEvent(event, { ...ports, now: () => twoHoursAgo });
    }
    const records: SQSRecord[] = [];
    await eventually(
      async () => records.push(...(await recordsOn(clients.sqs, resources.queues.journeyTimers))),
      () => records.length >= count,
      { what: `${count} due timers on the timers queue` },
    );
    return records;
  }

  /** The requestIds that reached the outbound queue since the last look. */
  async function published(): Promise<string[]> {
    const messages = await drainQueue(clients.sqs, resources.queues.outbound);
    return messages.map((message) => String(JSON.parse(message.Body ?? '{}').requestId));
  }

  it('publishes the reminders of a batch of twelve due timers, each once, in two SendMessageBatch requests', async () => {
    // Prepare
    const records = await dueTimers(12);
    const before = outbound.batches();

    // Act
    const response = await aHandler()({ Records: records });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(outbound.batches() - before).toBe(2);
    const requestIds = await published();
    expect(requestIds).toHaveLength(12);
    expect(new Set(requestIds).size).toBe(12);
    expect(requestIds.every((requestId) => /^jr_.+\.push-reminder$/.test(requestId))).toBe(true);
  });

  it('publishes a timer delivered twice in one batch once', async () => {
    // Prepare
    const [timer] = await dueTimers(1);
    const again = anSqsRecord(timer?.body ?? '', randomUUID());
    const before = outbound.batches();

    // Act
    const response = await aHandler()({ Records: [timer!, again] });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(outbound.batches() - before).toBe(1);
    expect(await published()).toHaveLength(1);
  });

  it('reports exactly the timers whose reminders a failed publish lost, and sends each once when they come back', async () => {
    // Prepare: the first of the two SendMessageBatch requests fails; one record is malformed.
    const records = await dueTimers(12);
    const malformed = anSqsRecord('{"kind":"journey-timer"}');
    outbound.failNextBatch();
    const handler = aHandler();

    // Act
    const first = await handler({ Records: [...records, malformed] });
    const sentFirst = await published();
    const failed = new Set(first.batchItemFailures.map((failure) => failure.itemIdentifier));
    const redelivery = records.filter((record) => failed.has(record.messageId));
    const second = await handler({ Records: redelivery });
    const sentSecond = await published();

    // Assess
    expect(sentFirst).toHaveLength(2);
    expect(failed.has(malformed.messageId)).toBe(true);
    expect(redelivery).toHaveLength(10);
    const runOf = (record: SQSRecord) => String(JSON.parse(record.body).runId);
    const sentRuns = new Set(sentFirst.map((requestId) => requestId.split('.')[0]));
    expect(redelivery.every((record) => !sentRuns.has(runOf(record)))).toBe(true);
    expect(second.batchItemFailures).toEqual([]);
    const all = [...sentFirst, ...sentSecond];
    expect(all).toHaveLength(12);
    expect(new Set(all)).toEqual(new Set(records.map((record) => `${runOf(record)}.push-reminder`)));
  });
});
