/**
 * The webhooks, the receipt-timeout check and the router wired together on a private set of
 * emulator resources, exactly as the Lambda entries wire them (DynamoDB ledger and consent store,
 * and the ledger's stream consumer relaying events to SNS and owed fallbacks to the outbound queue),
 * with helpers to seed sent messages and read back what happened. After each webhook or check, the
 * helpers wait until the stream consumer has relayed every change (as Lambda's poller would, soon).
 */

import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDbConsentStore } from '../../functions/adapters/dynamodb/consent-store';
import { DynamoDbWebhookLedger } from '../../functions/adapters/dynamodb/webhook-ledger';
import { addressKeyerFromEnv } from '../../functions/adapters/secrets/keyed-hash';
import { createSendGridSignatureVerifier } from '../../functions/adapters/sendgrid/signature';
import { SqsReceiptCheckScheduler } from '../../functions/adapters/sqs/receipt-check-scheduler';
import type { Channel, Customer, MessageRequest, Provider, ReceiptCheck } from '../../functions/contract';
import { messageIdFor } from '../../functions/domain/message-id';
import type { ConsentStore } from '../../functions/domain/ports';
import { createWebhookUseCases, type WebhookUseCases } from '../../functions/domain/webhook-use-cases';
import { createReceiptTimeoutHandler } from '../../functions/handlers/receipt-timeout';
import { createSendGridWebhookHandler } from '../../functions/handlers/sendgrid-webhook';
import { createTwilioWebhookHandler } from '../../functions/handlers/twilio-webhook';
import type { LocalResources } from '../../local/emulators';
import { type TestClients, testEndpoints } from './emulators';
import { anSqsEvent } from './factories';
import { type LedgerStreamOptions, startLedgerStream } from './ledger-stream';
import { routerUnderTest } from './router';
import { entriesOf } from './timeline';
import { subscribedQueue } from './topic-subscription';
import { sendGridKeyPair, TEST_INBOUND_SECRET, TEST_TWILIO_AUTH_TOKEN } from './webhook-requests';

