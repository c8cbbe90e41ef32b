/**
 * A local stand-in for Secrets Manager's GetSecretValue API (a capture server) and the real
 * Powertools SecretsProvider pointed at it, set up and torn down around a describe block.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type CaptureServer, startCaptureServer } from './capture-server';

/** The stand-in and the provider reading it; valid inside the describe block that called it. */
export interface SecretsManagerStandIn {
  readonly server: CaptureServer;
  readonly secrets: SecretsProvider;
}

/** Registers the stand-in's start, stop and per-test reset; call it inside a `describe`. */
export function useSecretsManagerStandIn(): SecretsManagerStandIn {
  let server: CaptureServer | undefined;
  let secrets: SecretsProvider | undefined;
  beforeAll(async () => {
    server = await startCaptureServer();
    secrets = new SecretsProvider({
      awsSdkV3Client: new SecretsManagerClient({
        endpoint: server.url,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    });
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    if (server) server.requests.length = 0;
  });
  return {
    get server() {
      if (!server) throw new Error('the Secrets Manager stand-in is used outside its describe block');
      return server;
    },
    get secrets() {
      if (!secrets) throw new Error('the Secrets Manager stand-in is used outside its describe block');
      return secrets;
    },
  };
}
