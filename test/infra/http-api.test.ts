import { Match } from 'aws-cdk-lib/assertions';
import { API_ROUTES, WEBHOOK_ROUTES } from '../../infra/routes';
import { logicalId, type SynthesizedSwitchboard, synthSwitchboard } from '../helpers/cdk-app';

describe('HTTP API', () => {
  let sb: SynthesizedSwitchboard;
  let routes: Record<string, { AuthorizationType: string; Target: unknown }>;
  beforeAll(() => {
    sb = synthSwitchboard({ stage: 'dev', throttling: { rateLimit: 25, burstLimit: 40 } });
    routes = Object.fromEntries(
      Object.values(sb.services.findResources('AWS::ApiGatewayV2::Route')).map((r) => [
        r.Properties.RouteKey,
        r.Properties,
      ]),
    );
  });

  it('is one HTTP API with exactly the /v1 surface of DESIGN.md (webhooks are function URLs)', () => {
    // Prepare
    const expected = [
      'PUT /v1/customers/{customerId}',
      'GET /v1/customers/{customerId}',
      'DELETE /v1/customers/{customerId}',
      'PUT /v1/customers/{customerId}/consent',
      'GET /v1/customers/{customerId}/timeline',
      'POST /v1/messages',
      'POST /v1/events',
      'GET /v1/reports/attribution',
      'GET /v1/journeys',
      'GET /v1/journeys/{journeyId}/stats',
      'POST /v1/journeys/{journeyId}/cancel',
    ];

    // Assess
    sb.services.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    sb.services.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    expect(Object.keys(routes).sort()).toEqual(expected.sort());
  });

  it.each(API_ROUTES.flatMap((r) => r.methods.map((m) => [`${m} ${r.path}`])))(
    'authorises %s with IAM',
    (key) => {
      // Assess
      expect(routes[key]!.AuthorizationType).toBe('AWS_IAM');
    },
  );

  it.each([
    ['twilio', 'twilioWebhook'],
    ['sendgrid', 'sendgridWebhook'],
  ] as const)(
    'serves the %s webhooks on a public function URL (NONE) of their handler',
    (_provider, name) => {
      // Prepare
      const fn = sb.stateless.functions[name]!;
      const target = { 'Fn::GetAtt': [logicalId(sb.stateless, fn.function), 'Arn'] };

      // Assess
      sb.services.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: target });
      sb.services.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
        FunctionName: target,
      });
    },
  );

  it('sends no webhook through the HTTP API', () => {
    // Assess
    for (const route of WEBHOOK_ROUTES) {
      expect(Object.keys(routes)).not.toContain(`POST ${route.path}`);
    }
  });

  it('routes every /v1 path to the api function with payload format 2.0', () => {
    // Assess
    sb.services.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: {
        'Fn::GetAtt': [logicalId(sb.stateless, sb.stateless.functions.api!.function), 'Arn'],
      },
    });
  });

  it('throttles the stage and writes JSON access logs to a log group', () => {
    // Assess
    sb.services.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 40 }),
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('"routeKey":"\\$context.routeKey".*"status":"\\$context.status"'),
      },
    });
  });

  it.each([
    ['ApiUrl', '/switchboard/dev/api-url'],
    ['TwilioStatusWebhookUrl', '/switchboard/dev/webhooks/twilio-status-url'],
    ['TwilioInboundWebhookUrl', '/switchboard/dev/webhooks/twilio-inbound-url'],
    ['SendGridEventsWebhookUrl', '/switchboard/dev/webhooks/sendgrid-events-url'],
    ['SendGridInboundWebhookUrl', '/switchboard/dev/webhooks/sendgrid-inbound-url'],
  ])('publishes %s as an output and as SSM parameter %s', (output, parameter) => {
    // Assess
    sb.services.hasOutput(output, {});
    sb.services.hasResourceProperties('AWS::SSM::Parameter', { Name: parameter });
  });

  it.each([
    ['TwilioStatusWebhookUrl', '/webhooks/twilio/status', 'twilio'],
    ['TwilioInboundWebhookUrl', '/webhooks/twilio/inbound', 'twilio'],
    ['SendGridEventsWebhookUrl', '/webhooks/sendgrid/events', 'sendgrid'],
    ['SendGridInboundWebhookUrl', '/webhooks/sendgrid/inbound', 'sendgrid'],
  ] as const)('builds %s from the function URL and the fixed path %s', (output, path, provider) => {
    // Act
    const value = JSON.stringify(sb.services.toJSON().Outputs[output].Value);

    // Assess
    expect(value).toContain(path);
    expect(value).toContain(logicalId(sb.stateless, sb.stateless.webhookUrls[provider]));
    expect(value).not.toContain(logicalId(sb.stateless, sb.stateless.httpApi));
  });
});
