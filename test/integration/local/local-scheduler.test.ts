import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { LocalScheduler, MAX_SQS_DELAY_SECONDS } from '../../../local/local-scheduler';
import { isolatedResources, testClients } from '../../helpers/emulators';
import { eventually } from '../../helpers/eventually';

describe('Class: LocalScheduler', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());

  it('puts a send due within 15 minutes on the queue with an SQS delay', async () => {
    // Prepare
    const resources = await isolatedResources();
    const scheduler = new LocalScheduler(clients.sqs);
    const receive = () =>
      clients.sqs
        .send(new ReceiveMessageCommand({ QueueUrl: resources.queues.outbound, WaitTimeSeconds: 0 }))
        .then((r) => r.Messages ?? []);

    // Act
    await scheduler.schedule({
      at: new Date(Date.now() + 2_000),
      queueUrl: resources.queues.outbound,
      body: 'later',
    });
    const atOnce = await receive();
    const afterDelay = await eventually(receive, (messages) => messages.length === 1, {
      what: 'the delayed send',
    });

    // Assess
    expect(atOnce).toHaveLength(0);
    expect(afterDelay[0]?.Body).toBe('later');
    expect(scheduler.pending).toBe(0);
  });

  it('holds a send due later than SQS can delay, and drops it when stopped', async () => {
    // Prepare
    const resources = await isolatedResources();
    const scheduler = new LocalScheduler(clients.sqs);
    const at = new Date(Date.now() + (MAX_SQS_DELAY_SECONDS + 3_600) * 1000);

    // Act
    await scheduler.schedule({ at, queueUrl: resources.queues.outbound, body: 'tomorrow' });
    const held = scheduler.pending;
    scheduler.stop();

    // Assess
    expect(held).toBe(1);
    expect(scheduler.pending).toBe(0);
    await expect(scheduler.schedule({ at, queueUrl: resources.queues.outbound, body: 'x' })).rejects.toThrow(
      /stopped/,
    );
  });
});
