import { DemoSetupError, runDemo } from '../../../local/demo';
import type { LocalJson } from '../../../local/runtime';

/** A local.json whose HTTP API nothing answers: the demo must stop before it calls it. */
function aLocalJson(timeScale?: number): LocalJson {
  return {
    region: 'us-east-1',
    sqsEndpoint: 'http://127.0.0.1:9',
    dynamodbEndpoint: 'http://127.0.0.1:9',
    queues: {} as LocalJson['queues'],
    tables: { customers: 'customers', messages: 'messages' },
    eventsTopicArn: 'arn:aws:sns:us-east-1:000000000000:events',
    httpUrl: 'http://127.0.0.1:9',
    consoleUrl: 'http://127.0.0.1:9/console/',
    ...(timeScale === undefined ? {} : { timeScale }),
    sandbox: { twilioAuthToken: 't', sendgridPublicKey: 'p', sendgridPrivateKey: 'k' },
  };
}

describe('Function: runDemo', () => {
  it.each([
    ['real time', 1],
    ['a local.json written before journeys', undefined],
  ])(
    'refuses a runtime at %s before writing anything, saying how to compress journey time',
    async (_, scale) => {
      // Prepare
      const said: string[] = [];

      // Act
      const demo = runDemo({ local: aLocalJson(scale), say: (line) => said.push(line) });

      // Assess
      await expect(demo).rejects.toThrow(DemoSetupError);
      await expect(demo).rejects.toThrow(
        /PT1H wait .* 3600 s\. Restart it as `SWITCHBOARD_TIME_SCALE=3600 npm start`/,
      );
      expect(said).toEqual([]);
    },
  );

  it('refuses a scale whose hour-long wait outlasts the time it may take', async () => {
    // Act
    const demo = runDemo({ local: aLocalJson(30), say: () => {}, timeoutMs: 60_000 });

    // Assess
    await expect(demo).rejects.toThrow(
      /×30, so cart-recovery's PT1H wait before the reminder would take 120 s/,
    );
  });
});
