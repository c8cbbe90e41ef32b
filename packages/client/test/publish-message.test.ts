import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { isolatedResources, testClients } from '../../../test/helpers/emulators';
import { aMessageRequest } from '../../../test/helpers/factories';
import { ContractValidationError, publishMessage, publishMessages } from '../src';

describe('Function: publishMessage', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());

  async function drain(queueUrl: string): Promise<string[]> {
    const bodies: string[] = [];
    for (;;) {
      const received = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (!received.Messages?.length) return bodies;
      bodies.push(...received.Messages.map((message) => message.Body ?? ''));
    }
  }

  it('sends a valid request to the outbound queue', async () => {
    // Prepare
    const { queues } = await isolatedResources();
    const request = aMessageRequest();

    // Act
    const sqsMessageId = await publishMessage(request, { queueUrl: queues.outbound, client: clients.sqs });

    // Assess
    expect(sqsMessageId).toMatch(/.+/);
    expect((await drain(queues.outbound)).map((body) => JSON.parse(body))).toEqual([request]);
  });

  it('throws a ContractValidationError and sends nothing for an invalid request', async () => {
    // Prepare
    const { queues } = await isolatedResources();

    // Act
    const publishing = publishMessage(aMessageRequest({ customerId: 'has spaces' }), {
      queueUrl: queues.outbound,
      client: clients.sqs,
    });

    // Assess
    await expect(publishing).rejects.toBeInstanceOf(ContractValidationError);
    expect(await drain(queues.outbound)).toEqual([]);
  });

  it('sends many requests in batches of ten with a result per request, in order', async () => {
    // Prepare
    const { queues } = await isolatedResources();
    const requests = Array.from({ length: 23 }, (_, i) => aMessageRequest({ requestId: `bulk-${i}` }));
    requests[7] = aMessageRequest({ requestId: 'bulk-7', category: 'NOT VALID' });

    // Act
    const results = await publishMessages(requests, { queueUrl: queues.outbound, client: clients.sqs });

    // Assess
    expect(results.map((result) => result.status)).toEqual(
      requests.map((_, i) => (i === 7 ? 'invalid' : 'published')),
    );
    expect(results[7]).toEqual(
      expect.objectContaining({
        requestId: 'bulk-7',
        issues: [expect.objectContaining({ field: 'category' })],
      }),
    );
    const sent = (await drain(queues.outbound)).map((body) => JSON.parse(body).requestId).sort();
    expect(sent).toEqual(
      requests
        .filter((_, i) => i !== 7)
        .map((request) => request.requestId)
        .sort(),
    );
  });

  it('reports a per-entry failure when the queue does not exist, without throwing', async () => {
    // Prepare
    const { queues } = await isolatedResources();
    const missingQueue = `${queues.outbound}-missing`;

    // Act
    const results = await publishMessages([aMessageRequest()], {
      queueUrl: missingQueue,
      client: clients.sqs,
    });

    // Assess
    expect(results).toEqual([expect.objectContaining({ status: 'failed', requestId: 'order-1042-shipped' })]);
  });
});
