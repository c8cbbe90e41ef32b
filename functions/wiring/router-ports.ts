/**
 * The router's ports from its configuration: the customer store and the ledger on DynamoDB, the
 * channel queues on SQS, long delays on EventBridge Scheduler (or chained through SQS when no
 * scheduler role is configured, as locally), and the template renderer the bundle carries.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbCustomerStore } from '../adapters/dynamodb/customer-store';
import { DynamoDbFrequencyCapCounters } from '../adapters/dynamodb/frequency-cap-counters';
import { DynamoDbJourneyDispatchFence } from '../adapters/dynamodb/journey-dispatch-fence';
import { DynamoDbMessageLedger } from '../adapters/dynamodb/message-ledger';
import { DynamoDbPopulationRates } from '../adapters/dynamodb/population-rates';
import { loadTemplateSet } from '../adapters/files/template-files';
import { EventBridgeDeliveryScheduler } from '../adapters/scheduler/eventbridge-delivery-scheduler';
import { addressKeyerFromEnv } from '../adapters/secrets/keyed-hash';
import { SqsChannelDispatcher } from '../adapters/sqs/channel-dispatcher';
import { SqsDelayChainScheduler } from '../adapters/sqs/delay-chain-scheduler';
import { type RouteMessagesConfig, routeMessagesConfigFromEnv } from '../config';
import { createMessageRenderer } from '../domain/literal-content-renderer';
import type { AddressKeyer, DeliveryScheduler, MessageRenderer } from '../domain/ports';
import type { FrequencyCap } from '../domain/routing/frequency-caps';
import { TemplateRenderer } from '../domain/templates/template-renderer';
import { frequencyCapsFromEnv } from '../frequency-caps-config';
import type { RouteMessagesPorts } from '../handlers/route-messages';
import { type LearnedRoutingConfig, learnedRoutingConfigFromEnv } from '../learned-routing-config';

/** What the router's adapters are built on; tests, benches and the local runtime pass their own. */
export interface RouterWiring {
  readonly config: RouteMessagesConfig;
  /** Learned channel choice's settings (default: from the environment). */
  readonly learned?: LearnedRoutingConfig;
  /** Frequency caps (default: from the environment); none, and the router makes no request for caps. */
  readonly frequencyCaps?: readonly FrequencyCap[];
  readonly dynamodb?: DynamoDBClient;
  readonly sqs?: SQSClient;
  /** Overrides the scheduler chosen from config. */
  readonly scheduler?: DeliveryScheduler;
  /** The template renderer, when this build has one; literal content needs none. */
  readonly templates?: MessageRenderer;
  readonly now?: () => Date;
  /** Names addresses in keys; by default from the environment (the router reads profiles by id and never hashes). */
  readonly keyer?: AddressKeyer;
}

/** The router's ports on the given configuration and clients. */
export function routerPorts(wiring: RouterWiring): RouteMessagesPorts {
  const { config, now } = wiring;
  const learned = wiring.learned ?? learnedRoutingConfigFromEnv();
  const caps = wiring.frequencyCaps ?? frequencyCapsFromEnv();
  const dynamodb = wiring.dynamodb ?? new DynamoDBClient({});
  const sqs = wiring.sqs ?? new SQSClient({});
  const scheduler =
    wiring.scheduler ??
    (config.scheduler
      ? new EventBridgeDeliveryScheduler({ client: new SchedulerClient({}), ...config.scheduler })
      : new SqsDelayChainScheduler({ client: sqs, outboundQueueUrl: config.outboundQueueUrl, now }));
  return {
    customers: new DynamoDbCustomerStore({
      client: dynamodb,
      tableName: config.customersTable,
      keyer: wiring.keyer ?? addressKeyerFromEnv(),
    }),
    ledger: new DynamoDbMessageLedger({
      client: dynamodb,
      tableName: config.messagesTable,
      retentionDays: config.retentionDays,
    }),
    journeyFence: new DynamoDbJourneyDispatchFence({ client: dynamodb, tableName: config.messagesTable }),
    dispatcher: new SqsChannelDispatcher({ client: sqs, queueUrls: config.channelQueueUrls }),
    scheduler,
    renderer: createMessageRenderer(wiring.templates),
    defaults: { ...config.defaults, strategies: learned.strategies },
    // Built once per container: its cache is what keeps the rates off the per-message path.
    population: new DynamoDbPopulationRates({
      client: dynamodb,
      tableName: config.customersTable,
      shards: learned.populationShards,
      maxAgeSeconds: learned.populationMaxAgeSeconds,
    }),
    channelChoice: learned.choice,
    ...(caps.length > 0
      ? {
          frequencyCaps: {
            caps,
            counters: new DynamoDbFrequencyCapCounters({
              client: dynamodb,
              tableName: config.customersTable,
            }),
          },
        }
      : {}),
    ...(now ? { now } : {}),
  };
}

/** The templates the bundler writes beside the handler (templates.json, infra/bundling.mjs), or the repository's. */
export function bundledTemplates(config: RouteMessagesConfig): MessageRenderer {
  return new TemplateRenderer({ templates: loadTemplateSet(), defaultTimeZone: config.defaults.timeZone });
}

/** The router's ports from the environment (functions/config.ts), with the bundled templates. */
export function routerPortsFromEnv(env: NodeJS.ProcessEnv = process.env): RouteMessagesPorts {
  const config = routeMessagesConfigFromEnv(env);
  return routerPorts({
    config,
    learned: learnedRoutingConfigFromEnv(env),
    frequencyCaps: frequencyCapsFromEnv(env),
    templates: bundledTemplates(config),
  });
}
