/**
 * Found by the chaos suite: the local runtime (like any caller of a factory) runs concurrent
 * batches through ONE built handler, unlike Lambda (one invocation per container at a time). A
 * Powertools BatchProcessor shared by the handler keeps one batch's state, so concurrent batches
 * mixed their failures: a failed record could be reported as succeeded (deleted unsent: lost) and
 * another batch failed whole. Each invocation must answer for its own records only.
 */
import { RetryLaterError } from '../../functions/domain/errors';
import type { ChannelSender } from '../../functions/domain/ports';
import type { LocalResources } from '../../local/emulators';
import { smsMessage } from '../helpers/channel-messages';
import { channelRecord, eventOf, sendersUnderTest } from '../helpers/channel-senders';
import { isolatedResources, testClients } from '../helpers/emulators';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Function: channel sender handler (concurrent batches)', () => {
  const clients = testClients();
  let resources: LocalResources;

  beforeAll(async () => {
    resources = await isolatedResources();
  });

  afterAll(() => clients.destroy());

  it('reports each batch its own failures when two batches run at once through one handler', async () => {
    // Prepare: batch A = a send failing fast + a slow success; batch B = one success that starts
    // after A's failure and finishes before A does.
    const delays: Record<string, number> = { 'msg-a-fail': 20, 'msg-a-slow': 300, 'msg-b-ok': 100 };
    const sender: ChannelSender = {
      channel: 'sms',
      provider: 'twilio',
      send: async (message) => {
        await sleep(delays[message.messageId] ?? 0);
        if (message.messageId === 'msg-a-fail') throw new RetryLaterError('provider 503', { code: '503' });
        return { provider: 'twilio', providerMessageId: `SM-${message.messageId}` };
      },
    };
    const handler = sendersUnderTest(resources, clients).handlerFor('sms', sender);
    const failing = channelRecord(smsMessage({ messageId: 'msg-a-fail' }));
    const batchA = eventOf(failing, channelRecord(smsMessage({ messageId: 'msg-a-slow' })));
    const batchB = eventOf(channelRecord(smsMessage({ messageId: 'msg-b-ok' })));

    // Act
    const answerA = handler(batchA);
    await sleep(60);
    const answerB = handler(batchB);
    const [responseA, responseB] = await Promise.all([answerA, answerB]);

    // Assess
    expect(responseA.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect(responseB.batchItemFailures).toEqual([]);
  });
});
