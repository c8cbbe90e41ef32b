/**
 * The console's delivery funnel and failure reasons, counted from the ledger on DynamoDB Local:
 * attempts written by the real ledger adapter, read back through the console's HTTP endpoint.
 */
import { DynamoDbAttemptLedger } from '../../../functions/adapters/dynamodb/attempt-ledger';
import { DynamoDbMessageLedger } from '../../../functions/adapters/dynamodb/message-ledger';
import type { Channel } from '../../../functions/contract';
import type { AttemptKey, NewMessage } from '../../../functions/domain/ledger-model';
import { type ConsoleServer, startConsole } from '../../../local/console-server';
import type { DeliveryStats } from '../../../local/delivery-stats';
import type { LocalResources } from '../../../local/emulators';
import { type LocalHttpServer, startHttpServer } from '../../../local/http-server';
import { SandboxOutbox } from '../../../local/sandbox/outbox';
import { isolatedResources, testClients } from '../../helpers/emulators';
import { aNewMessage } from '../../helpers/factories';

const AT = new Date('2026-11-23T13:00:00.000Z');

function aMessage(customerId: string, messageId: string, channels: Channel[]): NewMessage {
  return aNewMessage(customerId, messageId, {
    fallbackChannels: [],
    attempts: channels.map((channel) => ({ channel, attempt: 1 })),
    metadata: {},
    at: AT.toISOString(),
  });
}

describe('Function: GET /console/api/funnel', () => {
  const clients = testClients();
  let resources: LocalResources;
  let ledger: DynamoDbMessageLedger;
  let attempts: DynamoDbAttemptLedger;
  let http: LocalHttpServer;
  let console: ConsoleServer;
  let counter = 0;

  beforeAll(async () => {
    resources = await isolatedResources();
    ledger = new DynamoDbMessageLedger({ client: clients.dynamodb, tableName: resources.tables.messages });
    attempts = new DynamoDbAttemptLedger({ client: clients.dynamodb, tableName: resources.tables.messages });
    http = await startHttpServer();
    console = startConsole({
      http,
      sqs: clients.sqs,
      messages: { dynamodb: clients.dynamodb, tableName: resources.tables.messages },
      outbox: new SandboxOutbox(),
      queues: resources.queues,
      handlers: { loaded: [] },
    });
  });
  afterAll(async () => {
    console.stop();
    await http.stop();
    clients.destroy();
  });

  /** A message with one attempt on `channel`, taken through `steps`. */
  async function anAttempt(channel: Channel, steps: (key: AttemptKey) => Promise<unknown>): Promise<void> {
    counter += 1;
    const key: AttemptKey = {
      customerId: `c-funnel-${counter}`,
      messageId: `msg_f${counter}`,
      channel,
      attempt: 1,
    };
    await ledger.createMessage(aMessage(key.customerId, key.messageId, [channel]));
    await steps(key);
  }
  const lease = (key: AttemptKey) =>
    attempts.leaseAttempt(key, { owner: 'test', leaseSeconds: 30, now: AT, queuedAt: AT.toISOString() });
  const sent = async (key: AttemptKey, provider: 'twilio' | 'sendgrid' | 'fcm') => {
    await lease(key);
    await attempts.recordSent(key, { provider, providerMessageId: `pm-${key.messageId}` }, AT);
  };
  const receipt = (key: AttemptKey, status: 'delivered' | 'read' | 'opened') =>
    attempts.recordReceiptStatus(key, { status, at: new Date(AT.getTime() + 1000) });

  it('counts each channel from the ledger: queued, sent, delivered, read/opened and failures by code', async () => {
    // Prepare: SMS — one still queued (not yet leased), one delivered, one refused at send (21211),
    // one undelivered by the carrier (30003); WhatsApp — read; email — opened, and a bounce.
    await anAttempt('sms', async () => {});
    await anAttempt('sms', async (key) => {
      await sent(key, 'twilio');
      await receipt(key, 'delivered');
    });
    await anAttempt('sms', async (key) => {
      await lease(key);
      await attempts.recordFailed(key, { code: '21211', message: 'Invalid To number', permanent: true }, AT);
    });
    await anAttempt('sms', async (key) => {
      await sent(key, 'twilio');
      await attempts.recordReceiptStatus(key, {
        status: 'undelivered',
        at: new Date(AT.getTime() + 1000),
        error: { code: '30003', message: 'Unreachable destination handset', permanent: true },
      });
    });
    await anAttempt('whatsapp', async (key) => {
      await sent(key, 'twilio');
      await receipt(key, 'delivered');
      await receipt(key, 'read');
    });
    await anAttempt('email', async (key) => {
      await sent(key, 'sendgrid');
      await receipt(key, 'opened');
    });
    await anAttempt('email', async (key) => {
      await sent(key, 'sendgrid');
      await attempts.recordReceiptStatus(key, {
        status: 'bounced',
        at: new Date(AT.getTime() + 1000),
        error: { code: '5.1.1', message: 'Mailbox does not exist', permanent: true },
      });
    });

    // Act
    const response = await fetch(`${http.url}/console/api/funnel`);
    const body = (await response.json()) as DeliveryStats;

    // Assess
    expect(response.status).toBe(200);
    expect(body.source).toBe('ledger');
    expect(body.stages).toEqual(['queued', 'sent', 'delivered', 'read']);
    expect(body.channels).toEqual({
      sms: { queued: 4, sent: 2, delivered: 1, read: 0, failed: 2 },
      whatsapp: { queued: 1, sent: 1, delivered: 1, read: 1, failed: 0 },
      // Opened without a delivered event still counts as delivered: a later stage implies the earlier.
      email: { queued: 2, sent: 2, delivered: 1, read: 1, failed: 1 },
      push: { queued: 0, sent: 0, delivered: 0, read: 0, failed: 0 },
    });
    expect(body.failures).toEqual(
      expect.arrayContaining([
        { channel: 'sms', code: '21211', status: 'failed', message: 'Invalid To number', count: 1 },
        {
          channel: 'sms',
          provider: 'twilio',
          code: '30003',
          status: 'undelivered',
          message: 'Unreachable destination handset',
          count: 1,
        },
        {
          channel: 'email',
          provider: 'sendgrid',
          code: '5.1.1',
          status: 'bounced',
          message: 'Mailbox does not exist',
          count: 1,
        },
      ]),
    );
    expect(body.failures).toHaveLength(3);
  });

  it('groups repeated failures of one code into one reason with its count', async () => {
    // Prepare: two more 21211 refusals.
    for (let i = 0; i < 2; i++) {
      await anAttempt('sms', async (key) => {
        await lease(key);
        await attempts.recordFailed(
          key,
          { code: '21211', message: 'Invalid To number', permanent: true },
          AT,
        );
      });
    }

    // Act
    const body = (await (await fetch(`${http.url}/console/api/funnel`)).json()) as DeliveryStats;

    // Assess: the most frequent reason comes first.
    expect(body.failures[0]).toMatchObject({ channel: 'sms', code: '21211', count: 3 });
    expect(body.channels.sms.failed).toBe(4);
  });
});
