/**
 * Factories of attribution tests: messages sent through the real ledgers (the message item on the
 * timeline, its attempt leased and sent), conversion touchpoints stored by the real touchpoint store.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAttemptLedger } from '../../functions/adapters/dynamodb/attempt-ledger';
import { DynamoDbMessageLedger } from '../../functions/adapters/dynamodb/message-ledger';
import { DynamoDbTouchpointStore } from '../../functions/adapters/dynamodb/touchpoint-store';
import type { Channel, MessageRequest, MessageStatus } from '../../functions/contract';
import type { Touchpoint } from '../../functions/domain/touchpoints/touchpoint';
import { aNewMessage, aRequest } from './factories';

/** A message to send in a test. */
export interface SentMessageInput {
  readonly customerId: string;
  readonly messageId: string;
  readonly channel: Channel;
  /** When the provider took it (UTC ISO); the message was created a minute before. */
  readonly sentAt: string;
  readonly category?: string;
  readonly template?: string;
  readonly campaign?: string;
  /** Receipt statuses after `sent`, each a minute after the previous. */
  readonly receipts?: readonly MessageStatus[];
}

/** Records a message the way the router and a channel sender do: message item, lease, sent, receipts. */
export async function sendMessage(
  client: DynamoDBClient,
  tableName: string,
  input: SentMessageInput,
): Promise<void> {
  const sentMs = Date.parse(input.sentAt);
  const createdAt = new Date(sentMs - 60_000).toISOString();
  const category = input.category ?? 'marketing';
  const metadata: Record<string, string> = input.campaign ? { campaign: input.campaign } : {};
  const request: MessageRequest = {
    ...aRequest(input.customerId, { category }),
    ...(input.template ? { template: input.template, data: {} } : {}),
    metadata,
  };
  await new DynamoDbMessageLedger({ client, tableName }).createMessage(
    aNewMessage(input.customerId, input.messageId, {
      category,
      request,
      metadata,
      attempts: [{ channel: input.channel, attempt: 1 }],
      fallbackChannels: [],
      at: createdAt,
    }),
  );
  const attempts = new DynamoDbAttemptLedger({ client, tableName });
  const key = {
    customerId: input.customerId,
    messageId: input.messageId,
    channel: input.channel,
    attempt: 1,
  };
  await attempts.leaseAttempt(key, {
    owner: 'test',
    leaseSeconds: 30,
    now: new Date(createdAt),
    queuedAt: createdAt,
    context: {
      requestId: `r-${input.messageId}`,
      category,
      metadata,
      ...(input.template ? { template: input.template } : {}),
      fallbackAllowed: false,
    },
  });
  await attempts.recordSent(
    key,
    { provider: 'sandbox', providerMessageId: `p-${input.messageId}` },
    new Date(sentMs),
  );
  let at = sentMs;
  for (const status of input.receipts ?? []) {
    at += 60_000;
    await attempts.recordReceiptStatus(key, { status, at: new Date(at) });
  }
}

/** A conversion touchpoint to store in a test. */
export interface ConversionInput {
  readonly customerId: string;
  readonly messageId: string;
  readonly occurredAt: string;
  readonly name?: string;
  readonly channel?: Touchpoint['channel'];
  readonly properties?: Record<string, unknown>;
  readonly source?: Touchpoint['source'];
}

/** Stores a touchpoint on the customer's timeline, as the touchpoints consumer does. */
export async function recordConversion(client: DynamoDBClient, tableName: string, input: ConversionInput) {
  await new DynamoDbTouchpointStore({ client, tableName }).put(
    { kind: 'customer', customerId: input.customerId },
    {
      messageId: input.messageId,
      type: 'track',
      name: input.name ?? 'Order Completed',
      customerId: input.customerId,
      occurredAt: input.occurredAt,
      receivedAt: input.occurredAt,
      channel: input.channel ?? 'store',
      properties: input.properties ?? { revenue: 120, currency: 'EUR' },
      ...(input.source ? { source: input.source } : {}),
    },
  );
}
