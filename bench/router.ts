/**
 * Router benchmark: batches of 10 through the real router handler on DynamoDB Local + fauxqs,
 * against the bare minimum a router must do for the same batch, issued directly in the same run:
 * one BatchGetItem for the customers, one conditional PutItem per message, and one SendMessageBatch
 * per channel queue. Requests are counted by SDK middleware on the clients; times are wall clock,
 * with the router and the bare minimum interleaved batch by batch so drift hits both alike.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { DynamoDbCustomerStore } from '../functions/adapters/dynamodb/customer-store';
import { profileKey } from '../functions/adapters/dynamodb/customers-table';
import { DynamoDbEngagementCounters } from '../functions/adapters/dynamodb/engagement-counters';
import { messageKey, timelinePartition } from '../functions/adapters/dynamodb/messages-table';
import { HmacAddressKeyer } from '../functions/adapters/secrets/keyed-hash';
import {
  type Channel,
  CustomerSchema,
  type MessageRequest,
  MessageRequestSchema,
} from '../functions/contract';
import { FrequencyCapsSchema } from '../functions/domain/routing/frequency-caps';
import { createRouteMessagesHandler } from '../functions/handlers/route-messages';
import { routerPorts } from '../functions/wiring/router-ports';
import { createResources, type LocalEndpoints, localClientConfig } from '../local/emulators';
import { routerConfig } from '../test/helpers/router';

/** One benchmark line. */
export interface RouterBenchRow {
  readonly scenario: string;
  readonly messages: number;
  readonly dynamodbPerMessage: number;
  readonly sqsPerMessage: number;
  readonly routerMsPerMessage: number;
  readonly bareMsPerMessage: number;
  readonly ratio: number;
  /** The scenario's DynamoDB target per message (the router's, plus what its feature must add). */
  readonly dynamodbTarget: number;
}

/** What the router must stay within per message, and against the bare-minimum calls. */
export const ROUTER_TARGETS = { dynamodbPerMessage: 1.3, sqsPerMessage: 0.2, ratio: 1.3 } as const;

const BATCH = 10;

/** The capped scenario's caps: generous enough that every message is counted and sent. */
const BENCH_CAPS = FrequencyCapsSchema.parse([
  { categories: ['marketing'], max: 1, per: 'P1D' },
  { categories: ['marketing'], max: 3, per: 'P7D' },
]);

