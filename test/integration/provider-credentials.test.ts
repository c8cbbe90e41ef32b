/**
 * Provider credentials through the real Powertools SecretsProvider and AWS SDK, against a local
 * stand-in for the Secrets Manager GetSecretValue API.
 */
import {
  CredentialsEnv,
  createProviderCredentials,
} from '../../functions/adapters/secrets/provider-credentials';
import { ConfigurationError } from '../../functions/config';
import { useSecretsManagerStandIn } from '../helpers/secrets-manager';

const TWILIO_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:switchboard/twilio-AbCdEf';
const SECRET = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'secret-token-value' };

describe('Function: createProviderCredentials', () => {
  const standIn = useSecretsManagerStandIn();

  it('reads the secret named by the ARN variable once, then from the cache', async () => {
    // Prepare
    standIn.server.respondWith((request) => {
      const { SecretId } = JSON.parse(request.body) as { SecretId: string };
      return {
        status: 200,
        body: { ARN: SecretId, Name: 'switchboard/twilio', SecretString: JSON.stringify(SECRET) },
      };
    });
    const credentials = createProviderCredentials({
      env: { [CredentialsEnv.TWILIO_SECRET_ARN]: TWILIO_ARN },
      secrets: standIn.secrets,
    });

    // Act
    const first = await credentials.twilio();
    const second = await credentials.twilio();

    // Assess
    expect(first).toEqual(SECRET);
    expect(second).toEqual(SECRET);
    expect(standIn.server.requests).toHaveLength(1);
    expect(standIn.server.requests[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(JSON.parse(standIn.server.requests[0]?.body ?? '{}')).toEqual({ SecretId: TWILIO_ARN });
  });

  it('fails naming the fields, never the values, when the secret is malformed', async () => {
    // Prepare
    standIn.server.respondWith({
      status: 200,
      body: { ARN: 'x', Name: 'sendgrid', SecretString: JSON.stringify({ apiKee: 'SG.do-not-print' }) },
    });
    const credentials = createProviderCredentials({
      env: { [CredentialsEnv.SENDGRID_SECRET_ARN]: 'arn:aws:secretsmanager:eu-west-1:1:secret:sg' },
      secrets: standIn.secrets,
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
      const value = await read(createProviderCredentials({ env, secrets: standIn.secrets }));

      // Assess
      expect(value).toEqual(expected);
      expect(standIn.server.requests).toHaveLength(0);
    },
  );

  it('says which variables to set when nothing is configured', async () => {
    // Act
    const loading = createProviderCredentials({ env: {}, secrets: standIn.secrets }).twilio();

    // Assess
    await expect(loading).rejects.toThrow(/SWITCHBOARD_TWILIO_SECRET_ARN/);
  });
});
