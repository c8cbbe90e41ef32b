/**
 * The short links' infrastructure: the click function behind a public function URL (auth NONE),
 * its reserved concurrency, the base URL the SMS, WhatsApp and push senders rewrite to (the
 * function URL, or `links.baseUrl`), the categories left untracked, and the URL published.
 */
import { LinkTrackingEnv, linkTrackingConfigFromEnv } from '../../functions/link-tracking-config';
import { linkStoreFromEnv } from '../../functions/wiring/click-ports';
import { logicalId, type SynthesizedSwitchboard, synthSwitchboard } from '../helpers/cdk-app';

function resourceOf(sb: SynthesizedSwitchboard, name: string) {
  return sb.services.toJSON().Resources[logicalId(sb.stateless, sb.stateless.functions[name]!.function)];
}

/** A function's environment, CloudFormation references standing in as text. */
function environmentOf(sb: SynthesizedSwitchboard, name: string): NodeJS.ProcessEnv {
  const variables = resourceOf(sb, name).Properties.Environment.Variables as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}

describe('Infra: short links', () => {
  const sb = synthSwitchboard({ stage: 'dev' });

  it('serves GET /c/{token} on a public function URL (NONE) of the click function', () => {
    // Prepare
    const target = {
      'Fn::GetAtt': [logicalId(sb.stateless, sb.stateless.functions.clickRedirect!.function), 'Arn'],
    };

    // Assess
    sb.services.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: target });
    sb.services.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      Principal: '*',
      FunctionUrlAuthType: 'NONE',
      FunctionName: target,
    });
    expect(resourceOf(sb, 'clickRedirect').Properties.ReservedConcurrentExecutions).toBe(50);
    expect(() => linkStoreFromEnv(undefined, environmentOf(sb, 'clickRedirect'))).not.toThrow();
  });

  it.each(['sendSms', 'sendWhatsapp', 'sendPush'])(
    'has %s rewrite links to the click function URL',
    (name) => {
      // Act: a reference to the function URL at synth time, a URL once deployed.
      const env = environmentOf(sb, name);

      // Assess
      expect(env[LinkTrackingEnv.BASE_URL]).toContain(logicalId(sb.stateless, sb.stateless.linksUrl));
      expect(env[LinkTrackingEnv.CATEGORIES]).toBeUndefined();
    },
  );

  it('leaves email to SendGrid: its sender gets no base URL', () => {
    // Act
    const config = linkTrackingConfigFromEnv(environmentOf(sb, 'sendEmail'));

    // Assess
    expect(config.baseUrl).toBeUndefined();
  });

  it('rewrites to links.baseUrl and leaves the categories configured off untouched', () => {
    // Act
    const custom = synthSwitchboard({
      links: {
        baseUrl: 'https://go.example.com',
        categories: { transactional: false },
        reservedConcurrency: false,
      },
    });
    const config = linkTrackingConfigFromEnv(environmentOf(custom, 'sendSms'));

    // Assess
    expect(config).toEqual({ baseUrl: 'https://go.example.com', categories: { transactional: false } });
    expect(resourceOf(custom, 'clickRedirect').Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('publishes LinksBaseUrl as an output and an SSM parameter', () => {
    // Act
    const value = JSON.stringify(sb.services.toJSON().Outputs.LinksBaseUrl.Value);

    // Assess
    expect(value).toContain(logicalId(sb.stateless, sb.stateless.linksUrl));
    sb.services.hasResourceProperties('AWS::SSM::Parameter', { Name: '/switchboard/dev/links-base-url' });
  });
});
