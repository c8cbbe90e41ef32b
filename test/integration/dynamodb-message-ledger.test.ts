/**
 * The message ledger on DynamoDB Local: create-if-absent, the attempt lease, receipts that only move
 * forward, attempt items off the index (1 WRU a write), retention and erasure (the timeline:
 * dynamodb-timeline-reader.test.ts).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbAttemptLedger } from '../../functions/adapters/dynamodb/attempt-ledger';
import { DynamoDbMessageLedger } from '../../functions/adapters/dynamodb/message-ledger';
import { RetryLaterError } from '../../functions/domain/errors';
import type { AttemptKey, NewMessage } from '../../functions/domain/ledger-model';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aNewMessage } from '../helpers/factories';
import { timelineReader } from '../helpers/timeline';

const AT = '2026-11-23T13:00:00.000Z';

function aMessage(customerId: string, messageId: string): NewMessage {
  return aNewMessage(customerId, messageId, { at: AT });
}

describe('Classes: DynamoDbMessageLedger and DynamoDbAttemptLedger', () => {
  const clients = testClients();
  let resources: LocalResources;
  let ledger: DynamoDbMessageLedger;
  let attempts: DynamoDbAttemptLedger;
  let counter = 0;
  const ids = () => {
    counter += 1;
    return { customerId: `c-ledger-${counter}`, messageId: `msg_${counter}` };
  };
  afterAll(() => clients.destroy());
  beforeAll(async () => {
    resources = await isolatedResources();
    ledger = new DynamoDbMessageLedger({ client: clients.dynamodb, tableName: resources.tables.messages });
    attempts = new DynamoDbAttemptLedger({ client: clients.dynamodb, tableName: resources.tables.messages });
  });

  async function attemptItem(key: AttemptKey) {
    const output = await clients.dynamodb.send(
      new GetItemCommand({
        TableName: resources.tables.messages,
        Key: {
          pk: { S: `customer#${key.customerId}` },
          sk: { S: `message#${key.messageId}#attempt#${key.attempt}#${key.channel}` },
        },
        ConsistentRead: true,
      }),
    );
    return output.Item;
  }

  async function queuedAttempt(): Promise<AttemptKey> {
    const { customerId, messageId } = ids();
    await ledger.createMessage(aMessage(customerId, messageId));
    return { customerId, messageId, channel: 'sms', attempt: 1 };
  }

  it('creates a message once and returns the first one to a duplicate', async () => {
    // Prepare
    const { customerId, messageId } = ids();

    // Act
    const first = await ledger.createMessage(aMessage(customerId, messageId));
    const second = await ledger.createMessage({ ...aMessage(customerId, messageId), status: 'rejected' });

    // Assess
    expect(first).toEqual({ created: true });
    expect(second).toMatchObject({ created: false, existing: { status: 'queued', messageId } });
  });

  it('sets the TTL to 400 days after creation by default', async () => {
    // Prepare
    const { customerId, messageId } = ids();

    // Act
    await ledger.createMessage(aMessage(customerId, messageId));

    // Assess
    const item = await clients.dynamodb.send(
      new GetItemCommand({
        TableName: resources.tables.messages,
        Key: { pk: { S: `customer#${customerId}` }, sk: { S: `message#${messageId}` } },
      }),
    );
    expect(Number(item.Item?.expiresAt?.N)).toBe(Date.parse(AT) / 1000 + 400 * 24 * 60 * 60);
  });

  it('leases an attempt once: a second invocation is told to retry later', async () => {
    // Prepare
    const key = await queuedAttempt();
    const now = new Date(AT);

    // Act
    const first = await attempts.leaseAttempt(key, { owner: 'inv-1', leaseSeconds: 30, now, queuedAt: AT });
    const second = attempts.leaseAttempt(key, { owner: 'inv-2', leaseSeconds: 30, now, queuedAt: AT });

    // Assess
    expect(first.outcome).toBe('leased');
    await expect(second).rejects.toBeInstanceOf(RetryLaterError);
  });

  it('lets another invocation take an expired lease', async () => {
    // Prepare
    const key = await queuedAttempt();
    await attempts.leaseAttempt(key, { owner: 'inv-1', leaseSeconds: 30, now: new Date(AT), queuedAt: AT });

    // Act
    const later = await attempts.leaseAttempt(key, {
      owner: 'inv-2',
      leaseSeconds: 30,
      now: new Date(Date.parse(AT) + 31_000),
      queuedAt: AT,
    });

    // Assess
    expect(later.outcome).toBe('leased');
  });

  it('acknowledges a redelivered attempt that was already sent, keeping it off the index', async () => {
    // Prepare
    const key = await queuedAttempt();
    await attempts.leaseAttempt(key, { owner: 'inv-1', leaseSeconds: 30, now: new Date(AT), queuedAt: AT });
    await attempts.recordSent(
      key,
      { provider: 'twilio', providerMessageId: `SM${key.messageId}`, details: { segments: 1 } },
      new Date(AT),
    );

    // Act
    const redelivered = await attempts.leaseAttempt(key, {
      owner: 'inv-2',
      leaseSeconds: 30,
      now: new Date(AT),
      queuedAt: AT,
    });
    const item = await attemptItem(key);

    // Assess
    expect(redelivered).toMatchObject({
      outcome: 'already-done',
      attempt: { ...key, status: 'sent', details: { segments: 1 } },
    });
    // Webhooks read attempts by key: an attempt on gsi1 would cost a second write unit per update.
    expect(item?.gsi1pk).toBeUndefined();
    expect(item?.providerMessageId).toEqual({ S: `SM${key.messageId}` });
  });

  it('moves a receipt status only forward', async () => {
    // Prepare
    const key = await queuedAttempt();
    await attempts.leaseAttempt(key, { owner: 'inv-1', leaseSeconds: 30, now: new Date(AT), queuedAt: AT });
    await attempts.recordSent(
      key,
      { provider: 'twilio', providerMessageId: `SM-${key.messageId}` },
      new Date(AT),
    );

    // Act
    const delivered = await attempts.recordReceiptStatus(key, { status: 'delivered', at: new Date(AT) });
    const lateSent = await attempts.recordReceiptStatus(key, { status: 'sent', at: new Date(AT) });
    const read = await attempts.recordReceiptStatus(key, { status: 'read', at: new Date(AT) });
    const lateDelivered = await attempts.recordReceiptStatus(key, { status: 'delivered', at: new Date(AT) });

    // Assess
    expect([delivered, lateSent, read, lateDelivered]).toEqual([true, false, true, false]);
    const history = (await attemptItem(key))?.history?.L?.map((change) => change.M?.status?.S);
    expect(history).toEqual(['queued', 'sent', 'delivered', 'read']);
  });

  it('records a failure with its error and ends the attempt', async () => {
    // Prepare
    const key = await queuedAttempt();
    await attempts.leaseAttempt(key, { owner: 'inv-1', leaseSeconds: 30, now: new Date(AT), queuedAt: AT });

    // Act
    const failed = await attempts.recordFailed(
      key,
      { code: '21211', message: 'invalid number', permanent: true },
      new Date(AT),
    );
    const again = await attempts.leaseAttempt(key, {
      owner: 'inv-2',
      leaseSeconds: 30,
      now: new Date(AT),
      queuedAt: AT,
    });

    // Assess
    expect(failed).toBe(true);
    expect(again).toMatchObject({
      outcome: 'already-done',
      attempt: { status: 'failed', error: { code: '21211', permanent: true } },
    });
  });

  it('erases every message and attempt of a customer, leaving only attempt tombstones', async () => {
    // Prepare
    const key = await queuedAttempt();
    await attempts.leaseAttempt(key, { owner: 'x', leaseSeconds: 30, now: new Date(AT), queuedAt: AT });

    // Act
    const erased = await ledger.eraseTimeline(key.customerId, new Date(AT));

    // Assess
    expect(erased.items).toBe(2);
    expect(await ledger.getMessage(key.customerId, key.messageId)).toBeUndefined();
    expect(await timelineReader(resources, clients.dynamodb).timeline(key.customerId, { limit: 25 })).toEqual(
      {
        entries: [],
      },
    );
    const tombstone = await attemptItem(key);
    expect(Object.keys(tombstone ?? {}).sort()).toEqual(['expiresAt', 'kind', 'pk', 'sk']);
    expect(tombstone?.kind?.S).toBe('erased');
    expect(Number(tombstone?.expiresAt?.N)).toBe(Date.parse(AT) / 1000 + 15 * 24 * 60 * 60);
  });

  it('refuses the lease of an erased attempt, and writes nothing back for it', async () => {
    // Prepare: the attempt was queued but never leased when the customer was erased.
    const key = await queuedAttempt();
    await ledger.eraseTimeline(key.customerId, new Date(AT));

    // Act
    const lease = await attempts.leaseAttempt(key, {
      owner: 'late',
      leaseSeconds: 30,
      now: new Date(AT),
      queuedAt: AT,
    });
    const sent = await attempts.recordSent(
      key,
      { provider: 'twilio', providerMessageId: 'SM-late' },
      new Date(AT),
    );
    const failed = await attempts.recordFailed(
      key,
      { code: 'x', message: 'x', permanent: true },
      new Date(AT),
    );

    // Assess
    expect(lease).toEqual({ outcome: 'erased' });
    expect([sent, failed]).toEqual([false, false]);
    expect((await attemptItem(key))?.kind?.S).toBe('erased');
    expect(await ledger.getMessage(key.customerId, key.messageId)).toBeUndefined();
  });

  it('names the pending schedules of the messages it erases', async () => {
    // Prepare
    const { customerId, messageId } = ids();
    await ledger.createMessage({ ...aMessage(customerId, messageId), status: 'scheduled', attempts: [] });
    await ledger.createMessage(aMessage(customerId, `${messageId}b`));

    // Act
    const erased = await ledger.eraseTimeline(customerId, new Date(AT));

    // Assess
    expect([...erased.scheduleKeys].sort()).toEqual([messageId, `${messageId}b-2`]);
  });

  it('adds a fallback attempt only on a channel not tried before', async () => {
    // Prepare
    const { customerId, messageId } = ids();
    await ledger.createMessage(aMessage(customerId, messageId));
    const change = { status: 'queued' as const, at: AT };

    // Act
    const email = await ledger.addFallbackAttempts(
      customerId,
      messageId,
      { attempts: [{ channel: 'email', attempt: 2 }], fallbackChannels: [], skipped: {} },
      change,
    );
    const smsAgain = await ledger.addFallbackAttempts(
      customerId,
      messageId,
      { attempts: [{ channel: 'sms', attempt: 3 }], fallbackChannels: [], skipped: {} },
      change,
    );

    // Assess
    expect([email, smsAgain]).toEqual([true, false]);
  });
});
