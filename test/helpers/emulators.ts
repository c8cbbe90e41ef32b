/**
 * Test access to the emulators started by the global set-up: endpoints, clients, and a private set
 * of tables and queues per test file so that files running in parallel never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AddressPepperEnv } from '../../functions/config';
import {
  createResources,
  type LocalEndpoints,
  type LocalResources,
  localClientConfig,
} from '../../local/emulators';

/** The endpoints of the running emulators. */
export function testEndpoints(): LocalEndpoints {
  const raw = process.env.SWITCHBOARD_TEST_ENDPOINTS;
  if (!raw) throw new Error('SWITCHBOARD_TEST_ENDPOINTS is not set: run the tests through jest (npm test)');
  return JSON.parse(raw) as LocalEndpoints;
}

/**
 * The run's address pepper, which the global set-up generated and published as the local runtime
 * does: wiring built from the environment keys addresses under it, and so must a test's own.
 */
export function testAddressPepper(): string {
  const pepper = process.env[AddressPepperEnv.LOCAL_PEPPER];
  if (!pepper)
    throw new Error(`${AddressPepperEnv.LOCAL_PEPPER} is not set: run the tests through jest (npm test)`);
  return pepper;
}

/** AWS SDK clients pointed at the emulators. */
export interface TestClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  destroy(): void;
}

/** Creates clients for the emulators; call `destroy()` in afterAll. */
export function testClients(endpoints = testEndpoints()): TestClients {
  const dynamodb = new DynamoDBClient(localClientConfig(endpoints, endpoints.dynamodbEndpoint));
  const sqs = new SQSClient(localClientConfig(endpoints, endpoints.sqsEndpoint));
  const sns = new SNSClient(localClientConfig(endpoints, endpoints.snsEndpoint));
  return {
    dynamodb,
    sqs,
    sns,
    destroy: () => {
      dynamodb.destroy();
      sqs.destroy();
      sns.destroy();
    },
  };
}

/** A fresh set of Switchboard resources with a random suffix, from the shared definitions. */
export async function isolatedResources(endpoints = testEndpoints()): Promise<LocalResources> {
  return createResources(endpoints, { suffix: `-${randomBytes(4).toString('hex')}` });
}
