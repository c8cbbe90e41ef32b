/**
 * The one attempt-status write on DynamoDB Local, through each of its writers (the attempt
 * ledger's sent, failed and receipt statuses; the webhook ledger's receipts): what each writes,
 * that each is one UpdateItem, and that a status never moves back.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbAttemptLedger } from '../../functions/adapters/dynamodb/attempt-ledger';
import { DynamoDbMessageLedger } from '../../functions/adapters/dynamodb/message-ledger';
import { attemptKey } from '../../functions/adapters/dynamodb/messages-table';
import { DynamoDbWebhookLedger } from '../../functions/adapters/dynamodb/webhook-ledger';
import type { AttemptKey, OutboundAttempt } from '../../functions/domain/ledger-model';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aNewMessage, anAddressKeyer } from '../helpers/factories';

const AT = '2026-11-23T13:00:00.000Z';
const LATER = '2026-11-23T13:00:05.000Z';

describe('Function: advanceAttemptStatus', () => {
  const clients = testClients();
  const counting = testClients();
  const requests: string[] = [];
  let resources: LocalResources;
  let messages: DynamoDbMessageLedger;
  let attempts: DynamoDbAttemptLedger;
  let webhooks: DynamoDbWebhookLedger;
  let counter = 0;
  afterAll(() => {
    clients.destroy();
    counting.destroy();
  });
  beforeAll(async () => {
    resources = await isolatedResources();
    counting.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        requests.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const options = { client: counting.dynamodb, tableName: resources.tables.messages };
    messages = new DynamoDbMessageLedger({ client: clients.dynamodb, tableName: resources.tables.messages });
    attempts = new DynamoDbAttemptLedger(options);
    webhooks = new DynamoDbWebhookLedger({ ...options, keyer: anAddressKeyer() });
  });

  /** A message with one SMS attempt, leased by `owner` (with the message's context). */
  async function leasedAttempt(owner = 'sender-1'): Promise<AttemptKey> {
    counter += 1;
    const key: AttemptKey = {
      customerId: `c-write-${counter}`,
      messageId: `msg_w${counter}`,
      channel: 'sms',
      attempt: 1,
    };
    const message = aNewMessage(key.customerId, key.messageId, { category: 'marketing', at: AT });
    await messages.createMessage(message);
    await attempts.leaseAttempt(key, {
      owner,
      leaseSeconds: 30,
      now: new Date(AT),
      queuedAt: AT,
      context: {
        requestId: message.requestId,
        category: 'marketing',
        metadata: { campaign: 'c1' },
        fallbackAllowed: true,
      },
    });
    requests.length = 0;
    return key;
  }

  async function itemOf(key: AttemptKey): Promise<Record<string, unknown>> {
    const output = await clients.dynamodb.send(
      new GetItemCommand({
        TableName: resources.tables.messages,
        Key: { pk: { S: attemptKey(key).pk }, sk: { S: attemptKey(key).sk } },
        ConsistentRead: true,
      }),
    );
    return unmarshall(output.Item ?? {});
  }

  /** The attempt as the webhook found it after the send. */
  function outbound(key: AttemptKey, providerMessageId?: string): OutboundAttempt {
    return {
      ...key,
      ...(providerMessageId ? { provider: 'twilio' as const, providerMessageId } : {}),
      requestId: `r-${key.messageId}`,
      category: 'marketing',
      status: 'sent',
      fallbackAllowed: true,
      triedChannels: ['sms'],
      metadata: { campaign: 'c1' },
    };
  }

  it('records sent with the receipt and its time, and ends the lease, in one UpdateItem', async () => {
    // Prepare
    const key = await leasedAttempt();

    // Act
    const moved = await attempts.recordSent(
      key,
      { provider: 'twilio', providerMessageId: 'SM-1', details: { segments: 2 } },
      new Date(LATER),
    );

    // Assess
    const item = await itemOf(key);
    expect(moved).toBe(true);
    expect(requests).toEqual(['UpdateItemCommand']);
    expect(item).toMatchObject({
      status: 'sent',
      provider: 'twilio',
      providerMessageId: 'SM-1',
      sentAt: LATER,
      details: { segments: 2 },
      requestId: `r-${key.messageId}`,
    });
    expect(item.history).toEqual([
      { status: 'queued', at: AT },
      { status: 'sent', at: LATER, channel: 'sms' },
    ]);
    expect(item).not.toHaveProperty('leaseOwner');
    expect(item).not.toHaveProperty('leaseUntil');
  });

  it('records a failure with its error code as the reason, and ends the lease', async () => {
    // Prepare
    const key = await leasedAttempt();
    const error = { code: '21211', message: 'invalid number', permanent: true };

    // Act
    const moved = await attempts.recordFailed(key, error, new Date(LATER), { fallbackOwed: true });

    // Assess
    const item = await itemOf(key);
    expect(moved).toBe(true);
    expect(requests).toEqual(['UpdateItemCommand']);
    expect(item).toMatchObject({ status: 'failed', error, details: { fallbackOwed: true } });
    expect(item.history).toContainEqual({ status: 'failed', at: LATER, channel: 'sms', reason: '21211' });
    expect(item).not.toHaveProperty('leaseOwner');
    expect(item).not.toHaveProperty('sentAt');
  });

  it('records a status the sender read without ending the lease', async () => {
    // Prepare
    const key = await leasedAttempt('sender-keeps');

    // Act
    const moved = await attempts.recordReceiptStatus(key, { status: 'expired', at: new Date(LATER) });

    // Assess
    const item = await itemOf(key);
    expect(moved).toBe(true);
    expect(item).toMatchObject({ status: 'expired', leaseOwner: 'sender-keeps' });
    expect(item).not.toHaveProperty('error');
  });

  it('records a provider receipt with its event, and claims the fallback it owes once', async () => {
    // Prepare
    const key = await leasedAttempt();
    await attempts.recordSent(key, { provider: 'twilio', providerMessageId: 'SM-2' }, new Date(AT));
    requests.length = 0;
    const error = { code: '30003', message: 'unreachable', permanent: true };
    const fallback = { kind: 'failure_receipt' as const, code: '30003', at: LATER };

    // Act
    const first = await webhooks.advanceStatus(outbound(key, 'SM-2'), {
      status: 'undelivered',
      at: LATER,
      providerEvent: 'undelivered',
      error,
      fallback,
    });
    const repeated = await webhooks.advanceStatus(outbound(key, 'SM-2'), {
      status: 'undelivered',
      at: LATER,
      providerEvent: 'undelivered',
      error,
      fallback,
    });

    // Assess
    const item = await itemOf(key);
    expect([first, repeated]).toEqual(['moved-and-claimed-fallback', 'unchanged']);
    expect(requests).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
    expect(item).toMatchObject({
      status: 'undelivered',
      lastProviderEvent: 'undelivered',
      error,
      fallbackClaim: { ...fallback, triedChannels: ['sms'] },
    });
    expect(item.history).toContainEqual({
      status: 'undelivered',
      at: LATER,
      channel: 'sms',
      reason: 'undelivered 30003',
      providerEvent: 'undelivered',
      provider: 'twilio',
      providerMessageId: 'SM-2',
      error,
    });
  });

  it('keeps a fallback claim already there (a receipt timeout) when a failure receipt moves the status', async () => {
    // Prepare
    const key = await leasedAttempt();
    await attempts.recordSent(key, { provider: 'twilio', providerMessageId: 'SM-3' }, new Date(AT));
    const timeout = { kind: 'receipt_timeout' as const, code: 'ReceiptTimeout', at: AT };
    await webhooks.claimFallback(outbound(key), timeout);

    // Act
    const moved = await webhooks.advanceStatus(outbound(key), {
      status: 'undelivered',
      at: LATER,
      providerEvent: 'undelivered',
      fallback: { kind: 'failure_receipt', code: '30003', at: LATER },
    });

    // Assess
    expect(moved).toBe('moved');
    expect((await itemOf(key)).fallbackClaim).toEqual({ ...timeout, triedChannels: ['sms'] });
  });
});
