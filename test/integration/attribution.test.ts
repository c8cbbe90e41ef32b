/**
 * Attribution end to end on DynamoDB Local and fauxqs: messages sent through the real ledgers,
 * conversion touchpoints stored by the real touchpoint store, the real stream consumer crediting
 * them and counting the aggregates, and the report read from those aggregates.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { messagesDocuments } from '../../functions/adapters/dynamodb/messages-table';
import { SnsEventPublisher } from '../../functions/adapters/sns/event-publisher';
import { SqsFallbackQueue } from '../../functions/adapters/sqs/fallback-queue';
import type { AttributionModel } from '../../functions/contract';
import {
  type AttributionSettings,
  DEFAULT_ATTRIBUTION_SETTINGS,
} from '../../functions/domain/attribution/attribution-settings';
import { readAttributionReport } from '../../functions/domain/attribution/read-attribution-report';
import { createLedgerStreamHandler } from '../../functions/handlers/ledger-stream';
import { attributionAggregates, attributionPorts } from '../../functions/wiring/attribution-ports';
import type { LocalResources } from '../../local/emulators';
import { recordConversion, sendMessage } from '../helpers/attribution';
import { isolatedResources, testClients, testEndpoints } from '../helpers/emulators';
import { type LedgerStreamUnderTest, startLedgerStream } from '../helpers/ledger-stream';

const SETTINGS: AttributionSettings = { ...DEFAULT_ATTRIBUTION_SETTINGS, shards: 4 };

describe('Attribution on the emulators', () => {
  const clients = testClients();
  let resources: LocalResources;
  let stream: LedgerStreamUnderTest | undefined;
  let customerId: string;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
    customerId = `c-${Math.random().toString(36).slice(2, 10)}`;
  });
  afterEach(async () => {
    await stream?.stop();
    stream = undefined;
  });

  const ports = () =>
    attributionPorts({
      client: clients.dynamodb,
      messagesTable: resources.tables.messages,
      settings: SETTINGS,
    });
  const startStream = async () => {
    stream = await startLedgerStream(testEndpoints(), resources, clients, { attribution: ports() });
  };
  const send = (input: Omit<Parameters<typeof sendMessage>[2], 'customerId'>) =>
    sendMessage(clients.dynamodb, resources.tables.messages, { customerId, ...input });
  const convert = (input: Omit<Parameters<typeof recordConversion>[2], 'customerId'>) =>
    recordConversion(clients.dynamodb, resources.tables.messages, { customerId, ...input });
  const conversionItem = async (conversionId: string) =>
    (
      await messagesDocuments(clients.dynamodb).send(
        new GetCommand({
          TableName: resources.tables.messages,
          Key: { pk: `customer#${customerId}`, sk: `conversion#${conversionId}` },
        }),
      )
    ).Item;
  const report = (groupBy: string, model: AttributionModel) =>
    readAttributionReport(
      { from: '2026-11-01', to: '2026-11-30', groupBy, model },
      {
        aggregates: attributionAggregates({
          client: clients.dynamodb,
          messagesTable: resources.tables.messages,
          settings: SETTINGS,
        }),
        now: () => new Date('2026-11-30T00:00:00Z'),
      },
    );

  /** A push, then a WhatsApp message, then an Order Completed in a store. */
  async function pushThenWhatsAppThenStore() {
    await send({
      messageId: 'm-push',
      channel: 'push',
      sentAt: '2026-11-20T10:00:00.000Z',
      template: 'cart-reminder',
      campaign: 'winter-sale',
      receipts: ['delivered', 'read'],
    });
    await send({
      messageId: 'm-whatsapp',
      channel: 'whatsapp',
      sentAt: '2026-11-21T10:00:00.000Z',
      template: 'cart-last-call',
      campaign: 'winter-sale',
      receipts: ['delivered'],
    });
    await convert({
      messageId: 'order-1',
      occurredAt: '2026-11-22T15:00:00.000Z',
      channel: 'store',
      properties: { revenue: 120, currency: 'eur', storeId: 'paris-4' },
    });
  }

  it('credits a store purchase to the WhatsApp message under last touch, the push under first, half each under linear', async () => {
    // Prepare
    await startStream();

    // Act
    await pushThenWhatsAppThenStore();
    await stream?.caughtUp();

    // Assess
    const item = await conversionItem('order-1');
    expect(item).toMatchObject({
      kind: 'conversion',
      conversionId: 'order-1',
      event: 'Order Completed',
      occurredAt: '2026-11-22T15:00:00.000Z',
      channel: 'store',
      revenue: 120,
      currency: 'EUR',
      gsi1pk: `timeline#${customerId}`,
      gsi1sk: '2026-11-22T15:00:00.000Z#touchpoint#order-1#conversion',
      credits: [
        {
          messageId: 'm-push',
          channel: 'push',
          template: 'cart-reminder',
          campaign: 'winter-sale',
          weight: { last: 0, first: 1, linear: 0.5 },
        },
        {
          messageId: 'm-whatsapp',
          channel: 'whatsapp',
          template: 'cart-last-call',
          campaign: 'winter-sale',
          weight: { last: 1, first: 0, linear: 0.5 },
        },
      ],
    });
    const byChannel = async (model: AttributionModel) =>
      Object.fromEntries((await report('channel', model)).rows.map((row) => [row.group, row]));
    expect(await byChannel('last')).toEqual({
      whatsapp: {
        group: 'whatsapp',
        sent: 1,
        delivered: 1,
        engaged: 0,
        conversions: 1,
        conversionRate: 1,
        revenue: { EUR: 120 },
        clientReportedConversions: 0,
      },
      push: {
        group: 'push',
        sent: 1,
        delivered: 1,
        engaged: 1,
        conversions: 0,
        conversionRate: 0,
        revenue: {},
        clientReportedConversions: 0,
      },
    });
    expect((await byChannel('first')).push).toMatchObject({ conversions: 1, revenue: { EUR: 120 } });
    expect((await byChannel('first')).whatsapp).toMatchObject({ conversions: 0, revenue: {} });
    expect((await byChannel('linear')).push).toMatchObject({ conversions: 0.5, revenue: { EUR: 60 } });
    expect((await byChannel('linear')).whatsapp).toMatchObject({ conversions: 0.5, revenue: { EUR: 60 } });
    expect((await report('campaign', 'linear')).rows).toEqual([
      expect.objectContaining({ group: 'winter-sale', sent: 2, conversions: 1, revenue: { EUR: 120 } }),
    ]);
    expect((await report('template', 'last')).rows.map((row) => [row.group, row.conversions])).toEqual([
      ['cart-last-call', 1],
      ['cart-reminder', 0],
    ]);
  });

  it('does not credit a message sent before the window', async () => {
    // Prepare
    await startStream();
    await send({ messageId: 'm-old', channel: 'sms', sentAt: '2026-11-10T10:00:00.000Z' });

    // Act
    await convert({ messageId: 'order-late', occurredAt: '2026-11-22T15:00:00.000Z' });
    await stream?.caughtUp();

    // Assess
    expect(await conversionItem('order-late')).toMatchObject({ conversionId: 'order-late', credits: [] });
    expect((await report('channel', 'last')).rows).toEqual([
      expect.objectContaining({ group: 'sms', sent: 1, conversions: 0, revenue: {} }),
    ]);
  });

  it('credits a message once when two conversions follow it', async () => {
    // Prepare
    await startStream();
    await send({ messageId: 'm-email', channel: 'email', sentAt: '2026-11-20T10:00:00.000Z' });

    // Act
    await convert({ messageId: 'order-a', occurredAt: '2026-11-21T10:00:00.000Z' });
    await convert({ messageId: 'order-b', occurredAt: '2026-11-22T10:00:00.000Z' });
    await stream?.caughtUp();

    // Assess
    expect((await conversionItem('order-a'))?.credits).toHaveLength(1);
    expect((await conversionItem('order-b'))?.credits).toEqual([]);
    expect((await report('channel', 'last')).rows).toEqual([
      expect.objectContaining({ group: 'email', sent: 1, conversions: 1, revenue: { EUR: 120 } }),
    ]);
  });

  it('counts a replayed conversion record once, and flags a conversion a client source reported', async () => {
    // Prepare: the stream relays the conversion once; the same record is then handed over again.
    await startStream();
    await send({ messageId: 'm-sms', channel: 'sms', sentAt: '2026-11-20T10:00:00.000Z' });
    await convert({
      messageId: 'order-web',
      occurredAt: '2026-11-20T12:00:00.000Z',
      channel: 'web',
      properties: { total: 42.5, currency: 'USD' },
      source: { sourceId: 'src-web', kind: 'client' },
    });
    await stream?.caughtUp();
    const touchpoint = (
      await messagesDocuments(clients.dynamodb).send(
        new GetCommand({
          TableName: resources.tables.messages,
          Key: { pk: `customer#${customerId}`, sk: 'touchpoint#order-web' },
        }),
      )
    ).Item as Record<string, unknown>;
    const replay: DynamoDBStreamEvent = {
      Records: [1, 2].map((n) => ({
        eventName: 'INSERT',
        eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${resources.tables.messages}/stream/replay`,
        dynamodb: {
          SequenceNumber: `${n}`,
          NewImage: marshall(touchpoint, { removeUndefinedValues: true }) as never,
        },
      })),
    };
    const handler = createLedgerStreamHandler({
      tables: resources.tables,
      events: new SnsEventPublisher({ client: clients.sns, topicArn: resources.eventsTopicArn }),
      fallbacks: new SqsFallbackQueue({ client: clients.sqs, outboundQueueUrl: resources.queues.outbound }),
      attribution: ports(),
      logger: new Logger({ serviceName: 'attribution-test', logLevel: 'SILENT' }),
    });

    // Act
    const response = await handler(replay);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await report('channel', 'last')).rows).toEqual([
      {
        group: 'sms',
        sent: 1,
        delivered: 0,
        engaged: 0,
        conversions: 1,
        conversionRate: 1,
        revenue: { USD: 42.5 },
        clientReportedConversions: 1,
      },
    ]);
    expect(await conversionItem('order-web')).toMatchObject({
      sourceKind: 'client',
      revenue: 42.5,
      credits: [expect.objectContaining({ messageId: 'm-sms', channel: 'sms' })],
    });
  });

  it('sums the report from a handful of queries: one per shard, whatever the number of events', async () => {
    // Prepare
    await startStream();
    for (let index = 0; index < 6; index++) {
      await send({
        messageId: `m-${index}`,
        channel: index % 2 ? 'sms' : 'email',
        sentAt: `2026-11-0${index + 2}T10:00:00.000Z`,
      });
    }
    await stream?.caughtUp();
    const queries: unknown[] = [];
    clients.dynamodb.middlewareStack.add(
      (next) => async (args) => {
        if (args.input && (args.input as { KeyConditionExpression?: string }).KeyConditionExpression)
          queries.push(args.input);
        return next(args);
      },
      { step: 'initialize', name: 'countQueries' },
    );

    // Act
    const rows = (await report('channel', 'last')).rows;
    clients.dynamodb.middlewareStack.remove('countQueries');

    // Assess
    expect(rows.map((row) => [row.group, row.sent])).toEqual([
      ['email', 3],
      ['sms', 3],
    ]);
    expect(queries).toHaveLength(SETTINGS.shards);
  });
});