class Counter {
  readonly byCommand = new Map<string, number>();
  total = 0;
  attach(client: DynamoDBClient | SQSClient): void {
    (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
      (next, context) => async (args) => {
        this.total += 1;
        const name = String(context.commandName);
        this.byCommand.set(name, (this.byCommand.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
  }
  reset(): void {
    this.total = 0;
    this.byCommand.clear();
  }
}

/** Runs the router benchmark on running emulators and returns one row per scenario. */
export async function benchRouter(
  endpoints: LocalEndpoints,
  options: { batches?: number; warmup?: number } = {},
): Promise<RouterBenchRow[]> {
  const batches = options.batches ?? 40;
  const warmup = options.warmup ?? 5;
  const rows: RouterBenchRow[] = [];
  for (const scenario of [
    { name: 'one channel (sms)', channels: ['sms'] as Channel[], learned: false },
    { name: 'two channels (sms + email)', channels: ['sms', 'email'] as Channel[], learned: false },
    // Every request `learned`, every customer with engagement counters on both channels, and
    // population shards to read: what learned channel choice adds to the same batches.
    { name: 'learned (sms + email, counters)', channels: ['sms', 'email'] as Channel[], learned: true },
    // Marketing under two frequency caps (1 a day, 3 a week, any channel): each message is counted
    // with one conditional UpdateItem on its profile item; the bare minimum counts with one too.
    { name: 'capped marketing (sms, 2 caps)', channels: ['sms'] as Channel[], learned: false, capped: true },
  ]) {
    rows.push(
      await runScenario(
        endpoints,
        scenario.name,
        scenario.channels,
        batches,
        warmup,
        scenario.learned,
        'capped' in scenario && scenario.capped,
      ),
    );
  }
  return rows;
}

async function runScenario(
  endpoints: LocalEndpoints,
  scenario: string,
  channels: Channel[],
  batches: number,
  warmup: number,
  learned: boolean,
  capped = false,
): Promise<RouterBenchRow> {
  const resources = await createResources(endpoints, { suffix: `-bench-${randomUUID().slice(0, 8)}` });
  const dynamodb = new DynamoDBClient(localClientConfig(endpoints, endpoints.dynamodbEndpoint));
  const sqs = new SQSClient(localClientConfig(endpoints, endpoints.sqsEndpoint));
  const dynamoCount = new Counter();
  const sqsCount = new Counter();
  dynamoCount.attach(dynamodb);
  sqsCount.attach(sqs);
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });

  // Customers: each prefers one of the scenario's channels, in turn.
  const total = (batches + warmup) * BATCH;
  const store = new DynamoDbCustomerStore({
    client: dynamodb,
    tableName: resources.tables.customers,
    keyer: new HmacAddressKeyer(randomBytes(32).toString('hex')),
  });
  const customers = Array.from({ length: total }, (_, index) =>
    CustomerSchema.parse({
      customerId: `bench-${index}-${randomUUID().slice(0, 8)}`,
      addresses: {
        sms: `+33612${String(index).padStart(6, '0')}`,
        email: `bench-${index}@example.com`,
      },
      // No quiet hours: a marketing message sent at night would be scheduled, not routed.
      preferences: {
        channels: [channels[index % channels.length]],
        ...(capped ? { quietHours: { start: '00:00', end: '00:00' } } : {}),
      },
      ...(capped
        ? {
            consent: {
              marketing: { sms: { status: 'opted_in', at: '2026-01-01T00:00:00Z', source: 'bench' } },
            },
          }
        : {}),
      timezone: 'Europe/Paris',
    }),
  );
  for (let start = 0; start < customers.length; start += 25) {
    await Promise.all(customers.slice(start, start + 25).map((customer) => store.put(customer)));
  }
  if (learned) await seedEngagement(dynamodb, resources.tables.customers, customers, channels);

  const handler = createRouteMessagesHandler({
    ...routerPorts({
      config: routerConfig(resources),
      dynamodb,
      sqs,
      frequencyCaps: capped ? BENCH_CAPS : [],
    }),
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'Bench', serviceName: 'bench' }),
  });

  const requests = (batch: number): MessageRequest[] =>
    customers.slice(batch * BATCH, (batch + 1) * BATCH).map((customer) =>
      MessageRequestSchema.parse({
        schemaVersion: 1,
        requestId: `r-${randomUUID()}`,
        customerId: customer.customerId,
        category: capped ? 'marketing' : 'transactional',
        content: { text: 'Your code is 123456', subject: 'Your code' },
        ...(learned ? { routing: { strategy: 'learned' } } : {}),
      }),
    );

