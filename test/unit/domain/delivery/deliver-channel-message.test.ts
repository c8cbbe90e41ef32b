import {
  type DeliveryDependencies,
  deliverChannelMessage,
  PROVIDER_OPT_OUT_SOURCE,
  RETRIES_EXHAUSTED,
} from '../../../../functions/domain/delivery';
import { ChannelUnusableError, RetryLaterError } from '../../../../functions/domain/errors';
import type { SendReceipt } from '../../../../functions/domain/ports';
import { pushMessage, smsMessage } from '../../../helpers/channel-messages';
import { aCustomer } from '../../../helpers/factories';
import {
  InMemoryCustomerRepository,
  InMemoryLedger,
  RecordingFallbackQueue,
  RecordingReceiptScheduler,
  ScriptedSender,
} from '../../../helpers/in-memory-routing-ports';

const now = new Date('2026-11-23T14:00:05Z');
const accepted: SendReceipt = { provider: 'twilio', providerMessageId: 'SM0001' };

/** The sender's ports in memory, the customer on file, and a sender answering with `script`. */
function deliveryPorts(...script: (SendReceipt | Error)[]) {
  const customer = aCustomer({ customerId: 'cust-0001' });
  const ports = {
    sender: new ScriptedSender('sms', ...script),
    ledger: new InMemoryLedger(),
    customers: new InMemoryCustomerRepository([customer]),
    fallback: new RecordingFallbackQueue(),
    receipts: new RecordingReceiptScheduler(),
    policy: { leaseSeconds: 60, maxRetryableFailures: 3 },
    now: () => now,
  } satisfies DeliveryDependencies;
  return ports;
}

const key = { customerId: 'cust-0001', messageId: 'msg-0001', channel: 'sms' as const, attempt: 1 };

