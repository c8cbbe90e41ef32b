import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { SnsEventPublisher } from '../../functions/adapters/sns/event-publisher';
import {
  ConsentChangedEventSchema,
  DeliveryEventSchema,
  InboundMessageSchema,
} from '../../functions/contract';
import type { SwitchboardEvent } from '../../functions/domain/ports';
import { isolatedResources, testClients } from '../helpers/emulators';
import { subscribedQueue as subscribeToTopic } from '../helpers/topic-subscription';

const delivered = (n: number): SwitchboardEvent => ({
  type: 'message.delivered',
  requestId: `req-${n}`,
  messageId: `msg-${n}`,
  customerId: 'c-1',
  channel: 'sms',
  provider: 'twilio',
  providerMessageId: `SM${String(n).padStart(32, '0')}`,
  status: 'delivered',
  at: '2026-11-23T14:00:00.000Z',
  metadata: { campaign: 'spring' },
});
const inbound = (n: number): SwitchboardEvent => ({
  type: 'message.inbound',
  customerId: 'c-1',
  channel: 'whatsapp',
  from: '+15558675310',
  text: `reply ${n}`,
  media: [],
  receivedAt: '2026-11-23T14:00:00.000Z',
  provider: 'twilio',
  providerMessageId: `SMi${String(n).padStart(31, '0')}`,
});
const consentChanged: SwitchboardEvent = {
  type: 'customer.consent_changed',
  customerId: 'c-1',
  channel: 'sms',
  categories: ['transactional', 'marketing'],
  status: 'opted_out',
  source: 'sms-keyword',
  reason: 'keyword STOP',
  at: '2026-11-23T14:00:00.000Z',
  metadata: {},
};

describe('Adapter: SnsEventPublisher on fauxqs', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());

  async function subscribedQueue(topicArn: string, filterPolicy?: Record<string, string[]>) {
    return subscribeToTopic(clients, topicArn, {
      namePrefix: 'events-sub',
      ...(filterPolicy ? { filterPolicy } : {}),
    });
  }

  async function drain(queueUrl: string, expected: number): Promise<Message[]> {
    const messages: Message[] = [];
    // Receive until the expected count arrives, then once more to prove nothing else does.
    for (let round = 0; round < 10; round++) {
      const output = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
        }),
      );
      const batch = output.Messages ?? [];
      messages.push(...batch);
      if (batch.length === 0 && messages.length >= expected) break;
    }
    return messages;
  }

  it('delivers only the event types a filtered subscriber asked for', async () => {
    // Prepare
    const { eventsTopicArn } = await isolatedResources();
    const inboundOnly = await subscribedQueue(eventsTopicArn, { type: ['message.inbound'] });
    const everything = await subscribedQueue(eventsTopicArn);
    const publisher = new SnsEventPublisher({ client: clients.sns, topicArn: eventsTopicArn });
    const events = [
      delivered(1),
      inbound(1),
      delivered(2),
      consentChanged,
      inbound(2),
      delivered(3),
      delivered(4),
      delivered(5),
      inbound(3),
      delivered(6),
      delivered(7),
      delivered(8),
    ];

    // Act
    await publisher.publish(events);

    // Assess
    const filtered = await drain(inboundOnly, 3);
    const all = await drain(everything, events.length);
    expect(
      filtered.map((message) => InboundMessageSchema.parse(JSON.parse(message.Body!)).text).sort(),
    ).toEqual(['reply 1', 'reply 2', 'reply 3']);
    expect(all).toHaveLength(events.length);
    for (const message of all) {
      const body = JSON.parse(message.Body!) as { type: string };
      const schema =
        body.type === 'message.inbound'
          ? InboundMessageSchema
          : body.type === 'customer.consent_changed'
            ? ConsentChangedEventSchema
            : DeliveryEventSchema;
      expect(schema.safeParse(body).success).toBe(true);
    }
  });

  it('publishes several events with PublishBatch, ten per call, and one event with Publish', async () => {
    // Prepare
    const { eventsTopicArn } = await isolatedResources();
    const publisher = new SnsEventPublisher({ client: clients.sns, topicArn: eventsTopicArn });
    const send = jest.spyOn(clients.sns, 'send');

    // Act
    await publisher.publish(Array.from({ length: 23 }, (_, n) => delivered(n)));
    await publisher.publish([inbound(1)]);

    // Assess
    const commands = send.mock.calls.map(([command]) => command.constructor.name);
    expect(commands).toEqual([
      'PublishBatchCommand',
      'PublishBatchCommand',
      'PublishBatchCommand',
      'PublishCommand',
    ]);
    send.mockRestore();
  });
});
