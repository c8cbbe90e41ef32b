/**
 * Provider credentials through the real Powertools SecretsProvider and AWS SDK, against a local
 * stand-in for the Secrets Manager GetSecretValue API.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CredentialsEnv,
  createProviderCredentials,
} from '../../functions/adapters/secrets/provider-credentials';
import { ConfigurationError } from '../../functions/config';
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server';

const TWILIO_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:switchboard/twilio-AbCdEf';
const SECRET = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'secret-token-value' };

describe('Function: createProviderCredentials', () => {
  let server: CaptureServer;
  let secrets: SecretsProvider;

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
    await server.stop();
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  it('reads the secret named by the ARN variable once, then from the cache', async () => {
    // Prepare
    server.respondWith((request) => {
      const { SecretId } = JSON.parse(request.body) as { SecretId: string };
      return {
        status: 200,
        body: { ARN: SecretId, Name: 'switchboard/twilio', SecretString: JSON.stringify(SECRET) },
      };
    });
    const credentials = createProviderCredentials({
      env: { [CredentialsEnv.TWILIO_SECRET_ARN]: TWILIO_ARN },
      secrets,
    });

    // Act
    const first = await credentials.twilio();
    const second = await credentials.twilio();

    // Assess
    expect(first).toEqual(SECRET);
    expect(second).toEqual(SECRET);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(JSON.parse(server.requests[0]?.body ?? '{}')).toEqual({ SecretId: TWILIO_ARN });
  });

  it('fails naming the fields, never the values, when the secret is malformed', async () => {
    // Prepare
    server.respondWith({
      status: 200,
      body: { ARN: 'x', Name: 'sendgrid', SecretString: JSON.stringify({ apiKee: 'SG.do-not-print' }) },
    });
    const credentials = createProviderCredentials({
      env: { [CredentialsEnv.SENDGRID_SECRET_ARN]: 'arn:aws:secretsmanager:eu-west-1:1:secret:sg' },
      secrets,
    });

    // Act
    const loading = credentials.sendgrid();

    // Assess
    await expect(loading).rejects.toBeInstanceOf(ConfigurationError);
    await expect(loading).rejects.toThrow(/apiKey/);
    await expect(loading).rejects.not.toThrow(/do-not-print/);
  });

  it.each([
    [
      'Twilio',
      (c: ReturnType<typeof createProviderCredentials>) => c.twilio(),
      { TWILIO_ACCOUNT_SID: SECRET.accountSid, TWILIO_AUTH_TOKEN: 't' },
      { accountSid: SECRET.accountSid, authToken: 't' },
    ],
    [
      'SendGrid',
      (c: ReturnType<typeof createProviderCredentials>) => c.sendgrid(),
      { SENDGRID_API_KEY: 'SG.k' },
      { apiKey: 'SG.k' },
    ],
    [
      'FCM',
      (c: ReturnType<typeof createProviderCredentials>) => c.fcm(),
      {
        FCM_SERVICE_ACCOUNT_JSON: JSON.stringify({
          project_id: 'p',
          client_email: 'e',
          private_key: 'k',
          type: 'service_account',
        }),
      },
      { project_id: 'p', client_email: 'e', private_key: 'k' },
    ],
    [
      'Web Push',
      (c: ReturnType<typeof createProviderCredentials>) => c.webPush(),
      { VAPID_PUBLIC_KEY: 'pub', VAPID_PRIVATE_KEY: 'priv' },
      { publicKey: 'pub', privateKey: 'priv' },
    ],
  ])(
    'reads %s credentials from the local environment when no ARN is set',
    async (_name, read, env, expected) => {
      // Act
      const value = await read(createProviderCredentials({ env, secrets }));

      // Assess
      expect(value).toEqual(expected);
      expect(server.requests).toHaveLength(0);
    },
  );

  it('says which variables to set when nothing is configured', async () => {
    // Act
    const loading = createProviderCredentials({ env: {}, secrets }).twilio();

    // Assess
    await expect(loading).rejects.toThrow(/SWITCHBOARD_TWILIO_SECRET_ARN/);
  });
});
