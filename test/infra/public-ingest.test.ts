/**
 * The public ingest's infrastructure: its own function behind a public function URL (auth NONE,
 * CORS for POST), reserved concurrency from `ingest.reservedConcurrency`, the URL published, and an
 * environment the real wiring reads without a missing variable.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { ingestConfigFromEnv, touchpointsConfigFromEnv } from '../../functions/touchpoints-config';
import { environmentOf, logicalId, type SynthesizedSwitchboard, synthSwitchboard } from '../helpers/cdk-app';

function ingestFunctionOf(sb: SynthesizedSwitchboard) {
  return sb.services.toJSON().Resources[
    logicalId(sb.stateless, sb.stateless.functions.publicIngest!.function)
  ];
}

describe('Infra: the public ingest', () => {
  const sb = synthSwitchboard({
    stage: 'dev',
    ingest: { rateLimit: 30, rateWindowSeconds: 60, allowedOrigins: ['https://shop.example.com'] },
  });

  it('serves the ingest on a public function URL (NONE) that lets browsers POST', () => {
    // Prepare
    const target = {
      'Fn::GetAtt': [logicalId(sb.stateless, sb.stateless.functions.publicIngest!.function), 'Arn'],
    };

    // Assess
    sb.services.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: target,
      Cors: Match.objectLike({ AllowOrigins: ['https://shop.example.com'], AllowMethods: ['POST'] }),
    });
    sb.services.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      Principal: '*',
      FunctionUrlAuthType: 'NONE',
      FunctionName: target,
    });
  });

  it('reserves the default concurrency of 50', () => {
    // Assess
    expect(ingestFunctionOf(sb).Properties.ReservedConcurrentExecutions).toBe(50);
  });

  it.each([
    [7, 7],
    [false, undefined],
  ] as const)('reserves ingest.reservedConcurrency %s', (setting, expected) => {
    // Act
    const custom = synthSwitchboard({ ingest: { reservedConcurrency: setting } });

    // Assess
    expect(ingestFunctionOf(custom).Properties.ReservedConcurrentExecutions).toBe(expected);
  });

  it('gives the function the tables and the rate limit its wiring reads', () => {
    // Prepare
    const variables = ingestFunctionOf(sb).Properties.Environment.Variables as Record<string, unknown>;
    const env = Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );

    // Act
    const config = ingestConfigFromEnv(env);

    // Assess
    expect(config.rateLimit).toEqual({ limit: 30, windowSeconds: 60 });
    expect(config.customersTable).toContain('Customers');
    expect(config.messagesTable).toContain('Messages');
  });

  it('publishes IngestUrl (the function URL with /ingest) as an output and an SSM parameter', () => {
    // Act
    const value = JSON.stringify(sb.services.toJSON().Outputs.IngestUrl.Value);

    // Assess
    expect(value).toContain('/ingest');
    expect(value).toContain(logicalId(sb.stateless, sb.stateless.ingestUrl));
    sb.services.hasResourceProperties('AWS::SSM::Parameter', { Name: '/switchboard/dev/ingest-url' });
  });

  it('keeps no IP or user agent by default, and tells the touchpoint recorders which ones to keep when configured', () => {
    // Prepare
    const keeping = synthSwitchboard({ stage: 'dev', keepClientContext: ['ip'] });

    // Act
    const defaults = touchpointsConfigFromEnv(environmentOf(sb, 'publicIngest'));
    const ingest = touchpointsConfigFromEnv(environmentOf(keeping, 'publicIngest'));
    const queue = touchpointsConfigFromEnv(environmentOf(keeping, 'recordTouchpoints'));

    // Assess
    expect(defaults.keepClientContext).toBeUndefined();
    expect(ingest.keepClientContext).toEqual(['ip']);
    expect(queue.keepClientContext).toEqual(['ip']);
  });
});
