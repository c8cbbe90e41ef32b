/**
 * What the router logs: ids on every record line, never an address or the message text.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createRouteMessagesHandler } from '../../functions/handlers/route-messages';
import { routerPorts } from '../../functions/wiring/router-ports';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest } from '../helpers/factories';
import { routerConfig, routerUnderTest } from '../helpers/router';

describe('Function: route-messages handler logging', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());

  it('logs request, message and customer ids and no phone number, email or text, and counts outcomes', async () => {
    // Prepare
    const resources = await isolatedResources();
    const { store } = routerUnderTest(resources, clients);
    const customer = aCustomer();
    await store.put(customer);
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const handler = createRouteMessagesHandler({
      ...routerPorts({ config: routerConfig(resources), dynamodb: clients.dynamodb, sqs: clients.sqs }),
      logger: new Logger({ serviceName: 'router', logLevel: 'DEBUG' }),
      metrics: new Metrics({ namespace: 'Switchboard', serviceName: 'router' }),
    });
    const request = aRequest(customer.customerId);
    const invalid = {
      ...aRequest(customer.customerId),
      category: 'NOT VALID',
      content: { text: 'secret text' },
    };

    // Act
    try {
      await handler(anSqsEvent([request, invalid]));
    } finally {
      write.mockRestore();
    }

    // Assess
    const logs = lines.filter((line) => line.includes('"level"')).map((line) => JSON.parse(line));
    const recordLines = logs.filter((log) => log.message === 'Routed record');
    expect(recordLines).toHaveLength(2);
    for (const log of recordLines) {
      expect(log).toMatchObject({ customerId: customer.customerId, messageId: expect.any(String) });
      expect(log.requestId).toEqual(expect.any(String));
    }
    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
    expect(emf).toMatchObject([{ routed: 1, rejected: 1, planned_whatsapp: 1 }]);
    const all = lines.join('\n');
    for (const secret of [
      customer.addresses.sms,
      customer.addresses.email,
      'Your code is 123456',
      'secret text',
    ]) {
      expect(all).not.toContain(secret as string);
    }
  });
});
