import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { FaultySender, InjectedCrashError, installDynamoDbThrottle } from '../../../bench/lib/faults';
import { ChannelUnusableError, RetryLaterError } from '../../../functions/domain/errors';
import type { ChannelSender } from '../../../functions/domain/ports';
import { smsMessage } from '../../helpers/channel-messages';

function recordingSender(): ChannelSender & { sent: string[] } {
  const sent: string[] = [];
  return {
    channel: 'sms',
    provider: 'twilio',
    sent,
    send: async (message) => {
      sent.push(`${message.messageId}#${message.attempt}`);
      return { provider: 'twilio', providerMessageId: `SM${sent.length}` };
    },
  };
}

describe('Function: FaultySender', () => {
  it.each<
    [string, ConstructorParameters<typeof FaultySender>[1][number]['fault'], new (...args: never[]) => Error]
  >([
    ['5xx storm', { kind: '5xx' }, RetryLaterError],
    ['429 storm', { kind: '429', retryAfterSeconds: 1 }, RetryLaterError],
    ['timeout', { kind: 'timeout', afterMs: 1 }, RetryLaterError],
    ['channel down', { kind: 'down' }, ChannelUnusableError],
  ])('refuses without reaching the provider inside a %s window', async (_, fault, errorClass) => {
    // Prepare
    const inner = recordingSender();
    let now = 0;
    const sender = new FaultySender(inner, [{ fault, fromMs: 10, toMs: 20 }], { now: () => now });
    sender.start();

    // Act
    now = 5;
    await sender.send(smsMessage());
    now = 15;
    const refused = sender.send(smsMessage());

    // Assess
    await expect(refused).rejects.toBeInstanceOf(errorClass);
    expect(inner.sent).toHaveLength(1);
    expect(sender.injected[fault.kind]).toBe(1);
  });

  it('reaches the provider, then crashes and remembers the attempt, inside a crash window', async () => {
    // Prepare
    const inner = recordingSender();
    const sender = new FaultySender(inner, [{ fault: { kind: 'crash-after-send' }, fromMs: 0, toMs: 1e9 }]);
    const message = smsMessage();

    // Act
    const crashed = sender.send(message);

    // Assess
    await expect(crashed).rejects.toBeInstanceOf(InjectedCrashError);
    expect(inner.sent).toEqual([`${message.messageId}#${message.attempt}`]);
    expect([...sender.crashed]).toEqual([`${message.messageId}#${message.attempt}#sms`]);
  });

  it('lets the resend of a crashed attempt through, so each crash causes one second send only', async () => {
    // Prepare
    const inner = recordingSender();
    const sender = new FaultySender(inner, [{ fault: { kind: 'crash-after-send' }, fromMs: 0, toMs: 1e9 }]);
    const message = smsMessage();
    await expect(sender.send(message)).rejects.toBeInstanceOf(InjectedCrashError);

    // Act
    const resent = await sender.send(message);

    // Assess
    expect(resent.providerMessageId).toBe('SM2');
    expect(inner.sent).toHaveLength(2);
    expect(sender.injected['crash-after-send']).toBe(1);
  });
});

describe('Function: installDynamoDbThrottle', () => {
  it('refuses DynamoDB requests with ProvisionedThroughputExceededException inside the window only', async () => {
    // Prepare
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    const throttle = installDynamoDbThrottle(0, 60_000);

    // Act
    const refused = client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(throttle.refused()).toBe(1);
    throttle.stop();
    const afterwards = client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
    await expect(afterwards).rejects.not.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    client.destroy();
  });
});
