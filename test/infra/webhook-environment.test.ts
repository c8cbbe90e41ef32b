/**
 * The environment the stack gives the webhook and receipt-timeout functions is exactly what their
 * wiring reads: the synthesized variables are fed to the real wiring functions, which fail fast on
 * any variable they need and do not find.
 */
import { CredentialsEnv } from '../../functions/adapters/secrets/provider-credentials';
import { Env } from '../../functions/config';
import { ledgerStreamDependenciesFromEnv } from '../../functions/wiring/ledger-stream-ports';
import {
  plainLanguagePolicyFromEnv,
  receiptTimeoutDependenciesFromEnv,
  sendGridVerifierFromEnv,
  statefulPortsFromEnv,
  webhookSecretsFromEnv,
  webhookUseCasesFromEnv,
} from '../../functions/wiring/webhook-ports';
import { environmentOf, logicalId, synthSwitchboard } from '../helpers/cdk-app';
import { sendGridKeyPair } from '../helpers/webhook-requests';

describe('Infra: webhook functions environment', () => {
  const publicKey = sendGridKeyPair().publicKey;
  const sb = synthSwitchboard({
    stage: 'dev',
    webhooks: {
      plainLanguage: 'opt-out',
      sendgridToleranceSeconds: 120,
      sendgridEventWebhookPublicKey: publicKey,
    },
  });

  it.each(['twilioWebhook', 'sendgridWebhook'])('gives %s everything the webhook wiring reads', (name) => {
    // Prepare
    const env = environmentOf(sb, name);

    // Act
    const build = () => {
      statefulPortsFromEnv(env);
      webhookUseCasesFromEnv(env);
      sendGridVerifierFromEnv(webhookSecretsFromEnv({ env }), env);
    };

    // Assess
    expect(build).not.toThrow();
    expect(plainLanguagePolicyFromEnv(env)).toBe('opt-out');
    // On a function URL the Host header is what Twilio signed: no base URL to configure.
    expect(env[Env.PUBLIC_BASE_URL]).toBeUndefined();
  });

  it('gives the ledger-stream function its table names, the events topic and the outbound queue', () => {
    // Prepare
    const env = environmentOf(sb, 'ledgerStream');

    // Act
    const build = () => ledgerStreamDependenciesFromEnv(env);

    // Assess: with no category routed learned, no engagement is counted (no writes per message).
    expect(build).not.toThrow();
    expect(build()).not.toHaveProperty('engagement');
    expect(
      ledgerStreamDependenciesFromEnv({ ...env, SWITCHBOARD_ENGAGEMENT_COUNTING: 'true' }),
    ).toHaveProperty('engagement');
  });

  it("subscribes the ledger-stream function to both tables' streams, with retries, bisect and an on-failure queue", () => {
    // Act
    const mappings = sb.services.findResources('AWS::Lambda::EventSourceMapping', {
      Properties: {
        FunctionName: { Ref: logicalId(sb.stateless, sb.stateless.functions.ledgerStream!.function) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
      },
    });

    // Assess
    const streamMappings = Object.values(mappings).filter(
      (mapping) => (mapping as { Properties: { StartingPosition?: string } }).Properties.StartingPosition,
    );
    expect(streamMappings).toHaveLength(2);
    for (const mapping of streamMappings) {
      expect((mapping as { Properties: Record<string, unknown> }).Properties).toMatchObject({
        MaximumRetryAttempts: 10,
        ParallelizationFactor: 1,
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
    }
    sb.data.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('gives the receipt-timeout function its messages table and receipts queue, and nothing of customers', () => {
    // Prepare
    const env = environmentOf(sb, 'receiptTimeout');

    // Act
    const build = () => receiptTimeoutDependenciesFromEnv(env);

    // Assess
    expect(build).not.toThrow();
    expect(env[Env.RECEIPTS_QUEUE_URL]).toBeDefined();
    expect(env[Env.CUSTOMERS_TABLE]).toBeUndefined();
    expect(env[Env.EVENTS_TOPIC_ARN]).toBeUndefined();
  });

  it.each([
    ['twilioWebhook', CredentialsEnv.TWILIO_SECRET_ARN, 'twilio'],
    ['sendgridWebhook', CredentialsEnv.SENDGRID_WEBHOOK_SECRET_ARN, 'sendgridWebhook'],
  ] as const)('points %s at the secret that holds its webhook keys', async (name, variable, secret) => {
    // Prepare
    const env = environmentOf(sb, name);
    const asked: string[] = [];
    const secrets = webhookSecretsFromEnv({
      env,
      secrets: {
        async get(arn) {
          asked.push(arn);
          return { authToken: 'token', inboundParseToken: 'inbound-secret-0123456789' };
        },
      },
    });

    // Act
    const value = secret === 'twilio' ? await secrets.twilioAuthToken() : await secrets.inboundParseSecret();

    // Assess
    expect(value).toBe(secret === 'twilio' ? 'token' : 'inbound-secret-0123456789');
    expect(asked).toEqual([env[variable]]);
    expect(env[variable]).toContain(logicalId(sb.stateful, sb.stateful.secrets[secret]));
  });

  it('sets the SendGrid replay window and verification key from the configuration', () => {
    // Act
    const env = environmentOf(sb, 'sendgridWebhook');

    // Assess
    expect(env[Env.SENDGRID_WEBHOOK_TOLERANCE_SECONDS]).toBe('120');
    expect(env[Env.SENDGRID_WEBHOOK_PUBLIC_KEY]).toBe(publicKey);
  });
});

describe('Function: webhookSecretsFromEnv', () => {
  it('reads the local variables when no secret ARN is set', async () => {
    // Prepare
    const secrets = webhookSecretsFromEnv({
      env: {
        [CredentialsEnv.TWILIO_AUTH_TOKEN]: 'local-token',
        SWITCHBOARD_SENDGRID_INBOUND_PARSE_TOKEN: 'local-inbound-secret-0123',
        [Env.SENDGRID_WEBHOOK_PUBLIC_KEY]: 'local-key',
      },
    });

    // Act
    const values = [
      await secrets.twilioAuthToken(),
      await secrets.inboundParseSecret(),
      await secrets.sendGridPublicKey(),
    ];

    // Assess
    expect(values).toEqual(['local-token', 'local-inbound-secret-0123', 'local-key']);
  });

  it.each([
    [
      'a short Inbound Parse secret',
      { SWITCHBOARD_SENDGRID_INBOUND_PARSE_TOKEN: 'short' },
      'inboundParseSecret',
    ],
    ['no SendGrid verification key', {}, 'sendGridPublicKey'],
    ['no Twilio auth token', {}, 'twilioAuthToken'],
  ] as const)('refuses to run with %s', async (_name, env, read) => {
    // Act
    const reading = webhookSecretsFromEnv({ env })[read]();

    // Assess
    await expect(reading).rejects.toThrow(/SWITCHBOARD|TWILIO/);
  });

  it('reads the SendGrid webhook keys from their own secret, never from the API-key secret', async () => {
    // Prepare
    const asked: string[] = [];
    const secrets = webhookSecretsFromEnv({
      env: {
        [CredentialsEnv.SENDGRID_SECRET_ARN]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key',
        [CredentialsEnv.SENDGRID_WEBHOOK_SECRET_ARN]:
          'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook',
      },
      secrets: {
        async get(arn) {
          asked.push(arn);
          return {
            eventWebhookPublicKey: 'verification-key',
            inboundParseToken: 'inbound-secret-0123456789',
          };
        },
      },
    });

    // Act
    const values = [await secrets.sendGridPublicKey(), await secrets.inboundParseSecret()];

    // Assess
    expect(values).toEqual(['verification-key', 'inbound-secret-0123456789']);
    expect(new Set(asked)).toEqual(new Set(['arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook']));
  });

  it('prefers the account token for signatures when the Twilio secret holds an API key secret', async () => {
    // Prepare
    const secrets = webhookSecretsFromEnv({
      env: { [CredentialsEnv.TWILIO_SECRET_ARN]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:t' },
      secrets: { get: async () => ({ authToken: 'api-key-secret', webhookAuthToken: 'account-token' }) },
    });

    // Act
    const token = await secrets.twilioAuthToken();

    // Assess
    expect(token).toBe('account-token');
  });
});