  const bare = async (batch: MessageRequest[]) => {
    const ids = batch.map((request) => request.customerId);
    const got = await documents.send(
      new BatchGetCommand({
        RequestItems: {
          [resources.tables.customers]: {
            Keys: ids.map((id) => ({ pk: profileKey(id) })),
            ConsistentRead: true,
          },
        },
      }),
    );
    const found = new Map(
      (got.Responses?.[resources.tables.customers] ?? []).map((item) => [String(item.customerId), item]),
    );
    const now = new Date().toISOString();
    await Promise.all(
      batch.map((request) =>
        documents.send(
          new PutCommand({
            TableName: resources.tables.messages,
            Item: {
              ...messageKey(request.customerId, `bare-${request.requestId}`),
              kind: 'message',
              request,
              status: 'queued',
              createdAt: now,
              gsi1pk: timelinePartition(request.customerId),
              gsi1sk: `${now}#bare-${request.requestId}`,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      ),
    );
    if (capped) {
      await Promise.all(
        batch.map((request) =>
          documents.send(
            new UpdateCommand({
              TableName: resources.tables.customers,
              Key: { pk: profileKey(request.customerId) },
              UpdateExpression: 'ADD bareCapCount :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
            }),
          ),
        ),
      );
    }
    const byChannel = new Map<Channel, MessageRequest[]>();
    for (const request of batch) {
      const customer = found.get(request.customerId);
      const channel = ((customer?.preferences as { channels?: Channel[] })?.channels?.[0] ??
        'sms') as Channel;
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), request]);
    }
    await Promise.all(
      [...byChannel].map(([channel, list]) =>
        sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: resources.queues[channel],
            Entries: list.map((request, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(request),
            })),
          }),
        ),
      ),
    );
  };

  const event = (batch: MessageRequest[]): SQSEvent => ({
    Records: batch.map((request) => ({
      messageId: randomUUID(),
      receiptHandle: 'bench',
      body: JSON.stringify(request),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench',
      awsRegion: 'us-east-1',
    })),
  });

  let routerMs = 0;
  let bareMs = 0;
  let routerDynamo = 0;
  let routerSqs = 0;
  let routed = 0;
  for (let batch = 0; batch < batches + warmup; batch++) {
    const batchRequests = requests(batch);
    const measured = batch >= warmup;
    // Alternate which goes first so that neither always runs on a warmer emulator.
    const order = batch % 2 === 0 ? ['router', 'bare'] : ['bare', 'router'];
    for (const which of order) {
      if (which === 'router') {
        dynamoCount.reset();
        sqsCount.reset();
        const started = performance.now();
        const response = await handler(event(batchRequests));
        const elapsed = performance.now() - started;
        if (response.batchItemFailures.length > 0)
          throw new Error('The router failed records during the benchmark');
        if (measured) {
          routerMs += elapsed;
          routerDynamo += dynamoCount.total;
          routerSqs += sqsCount.total;
          routed += batchRequests.length;
        }
      } else {
        const started = performance.now();
        await bare(batchRequests);
        if (measured) bareMs += performance.now() - started;
      }
    }
  }
  dynamodb.destroy();
  sqs.destroy();
  return {
    scenario,
    messages: routed,
    dynamodbPerMessage: routerDynamo / routed,
    sqsPerMessage: routerSqs / routed,
    routerMsPerMessage: routerMs / routed,
    bareMsPerMessage: bareMs / routed,
    ratio: routerMs / bareMs,
    dynamodbTarget: ROUTER_TARGETS.dynamodbPerMessage + (capped ? 1 : 0),
  };
}

/**
 * Counters for the learned scenario, written by the real stream-side adapter before anything is
 * counted: a send on each channel per customer (their items carry the counters the router reads),
 * and a few sends per channel in the population shards.
 */
async function seedEngagement(
  dynamodb: DynamoDBClient,
  tableName: string,
  customers: readonly { customerId: string }[],
  channels: readonly Channel[],
): Promise<void> {
  const counters = new DynamoDbEngagementCounters({ client: dynamodb, tableName });
  const atMs = Date.now();
  for (let start = 0; start < customers.length; start += 25) {
    await Promise.all(
      customers.slice(start, start + 25).flatMap((customer, index) =>
        channels.map((channel) =>
          counters.count({
            customerId: customer.customerId,
            messageId: `seed-${start + index}-${channel}`,
            ...(start === 0 ? { category: 'transactional' } : {}),
            event: { channel, kind: 'sent', atMs },
          }),
        ),
      ),
    );
  }
}

/** Prints the rows as a table with the targets. */
export function printRouterTable(rows: readonly RouterBenchRow[]): void {
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log('\nRouter, batches of 10 (DynamoDB Local + fauxqs on 127.0.0.1)');
  console.table(
    rows.map((row) => ({
      scenario: row.scenario,
      messages: row.messages,
      'DynamoDB req/msg': `${row.dynamodbPerMessage.toFixed(2)} (≤${row.dynamodbTarget} ${mark(row.dynamodbPerMessage <= row.dynamodbTarget)})`,
      'SQS req/msg': `${row.sqsPerMessage.toFixed(2)} (≤${ROUTER_TARGETS.sqsPerMessage} ${mark(row.sqsPerMessage <= ROUTER_TARGETS.sqsPerMessage + 1e-9)})`,
      'router ms/msg': row.routerMsPerMessage.toFixed(2),
      'bare minimum ms/msg': row.bareMsPerMessage.toFixed(2),
      'router / bare': `${row.ratio.toFixed(2)}× (≤${ROUTER_TARGETS.ratio}× ${mark(row.ratio <= ROUTER_TARGETS.ratio)})`,
    })),
  );
}
