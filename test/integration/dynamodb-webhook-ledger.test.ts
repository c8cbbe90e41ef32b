/**
 * The webhook ledger's attempt lookup on DynamoDB Local: an attempt leased with its message's
 * context is answered from the attempt item alone; one leased without it (before attempts carried
 * it) reads its message, and both give the same answer.
 */
import { DynamoDbAttemptLedger } from '../../functions/adapters/dynamodb/attempt-ledger';
import { DynamoDbMessageLedger } from '../../functions/adapters/dynamodb/message-ledger';
import { DynamoDbWebhookLedger } from '../../functions/adapters/dynamodb/webhook-ledger';
import type { AttemptKey, NewMessage } from '../../functions/domain/ledger-model';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aNewMessage, anAddressKeyer } from '../helpers/factories';

const AT = '2026-11-23T13:00:00.000Z';

function aMessage(
  customerId: string,
  messageId: string,
  fallbackChannels: NewMessage['fallbackChannels'],
): NewMessage {
  return aNewMessage(customerId, messageId, { category: 'marketing', fallbackChannels, at: AT });
}

describe('Class: DynamoDbWebhookLedger (findAttempt)', () => {
  const clients = testClients();
  let messages: DynamoDbMessageLedger;
  let attempts: DynamoDbAttemptLedger;
  let webhooks: DynamoDbWebhookLedger;
  afterAll(() => clients.destroy());
  beforeAll(async () => {
    const resources = await isolatedResources();
    const options = { client: clients.dynamodb, tableName: resources.tables.messages };
    messages = new DynamoDbMessageLedger(options);
    attempts = new DynamoDbAttemptLedger(options);
    webhooks = new DynamoDbWebhookLedger({ ...options, keyer: anAddressKeyer() });
  });

  async function leased(id: string, fallbackChannels: NewMessage['fallbackChannels'], withContext: boolean) {
    const message = aMessage(`c-${id}`, `msg_${id}`, fallbackChannels);
    await messages.createMessage(message);
    const key: AttemptKey = {
      customerId: message.customerId,
      messageId: message.messageId,
      channel: 'sms',
      attempt: 1,
    };
    await attempts.leaseAttempt(key, {
      owner: 'test',
      leaseSeconds: 30,
      now: new Date(AT),
      queuedAt: AT,
      ...(withContext
        ? {
            context: {
              requestId: message.requestId,
              category: 'marketing',
              metadata: message.metadata,
              fallbackAllowed: fallbackChannels.length > 0,
            },
          }
        : {}),
    });
    return key;
  }

  it.each([
    ['from the attempt item', true, ['email'] as const, true],
    ['from its message, for an attempt leased without context', false, ['email'] as const, true],
    ['from the attempt item, with no channel left', true, [] as const, false],
    ['from its message, with no channel left', false, [] as const, false],
  ])(
    'finds a leased attempt and its context %s',
    async (_how, withContext, fallbackChannels, fallbackAllowed) => {
      // Prepare
      const id = `${withContext ? 'ctx' : 'msg'}-${fallbackChannels.length}`;
      const key = await leased(id, [...fallbackChannels], withContext);

      // Act
      const attempt = await webhooks.findAttempt(key);

      // Assess
      expect(attempt).toEqual({
        messageId: key.messageId,
        customerId: key.customerId,
        requestId: `r-${key.messageId}`,
        category: 'marketing',
        channel: 'sms',
        attempt: 1,
        status: 'queued',
        fallbackAllowed,
        triedChannels: ['sms'],
        metadata: { campaign: 'c1' },
      });
    },
  );

  it('finds nothing for an attempt never leased', async () => {
    expect(
      await webhooks.findAttempt({ customerId: 'c-none', messageId: 'msg_none', channel: 'sms', attempt: 1 }),
    ).toBeUndefined();
  });
});
