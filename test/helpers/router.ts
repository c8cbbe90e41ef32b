/**
 * The router wired to a private set of emulator resources, with helpers to read what it did.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDbAttemptLedger } from '../../functions/adapters/dynamodb/attempt-ledger';
import { DynamoDbCustomerStore } from '../../functions/adapters/dynamodb/customer-store';
import { DynamoDbMessageLedger } from '../../functions/adapters/dynamodb/message-ledger';
import { addressKeyerFromEnv } from '../../functions/adapters/secrets/keyed-hash';
import type { RouteMessagesConfig } from '../../functions/config';
import type { ChannelMessage } from '../../functions/contract';
import { DEFAULT_ROUTING } from '../../functions/domain/plan-route';
import type { DeliveryScheduler, MessageRenderer } from '../../functions/domain/ports';
import type { FrequencyCap } from '../../functions/domain/routing/frequency-caps';
import { createRouteMessagesHandler } from '../../functions/handlers/route-messages';
import type { LearnedRoutingConfig } from '../../functions/learned-routing-config';
import { routerPorts } from '../../functions/wiring/router-ports';
import type { QueueKey } from '../../infra/resources';
import type { LocalResources } from '../../local/emulators';
import { quietMetrics } from './metrics';
import { timelineReader } from './timeline';

/** The router's configuration for a set of local resources. */
export function routerConfig(resources: LocalResources): RouteMessagesConfig {
  return {
    customersTable: resources.tables.customers,
    messagesTable: resources.tables.messages,
    outboundQueueUrl: resources.queues.outbound,
    channelQueueUrls: {
      sms: resources.queues.sms,
      whatsapp: resources.queues.whatsapp,
      email: resources.queues.email,
      push: resources.queues.push,
    },
    retentionDays: 400,
    defaults: DEFAULT_ROUTING,
  };
}

/** Options for {@link routerUnderTest}. */
export interface RouterUnderTestOptions {
  readonly now?: () => Date;
  readonly dynamodb?: DynamoDBClient;
  readonly scheduler?: DeliveryScheduler;
  readonly templates?: MessageRenderer;
  /** Learned channel choice's settings (default: from the environment). */
  readonly learned?: LearnedRoutingConfig;
  /** Frequency caps (default: none, whatever the environment says). */
  readonly frequencyCaps?: readonly FrequencyCap[];
}

/** A router handler on the emulators, its store and ledgers, and queue readers. */
export function routerUnderTest(
  resources: LocalResources,
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient },
  options: RouterUnderTestOptions = {},
) {
  const dynamodb = options.dynamodb ?? clients.dynamodb;
  const handler = createRouteMessagesHandler({
    ...routerPorts({
      config: routerConfig(resources),
      dynamodb,
      sqs: clients.sqs,
      ...(options.now ? { now: options.now } : {}),
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      ...(options.templates ? { templates: options.templates } : {}),
      ...(options.learned ? { learned: options.learned } : {}),
      frequencyCaps: options.frequencyCaps ?? [],
    }),
    logger: new Logger({ serviceName: 'router-test', logLevel: 'SILENT' }),
    // EMF lines would flood the test output; the logging test checks the metrics themselves.
    metrics: quietMetrics('router-test'),
  });
  const store = new DynamoDbCustomerStore({
    client: clients.dynamodb,
    tableName: resources.tables.customers,
    keyer: addressKeyerFromEnv(),
  });
  const ledger = new DynamoDbMessageLedger({
    client: clients.dynamodb,
    tableName: resources.tables.messages,
  });
  /** The customers' timelines, as the API reads them. */
  const timeline = timelineReader(resources, clients.dynamodb);
  /** The senders' side of the ledger, for tests that lease and record attempts as a sender would. */
  const attempts = new DynamoDbAttemptLedger({
    client: clients.dynamodb,
    tableName: resources.tables.messages,
  });
  /** Every message now visible on a queue (received, left in flight). */
  const receive = async (queue: QueueKey): Promise<Message[]> => {
    const all: Message[] = [];
    for (;;) {
      const output = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: resources.queues[queue],
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
        }),
      );
      if (!output.Messages?.length) return all;
      all.push(...output.Messages);
    }
  };
  return {
    handler,
    store,
    ledger,
    attempts,
    timeline,
    receive,
    /** Channel messages now visible on a channel queue. */
    async channelMessages(queue: QueueKey): Promise<ChannelMessage[]> {
      return (await receive(queue)).map((message) => JSON.parse(message.Body ?? '{}') as ChannelMessage);
    },
    /** Messages waiting out a delay on a queue. */
    async delayedCount(queue: QueueKey): Promise<number> {
      const output = await clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: resources.queues[queue],
          AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
        }),
      );
      return Number(output.Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
    },
  };
}
