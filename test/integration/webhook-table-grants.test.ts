/**
 * The public webhooks' IAM grants are exactly the DynamoDB calls they make: each webhook, wired
 * the way its Lambda entry wires it (functions/wiring/webhook-ports.ts), handles real provider
 * requests on DynamoDB Local while every call is recorded; the calls, as IAM actions on the table or
 * on an index, must equal what the synthesized stack grants that webhook's role. A call the role
 * lacks would be AccessDenied on AWS; a grant no call uses is privilege a forged request could use.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createSendGridSignatureVerifier } from '../../functions/adapters/sendgrid/signature';
import { AddressPepperEnv, Env } from '../../functions/config';
import { createWebhookUseCases } from '../../functions/domain/webhook-use-cases';
import { createSendGridWebhookHandler } from '../../functions/handlers/sendgrid-webhook';
import { createTwilioWebhookHandler } from '../../functions/handlers/twilio-webhook';
import { statefulPortsFromEnv } from '../../functions/wiring/webhook-ports';
import type { LocalResources } from '../../local/emulators';
import { localClientConfig } from '../../local/emulators';
import { logicalId, refersTo, statementsOfRole, synthSwitchboard } from '../helpers/cdk-app';
import { isolatedResources, testAddressPepper, testClients, testEndpoints } from '../helpers/emulators';
import { aCustomer, aRequest, consent } from '../helpers/factories';
import {
  inboundParseRequest,
  sendGridEvent,
  sendGridEventsRequest,
  sendGridKeyPair,
  TEST_INBOUND_SECRET,
  TEST_TWILIO_AUTH_TOKEN,
  twilioFixtures,
  twilioRequest,
  twilioStatusRequest,
} from '../helpers/webhook-requests';
import { aMessageSid, aSendGridMessageId, TestClock, webhookSystem } from '../helpers/webhook-system';

const START = new Date('2026-11-23T13:00:00Z');
const silent = new Logger({ serviceName: 'webhook-table-grants-test', logLevel: 'SILENT' });

/** An IAM action on a table (`customers`, `messages`) or on an index (`messages/index/gsi1`). */
type Grant = `${string} ${string}`;

/** The item-level IAM action each DynamoDB operation needs. */
const ACTION_OF: Record<string, string> = {
  GetItem: 'dynamodb:GetItem',
  BatchGetItem: 'dynamodb:BatchGetItem',
  Query: 'dynamodb:Query',
  Scan: 'dynamodb:Scan',
  PutItem: 'dynamodb:PutItem',
  UpdateItem: 'dynamodb:UpdateItem',
  DeleteItem: 'dynamodb:DeleteItem',
  BatchWriteItem: 'dynamodb:BatchWriteItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

/** A DynamoDB client on the emulator that records, as IAM grants, every call sent through it. */
function recordingClient(resources: LocalResources, calls: Set<Grant>): DynamoDBClient {
  const endpoints = testEndpoints();
  const client = new DynamoDBClient(localClientConfig(endpoints, endpoints.dynamodbEndpoint));
  const tableNames = new Map(Object.entries(resources.tables).map(([key, name]) => [name, key]));
  const record = (operation: string, input: Record<string, unknown>) => {
    const action = ACTION_OF[operation] ?? `unmapped:${operation}`;
    const table = tableNames.get(String(input.TableName)) ?? String(input.TableName);
    calls.add(`${table}${input.IndexName ? `/index/${String(input.IndexName)}` : ''} ${action}`);
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
        for (const item of (input.TransactItems ?? []) as Record<string, Record<string, unknown>>[]) {
          for (const [kind, part] of Object.entries(item)) record(kind, part);
        }
      } else if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
        for (const table of Object.keys((input.RequestItems ?? {}) as object)) {
          record(operation, { TableName: table });
        }
      } else {
        record(operation, input);
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordTableGrants' },
  );
  return client;
}