describe('Function: deliverChannelMessage', () => {
  it('records the attempt sent with the provider id and schedules its receipt check', async () => {
    // Prepare
    const ports = deliveryPorts(accepted);
    const message = smsMessage({ receiptTimeoutSeconds: 600 });
    // Act
    const result = await deliverChannelMessage({ message, receiveCount: 1, owner: 'inv-1' }, ports);
    // Assess
    expect(result).toEqual({ outcome: 'sent', receipt: accepted });
    expect(ports.ledger.attempt(key)).toMatchObject({ status: 'sent', providerMessageId: 'SM0001' });
    expect(ports.receipts.checks).toEqual([
      expect.objectContaining({ messageId: 'msg-0001', attempt: 1, dueAt: '2026-11-23T14:10:05.000Z' }),
    ]);
  });

  it('acknowledges a redelivered record whose attempt is sent without sending again', async () => {
    // Prepare
    const ports = deliveryPorts(accepted);
    const message = smsMessage();
    await deliverChannelMessage({ message, receiveCount: 1, owner: 'inv-1' }, ports);
    // Act
    const again = await deliverChannelMessage({ message, receiveCount: 2, owner: 'inv-2' }, ports);
    // Assess
    expect(again).toEqual({ outcome: 'already-done', status: 'sent' });
    expect(ports.sender.sent).toHaveLength(1);
  });

  it('asks SQS to retry while another invocation holds a live lease', async () => {
    // Prepare
    const ports = deliveryPorts();
    const message = smsMessage();
    await ports.ledger.leaseAttempt(key, {
      owner: 'other',
      leaseSeconds: 60,
      now,
      queuedAt: message.queuedAt,
    });
    // Act
    const delivering = deliverChannelMessage({ message, receiveCount: 1, owner: 'inv-1' }, ports);
    // Assess
    await expect(delivering).rejects.toBeInstanceOf(RetryLaterError);
    expect(ports.sender.sent).toHaveLength(0);
  });

  it('records an expired message without sending it', async () => {
    // Prepare
    const ports = deliveryPorts();
    // Act
    const result = await deliverChannelMessage(
      { message: smsMessage({ expiresAt: '2026-11-23T14:00:00Z' }), receiveCount: 1, owner: 'inv-1' },
      ports,
    );
    // Assess
    expect(result).toEqual({ outcome: 'expired' });
    expect(ports.ledger.attempt(key)?.status).toBe('expired');
    expect(ports.sender.sent).toHaveLength(0);
  });

  it('rethrows a transient failure before the last try, so SQS retries it', async () => {
    // Prepare
    const ports = deliveryPorts(new RetryLaterError('Twilio 503', { code: '503' }));
    // Act
    const delivering = deliverChannelMessage(
      { message: smsMessage(), receiveCount: 1, owner: 'inv-1' },
      ports,
    );
    // Assess
    await expect(delivering).rejects.toThrow('Twilio 503');
    expect(ports.ledger.attempt(key)?.status).toBe('queued');
  });

  it('gives the channel up on the last try and hands the message back for fallback', async () => {
    // Prepare
    const ports = deliveryPorts(new RetryLaterError('Twilio 503', { code: '503' }));
    const message = smsMessage({ fallbackChannels: ['email'] });
    // Act
    const result = await deliverChannelMessage({ message, receiveCount: 3, owner: 'inv-1' }, ports);
    // Assess
    expect(result).toMatchObject({ outcome: 'failed', fellBack: true, error: { code: RETRIES_EXHAUSTED } });
    expect(ports.ledger.attempt(key)?.status).toBe('failed');
    expect(ports.fallback.requests).toEqual([
      expect.objectContaining({
        messageId: 'msg-0001',
        triedChannels: ['sms'],
        reason: `sms: failed (${RETRIES_EXHAUSTED})`,
      }),
    ]);
  });

  it('records an opt-out the provider reported in every category of the channel', async () => {
    // Prepare
    const ports = deliveryPorts(new ChannelUnusableError('unsubscribed', { code: '21610', optedOut: true }));
    // Act
    const result = await deliverChannelMessage(
      { message: smsMessage(), receiveCount: 1, owner: 'inv-1' },
      ports,
    );
    // Assess
    expect(result).toMatchObject({ outcome: 'failed', fellBack: false, error: { code: '21610' } });
    const stored = await ports.customers.get('cust-0001');
    expect(stored?.customer.consent.marketing?.sms).toEqual({
      status: 'opted_out',
      at: now.toISOString(),
      source: PROVIDER_OPT_OUT_SOURCE,
    });
    expect(stored?.customer.consent.transactional?.sms?.status).toBe('opted_out');
    expect(ports.fallback.requests).toHaveLength(0);
  });

  it('finishes a recorded failure on redelivery when its fallback was never enqueued', async () => {
    // Prepare
    const ports = deliveryPorts();
    const message = smsMessage({ fallbackChannels: ['email'] });
    await ports.ledger.leaseAttempt(key, {
      owner: 'dead',
      leaseSeconds: 60,
      now,
      queuedAt: message.queuedAt,
    });
    await ports.ledger.recordFailed(key, { code: '30003', message: 'unreachable', permanent: true }, now, {
      fallbackOwed: true,
      optedOut: false,
      removedDevices: [],
    });
    // Act
    const result = await deliverChannelMessage({ message, receiveCount: 2, owner: 'inv-2' }, ports);
    // Assess
    expect(result).toEqual({ outcome: 'already-done', status: 'failed' });
    expect(ports.fallback.requests).toEqual([expect.objectContaining({ reason: 'sms: failed (30003)' })]);
    expect(ports.sender.sent).toHaveLength(0);
  });

  it('takes devices the push service reported gone out of the profile after a send', async () => {
    // Prepare
    const devices = [
      { kind: 'fcm', token: 'token-alive' },
      { kind: 'fcm', token: 'token-gone' },
    ] as const;
    const ports = deliveryPorts({
      provider: 'fcm',
      providerMessageId: 'projects/p/messages/1',
      details: { removedDevices: ['token-gone'] },
    });
    await ports.customers.setAddress('cust-0001', 'push', [...devices]);
    // Act
    const result = await deliverChannelMessage(
      { message: pushMessage([...devices]), receiveCount: 1, owner: 'inv-1' },
      ports,
    );
    // Assess
    expect(result.outcome).toBe('sent');
    const stored = await ports.customers.get('cust-0001');
    expect(stored?.customer.addresses.push).toEqual([{ kind: 'fcm', token: 'token-alive' }]);
  });
});
