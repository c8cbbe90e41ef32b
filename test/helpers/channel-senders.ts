/**
 * The channel senders wired to a private set of emulator resources: each real handler factory with
 * a given provider sender, the router to produce real channel messages, and readers for what they did.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import {
  type ChannelConsumerConfig,
  DEFAULT_MAX_RETRYABLE_FAILURES,
  DEFAULT_SEND_LEASE_SECONDS,
} from '../../functions/config';
import type { Channel, ChannelMessage, FallbackRequest } from '../../functions/contract';
import type { LinkTrackingSettings } from '../../functions/domain/links/link-tracking';
import type { ChannelSender, MessageRenderer } from '../../functions/domain/ports';
import { createSendEmailHandler } from '../../functions/handlers/send-email';
import { createSendPushHandler } from '../../functions/handlers/send-push';
import { createSendSmsHandler } from '../../functions/handlers/send-sms';
import { createSendWhatsAppHandler } from '../../functions/handlers/send-whatsapp';
import type { ChannelHandler } from '../../functions/handlers/shared/channel-consumer';
import { channelPorts } from '../../functions/wiring/channel-ports';
import type { LocalResources } from '../../local/emulators';
import { anSqsRecord } from './factories';
import { quietMetrics } from './metrics';
import { routerUnderTest } from './router';

/** The real handler factory of each channel. */
export const HANDLER_FACTORIES = {
  sms: createSendSmsHandler,
  whatsapp: createSendWhatsAppHandler,
  email: createSendEmailHandler,
  push: createSendPushHandler,
} as const satisfies Record<Channel, unknown>;

/** A sender's configuration for a set of local resources. */
export function senderConfig(resources: LocalResources): ChannelConsumerConfig {
  return {
    customersTable: resources.tables.customers,
    messagesTable: resources.tables.messages,
    outboundQueueUrl: resources.queues.outbound,
    receiptsQueueUrl: resources.queues.receipts,
    retentionDays: 400,
    policy: {
      leaseSeconds: DEFAULT_SEND_LEASE_SECONDS,
      maxRetryableFailures: DEFAULT_MAX_RETRYABLE_FAILURES,
    },
  };
}

/** An SQS record carrying a channel message, on its `receiveCount`-th delivery. */
export function channelRecord(
  message: ChannelMessage | string,
  receiveCount = 1,
  sqsMessageId?: string,
): SQSRecord {
  const record = anSqsRecord(
    typeof message === 'string' ? message : JSON.stringify(message),
    sqsMessageId as Parameters<typeof anSqsRecord>[1],
  );
  return { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: String(receiveCount) } };
}

/** An SQS event of one record. */
export const eventOf = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** The router and the channel senders on one set of emulator resources. */
export function sendersUnderTest(
  resources: LocalResources,
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient },
  options: { templates?: MessageRenderer; now?: () => Date } = {},
) {
  const router = routerUnderTest(resources, clients, options);
  const metrics = quietMetrics('sender-test');
  const silent = new Logger({ serviceName: 'sender-test', logLevel: 'SILENT' });
  return {
    router,
    metrics,
    /** The real handler of a channel around the given provider sender. */
    handlerFor(
      channel: Channel,
      sender: ChannelSender,
      options: {
        policy?: Partial<ChannelConsumerConfig['policy']>;
        now?: () => Date;
        receiptsQueueUrl?: string;
        linkTracking?: LinkTrackingSettings;
      } = {},
    ): ChannelHandler {
      const config = {
        ...senderConfig(resources),
        ...(options.receiptsQueueUrl ? { receiptsQueueUrl: options.receiptsQueueUrl } : {}),
      };
      return HANDLER_FACTORIES[channel]({
        ...channelPorts({
          sender,
          config: { ...config, policy: { ...config.policy, ...options.policy } },
          dynamodb: clients.dynamodb,
          sqs: clients.sqs,
          ...(options.now ? { now: options.now } : {}),
          // Off unless a test asks: no base URL, no rewriting.
          linkTracking: options.linkTracking ?? { categories: {} },
        }),
        logger: silent,
        metrics,
      });
    },
    /** The channel messages of one message now visible on a channel queue. */
    async channelMessagesOf(channel: Channel, messageId?: string): Promise<ChannelMessage[]> {
      const messages = await router.channelMessages(channel);
      return messages.filter((message) => !messageId || message.messageId === messageId);
    },
    /** The fallback requests now visible on the outbound queue, with their raw bodies. */
    async fallbackRequests(): Promise<{ request: FallbackRequest; body: string }[]> {
      const received = await router.receive('outbound');
      return received.map((message) => ({
        request: JSON.parse(message.Body ?? '{}') as FallbackRequest,
        body: message.Body ?? '',
      }));
    },
  };
}