describe('Integration: webhook table grants match their calls', () => {
  const clients = testClients();
  const sb = synthSwitchboard({ stage: 'dev' });
  let resources: LocalResources;
  let clock: TestClock;
  let seed: ReturnType<typeof webhookSystem>;
  const recorders: DynamoDBClient[] = [];
  afterAll(() => {
    clients.destroy();
    for (const client of recorders) client.destroy();
  });
  beforeEach(async () => {
    resources = await isolatedResources();
    clock = new TestClock(START);
    seed = webhookSystem(resources, clients, clock);
  });
  // Each system polls its tables' streams until stopped.
  afterEach(() => seed.stop());

  /** What the stack grants a webhook's role on the tables, in the same form as the recorded calls. */
  function granted(name: 'twilioWebhook' | 'sendgridWebhook'): Set<Grant> {
    const statements = statementsOfRole(
      sb.services,
      logicalId(sb.stateless, sb.stateless.functions[name]!.role),
    );
    const grants = new Set<Grant>();
    for (const key of ['customers', 'messages'] as const) {
      const id = logicalId(sb.stateful, sb.stateful.tables[key].table);
      for (const statement of statements) {
        for (const resource of statement.resources.filter((r) => refersTo(r, id))) {
          const index = /\/index\/([\w-]+)/.exec(JSON.stringify(resource))?.[1];
          for (const action of statement.actions) {
            grants.add(`${key}${index ? `/index/${index}` : ''} ${action}`);
          }
        }
      }
    }
    return grants;
  }

  /** Webhook use cases wired as the Lambda entry wires them, on a recording DynamoDB client. */
  function wiredUseCases(calls: Set<Grant>) {
    const dynamodb = recordingClient(resources, calls);
    recorders.push(dynamodb);
    const env = {
      [Env.MESSAGES_TABLE]: resources.tables.messages,
      [Env.CUSTOMERS_TABLE]: resources.tables.customers,
      [Env.OUTBOUND_QUEUE_URL]: resources.queues.outbound,
      // The pepper as the local runtime hands it to its handlers (deployed: the secret's ARN).
      [AddressPepperEnv.LOCAL_PEPPER]: testAddressPepper(),
    };
    return createWebhookUseCases({
      ...statefulPortsFromEnv(env, { dynamodb, sqs: clients.sqs }),
      plainLanguage: 'flag',
      now: clock.now,
    });
  }

  it('lets the Twilio webhook make exactly the table calls status callbacks and inbound messages need', async () => {
    // Prepare
    const calls = new Set<Grant>();
    const twilio = createTwilioWebhookHandler({
      authToken: async () => TEST_TWILIO_AUTH_TOKEN,
      useCases: wiredUseCases(calls),
      now: clock.now,
      logger: silent,
    });
    const customer = aCustomer({
      preferences: { channels: ['sms', 'email'] },
      consent: { marketing: { sms: consent('opted_in') } },
    });
    await seed.router.store.put(customer);
    const delivered = aMessageSid();
    const undelivered = aMessageSid();
    for (const sid of [delivered, undelivered]) {
      await seed.sendThrough(
        customer,
        aRequest(customer.customerId, { routing: { channels: ['sms', 'email'] } }),
        { channel: 'sms', provider: 'twilio', providerMessageId: sid },
      );
    }
    const status = (sid: string, value: string, extra: Record<string, string> = {}) =>
      twilioStatusRequest(
        twilioFixtures.smsStatus(value, {
          MessageSid: sid,
          SmsSid: sid,
          To: customer.addresses.sms!,
          ...extra,
        }),
        seed.keyOf(sid),
      );
    const requests: APIGatewayProxyEventV2[] = [
      status(delivered, 'delivered'),
      status(undelivered, 'undelivered', { ErrorCode: '30003', ErrorMessage: 'Unreachable handset' }),
      twilioRequest(
        '/webhooks/twilio/inbound',
        twilioFixtures.inboundSms('STOP', { From: customer.addresses.sms!, MessageSid: aMessageSid() }),
        { headers: { 'I-Twilio-Idempotency-Token': `idem-${aMessageSid()}` } },
      ),
      twilioRequest(
        '/webhooks/twilio/inbound',
        twilioFixtures.inboundWhatsApp('Hello', {
          From: `whatsapp:${customer.addresses.whatsapp}`,
          MessageSid: aMessageSid(),
        }),
      ),
    ];

    // Act
    const answers = [];
    for (const request of requests) {
      clock.advance(60);
      answers.push((await twilio(request)).statusCode);
    }

    // Assess
    expect(answers).toEqual([200, 200, 200, 200]);
    expect([...calls].sort()).toEqual([...granted('twilioWebhook')].sort());
  });

  it('lets the SendGrid webhook make exactly the table calls events and inbound email need', async () => {
    // Prepare
    const calls = new Set<Grant>();
    const keys = sendGridKeyPair();
    const sendgrid = createSendGridWebhookHandler({
      verifyEvents: createSendGridSignatureVerifier({ publicKey: keys.publicKey, now: clock.now }),
      inboundParseSecret: async () => TEST_INBOUND_SECRET,
      useCases: wiredUseCases(calls),
      now: clock.now,
      logger: silent,
    });
    const customer = aCustomer({
      preferences: { channels: ['email', 'sms'] },
      consent: { marketing: { email: consent('opted_in') } },
    });
    await seed.router.store.put(customer);
    const emailId = aSendGridMessageId();
    const messageId = await seed.sendThrough(
      customer,
      aRequest(customer.customerId, { routing: { channels: ['email', 'sms'] } }),
      { channel: 'email', provider: 'sendgrid', providerMessageId: emailId },
    );
    const bounce = sendGridEventsRequest(
      keys.privateKey,
      [
        sendGridEvent('bounce', {
          type: 'bounce',
          email: customer.addresses.email,
          reason: '550 5.1.1 The email account that you tried to reach does not exist',
          sg_message_id: `${emailId}.filter0001.16648.5515E0B88.0`,
          ...seed.customArgs(emailId),
          messageId,
        }),
      ],
      { now: clock.now() },
    );
    const reply = inboundParseRequest({
      from: `Customer <${customer.addresses.email}>`,
      to: 'reply@parse.example.com',
      subject: 'Re: hello',
      text: 'STOP',
    });

    // Act
    const answers = [(await sendgrid(bounce)).statusCode, (await sendgrid(reply)).statusCode];

    // Assess
    expect(answers).toEqual([200, 200]);
    expect([...calls].sort()).toEqual([...granted('sendgridWebhook')].sort());
  });
});
