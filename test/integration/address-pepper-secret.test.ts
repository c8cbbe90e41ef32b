/**
 * The deployed keyer's pepper through the real Powertools SecretsProvider and AWS SDK, against a
 * local stand-in for the Secrets Manager GetSecretValue API (as for the provider credentials).
 */
import { createHmac } from 'node:crypto';
import { addressKeyerFromEnv } from '../../functions/adapters/secrets/keyed-hash';
import { AddressPepperEnv, ConfigurationError } from '../../functions/config';
import { useSecretsManagerStandIn } from '../helpers/secrets-manager';

const PEPPER_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AddressPepperSecret-AbCdEf';

describe('Function: addressKeyerFromEnv (deployed)', () => {
  const standIn = useSecretsManagerStandIn();

  it('keys addresses under the secret named by the ARN variable, read once', async () => {
    // Prepare
    const pepper = 'Z'.repeat(64);
    standIn.server.respondWith((request) => {
      const { SecretId } = JSON.parse(request.body) as { SecretId: string };
      return { status: 200, body: { ARN: SecretId, Name: 'AddressPepperSecret', SecretString: pepper } };
    });
    const keyer = addressKeyerFromEnv({ [AddressPepperEnv.SECRET_ARN]: PEPPER_ARN }, standIn.secrets);

    // Act
    const keys = [await keyer.key('sms', '+33612345678'), await keyer.key('email', 'ada@example.com')];

    // Assess
    expect(keys[0]).toBe(createHmac('sha256', pepper).update('sms:+33612345678').digest('hex'));
    expect(standIn.server.requests).toHaveLength(1);
    expect(standIn.server.requests[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(JSON.parse(standIn.server.requests[0]?.body ?? '{}')).toEqual({ SecretId: PEPPER_ARN });
  });

  it('refuses a secret too short to be a pepper, without echoing it', async () => {
    // Prepare
    const arn = `${PEPPER_ARN}-short`;
    standIn.server.respondWith({ status: 200, body: { ARN: arn, Name: 'p', SecretString: 'do-not-print' } });
    const keyer = addressKeyerFromEnv({ [AddressPepperEnv.SECRET_ARN]: arn }, standIn.secrets);

    // Act
    const error = await keyer.key('sms', '+33612345678').catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).not.toContain('do-not-print');
  });
});