/** A clock a test moves forward. */
export class TestClock {
  #now: number;
  constructor(start: Date) {
    this.#now = start.getTime();
  }
  /** The current time. */
  now = (): Date => new Date(this.#now);
  /** Moves the clock forward. */
  advance(seconds: number): Date {
    this.#now += seconds * 1000;
    return this.now();
  }
}

/** Everything a webhook integration test talks to; `stop()` it in afterAll. */
export function webhookSystem(
  resources: LocalResources,
  clients: TestClients,
  clock: TestClock,
  options: {
    readonly stream?: LedgerStreamOptions;
    /** Wraps the consent store the webhooks write through (fault injection). */
    readonly wrapConsent?: (store: ConsentStore) => ConsentStore;
    /** Wraps the use cases the webhook handlers call (a planted defect). */
    readonly wrapUseCases?: (useCases: WebhookUseCases) => WebhookUseCases;
  } = {},
) {
  const silent = new Logger({ serviceName: 'webhooks-test', logLevel: 'SILENT' });
  // This run's pepper (jest.config.js), so the API's wiring finds what the webhooks stored.
  const keyer = addressKeyerFromEnv();
  const ledger = new DynamoDbWebhookLedger({
    client: clients.dynamodb,
    tableName: resources.tables.messages,
    now: clock.now,
    keyer,
  });
  const consent = new DynamoDbConsentStore({
    client: clients.dynamodb,
    tableName: resources.tables.customers,
    keyer,
  });
  const stream = startLedgerStream(testEndpoints(), resources, clients, options.stream);
  /** Waits until the stream consumer has relayed every change written so far. */
  const relayed = async () => (await stream).caughtUp();
  const realUseCases = createWebhookUseCases({
    ledger,
    consent: options.wrapConsent ? options.wrapConsent(consent) : consent,
    plainLanguage: 'flag',
    now: clock.now,
  });
  const useCases = options.wrapUseCases ? options.wrapUseCases(realUseCases) : realUseCases;
  const sendGridKeys = sendGridKeyPair();
  const twilioHandler = createTwilioWebhookHandler({
    authToken: async () => TEST_TWILIO_AUTH_TOKEN,
    useCases,
    now: clock.now,
    logger: silent,
  });
  const sendgridHandler = createSendGridWebhookHandler({
    verifyEvents: createSendGridSignatureVerifier({ publicKey: sendGridKeys.publicKey, now: clock.now }),
    inboundParseSecret: async () => TEST_INBOUND_SECRET,
    useCases,
    now: clock.now,
    logger: silent,
  });
  const receiptTimeoutHandler = createReceiptTimeoutHandler({
    ledger,
    scheduler: new SqsReceiptCheckScheduler({
      client: clients.sqs,
      queueUrl: resources.queues.receipts,
      now: clock.now,
    }),
    now: clock.now,
    logger: silent,
  });
  const router = routerUnderTest(resources, clients, { now: clock.now });
  /** A handler that returns once the stream consumer has relayed what it wrote. */
  const thenRelayed =
    <A extends unknown[], R>(handler: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await handler(...args);
      await relayed();
      return result;
    };
  const twilio = thenRelayed(twilioHandler);
  const sendgrid = thenRelayed(sendgridHandler);
  const receiptTimeout = thenRelayed(receiptTimeoutHandler);
  // The attempt key each provider message id was sent for, as the provider echoes it back.
  const sentKeys = new Map<string, { customerId: string; messageId: string; attempt: number }>();

  /** Routes a request through the real router and records the send of its first attempt, as a sender would. */
  async function sendThrough(
    customer: Customer,
    request: MessageRequest,
    sent: { channel: Channel; provider: Provider; providerMessageId: string },
  ): Promise<string> {
    const routed = await router.handler(anSqsEvent([request]));
    if (routed.batchItemFailures.length > 0) throw new Error('the router failed the request');
    const [message] = await router.channelMessages(sent.channel);
    if (!message) throw new Error(`the router put nothing on the ${sent.channel} queue`);
    const key = {
      customerId: customer.customerId,
      messageId: messageIdFor(customer.customerId, request.requestId),
      channel: sent.channel,
      attempt: message.attempt,
    };
    await router.attempts.leaseAttempt(key, {
      owner: 'test-sender',
      leaseSeconds: 60,
      now: clock.now(),
      queuedAt: message.queuedAt,
      context: {
        requestId: message.requestId,
        category: message.category,
        metadata: message.metadata,
        fallbackAllowed: message.fallbackChannels.length > 0,
      },
    });
    sentKeys.set(sent.providerMessageId, {
      customerId: key.customerId,
      messageId: key.messageId,
      attempt: key.attempt,
    });
    await router.attempts.recordSent(
      key,
      { provider: sent.provider, providerMessageId: sent.providerMessageId },
      clock.now(),
    );
    return key.messageId;
  }

  /** The attempt key a provider message id was sent for (what the status callback URL carries). */
  function keyOf(providerMessageId: string) {
    const key = sentKeys.get(providerMessageId);
    if (!key) throw new Error(`nothing was sent as ${providerMessageId}`);
    return key;
  }

  /** SendGrid's custom_args of a send, as its events echo them. */
  function customArgs(providerMessageId: string) {
    const key = keyOf(providerMessageId);
    return { customerId: key.customerId, messageId: key.messageId, attempt: String(key.attempt) };
  }

  /** The attempt records of a message, by channel. */
  async function attempts(customerId: string, messageId: string) {
    const messages = await entriesOf(router.timeline, customerId, 'message');
    const message = messages.find((entry) => entry.messageId === messageId);
    return Object.fromEntries((message?.attempts ?? []).map((record) => [record.channel, record]));
  }

  /** Every item of both tables, sorted, as one comparable value. */
  async function tables(): Promise<string> {
    const dump: Record<string, unknown[]> = {};
    for (const table of [resources.tables.customers, resources.tables.messages]) {
      const output = await clients.dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
      dump[table] = (output.Items ?? []).map((item) => JSON.stringify(item)).sort();
    }
    return JSON.stringify(dump);
  }

  /** Runs what is on the outbound queue (fallback requests) through the real router; returns the bodies. */
  async function routeOutbound(): Promise<unknown[]> {
    await relayed();
    const records = await router.receive('outbound');
    if (records.length === 0) return [];
    const bodies = records.map((record) => record.Body ?? '');
    const routed = await router.handler(anSqsEvent(bodies));
    if (routed.batchItemFailures.length > 0) throw new Error('the router failed a fallback request');
    return bodies.map((body) => JSON.parse(body));
  }

  /** A receipt check as an SQS event for the receipt-timeout handler. */
  function receiptCheckEvent(check: ReceiptCheck) {
    return anSqsEvent([check]);
  }

  /** Subscribes a new queue to the events topic (raw delivery, optional filter policy); returns its reader. */
  async function subscribe(filterPolicy?: Record<string, unknown>) {
    const queueUrl = await subscribedQueue(
      clients,
      resources.eventsTopicArn,
      filterPolicy ? { filterPolicy } : {},
    );
    /** Event types received, waiting until at least `expected` arrived and then one empty receive. */
    return async (expected: number): Promise<string[]> => {
      await relayed();
      const messages: Message[] = [];
      for (let round = 0; round < 10; round++) {
        const output = await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        const batch = output.Messages ?? [];
        messages.push(...batch);
        if (batch.length === 0 && messages.length >= expected) break;
      }
      return messages.map((message) => (JSON.parse(message.Body ?? '{}') as { type: string }).type).sort();
    };
  }

  return {
    ledger,
    consent,
    twilio,
    sendgrid,
    sendGridPrivateKey: sendGridKeys.privateKey as KeyObject,
    receiptTimeout,
    router,
    sendThrough,
    keyOf,
    customArgs,
    attempts,
    tables,
    routeOutbound,
    receiptCheckEvent,
    subscribe,
    relayed,
    /** Stops the stream consumer. */
    stop: async () => (await stream).stop(),
  };
}

/** A Twilio message SID, different on each call. */
export function aMessageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** A SendGrid X-Message-Id, different on each call. */
export function aSendGridMessageId(): string {
  return randomBytes(11).toString('base64url');
}
