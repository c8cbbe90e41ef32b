/**
 * A channel sender's ports from its configuration: the attempt ledger and customer store on DynamoDB,
 * fallbacks onto the outbound queue and receipt-timeout checks onto the receipts queue (sent together
 * per invocation), around the channel's provider sender.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbAttemptLedger } from '../adapters/dynamodb/attempt-ledger';
import { DynamoDbCustomerStore } from '../adapters/dynamodb/customer-store';
import { DynamoDbLinkStore } from '../adapters/dynamodb/link-store';
import { addressKeyerFromEnv } from '../adapters/secrets/keyed-hash';
import { SqsFallbackQueue } from '../adapters/sqs/fallback-queue';
import { ReceiptCheckBatch } from '../adapters/sqs/receipt-check-scheduler';
import { type ChannelConsumerConfig, channelConsumerConfigFromEnv } from '../config';
import { LINK_TRACKED_CHANNELS, type LinkTrackingSettings } from '../domain/links/link-tracking';
import type { AddressKeyer, ChannelSender } from '../domain/ports';
import type { ChannelConsumerPorts } from '../handlers/shared/channel-consumer';
import { linkTrackingConfigFromEnv } from '../link-tracking-config';

/** What a channel sender's adapters are built on; tests and the local runtime pass their own. */
export interface ChannelWiring {
  readonly config: ChannelConsumerConfig;
  /** The provider (or sandbox) sender for the channel. */
  readonly sender: ChannelSender;
  readonly dynamodb?: DynamoDBClient;
  readonly sqs?: SQSClient;
  readonly now?: () => Date;
  /** Names addresses in keys; by default from the environment (adapters/secrets/keyed-hash.ts). */
  readonly keyer?: AddressKeyer;
  /** Link tracking; by default from the environment (functions/link-tracking-config.ts). */
  readonly linkTracking?: LinkTrackingSettings;
}

/** A channel sender's ports on the given configuration, sender and clients. */
export function channelPorts(wiring: ChannelWiring): ChannelConsumerPorts {
  const { config, now } = wiring;
  const dynamodb = wiring.dynamodb ?? new DynamoDBClient({});
  const sqs = wiring.sqs ?? new SQSClient({});
  const linkTracking = wiring.linkTracking ?? linkTrackingConfigFromEnv();
  // Only the channels whose links are rewritten (not email), and only with a base URL to rewrite to.
  const tracksLinks = linkTracking.baseUrl !== undefined && LINK_TRACKED_CHANNELS.has(wiring.sender.channel);
  return {
    sender: wiring.sender,
    ledger: new DynamoDbAttemptLedger({
      client: dynamodb,
      tableName: config.messagesTable,
      retentionDays: config.retentionDays,
    }),
    customers: new DynamoDbCustomerStore({
      client: dynamodb,
      tableName: config.customersTable,
      keyer: wiring.keyer ?? addressKeyerFromEnv(),
    }),
    fallback: new SqsFallbackQueue({ client: sqs, outboundQueueUrl: config.outboundQueueUrl }),
    receipts: () =>
      new ReceiptCheckBatch({ client: sqs, queueUrl: config.receiptsQueueUrl, ...(now ? { now } : {}) }),
    policy: config.policy,
    ...(tracksLinks
      ? {
          links: {
            settings: linkTracking,
            store: new DynamoDbLinkStore({
              client: dynamodb,
              tableName: config.messagesTable,
              retentionDays: config.retentionDays,
              ...(now ? { now } : {}),
            }),
          },
        }
      : {}),
    ...(now ? { now } : {}),
  };
}

/** A channel sender's ports from the environment (functions/config.ts) around `sender`. */
export function channelPortsFromEnv(
  sender: ChannelSender,
  env: NodeJS.ProcessEnv = process.env,
): ChannelConsumerPorts {
  return channelPorts({ config: channelConsumerConfigFromEnv(env), sender });
}
