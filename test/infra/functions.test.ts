import { Match } from 'aws-cdk-lib/assertions';
import { Env } from '../../functions/config';
import { routeMessagesConfigFromEnv } from '../../functions/handlers/route-messages';
import { DeployEnv, METRICS_NAMESPACE, SERVICE_NAME } from '../../infra/function-environment';
import { queues } from '../../infra/resources';
import { logicalId, type SynthesizedSwitchboard, synthSwitchboard } from '../helpers/cdk-app';

/** Each queue-consuming function by the queue it consumes. */
const CONSUMERS = {
  outbound: 'router',
  sms: 'sendSms',
  whatsapp: 'sendWhatsapp',
  email: 'sendEmail',
  push: 'sendPush',
  receipts: 'receiptTimeout',
} as const;

describe('Construct: SwitchboardFunction', () => {
  let sb: SynthesizedSwitchboard;
  beforeAll(() => {
    sb = synthSwitchboard({
      stage: 'dev',
      logRetentionDays: 14,
      logLevel: 'DEBUG',
      concurrency: { sms: 3, push: 7 },
      twilio: { messagingServiceSid: `MG${'a'.repeat(32)}`, whatsappFrom: '+14155550100' },
      email: { from: 'hello@example.com', replyTo: 'support@example.com' },
      push: { fcmProjectId: 'my-project-123', vapidSubject: 'mailto:ops@example.com' },
    });
  });

  it('builds nine functions on Node.js 22, ARM64, with X-Ray tracing', () => {
    // Assess
    sb.services.resourceCountIs('AWS::Lambda::Function', 9);
    sb.services.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
    });
  });

  it('sets the Powertools environment and source maps on every function', () => {
    // Assess
    sb.services.allResourcesProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
          NODE_OPTIONS: '--enable-source-maps',
          [DeployEnv.STAGE]: 'dev',
        }),
      },
    });
  });

  it('gives every function its own log group with the configured retention', () => {
    // Prepare
    const functions = Object.values(sb.stateless.functions);

    // Act
    const logGroups = functions.map(
      (fn) => sb.services.toJSON().Resources[logicalId(sb.stateless, fn.logGroup)],
    );

    // Assess
    for (const [index, fn] of functions.entries()) {
      expect(logGroups[index].Properties.RetentionInDays).toBe(14);
      sb.services.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(sb.stateless, fn.logGroup) } },
      });
    }
  });

  it.each(queues.map((q) => [q.key, q]))(
    'consumes the %s queue with partial batch failures, its batch size and max concurrency',
    (key, definition) => {
      // Prepare
      const fn = sb.stateless.functions[CONSUMERS[key]]!;
      const expectedConcurrency = { sms: 3, push: 7 }[key as 'sms'] ?? definition.maxConcurrency;

      // Act
      const mappings = Object.values(
        sb.services.findResources('AWS::Lambda::EventSourceMapping', {
          Properties: { FunctionName: { Ref: logicalId(sb.stateless, fn.function) } },
        }),
      );

      // Assess
      expect(mappings).toHaveLength(1);
      expect(mappings[0]!.Properties).toMatchObject({
        BatchSize: definition.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: expectedConcurrency },
      });
      expect(JSON.stringify(mappings[0]!.Properties.EventSourceArn)).toContain(
        logicalId(sb.stateful, sb.stateful.queues[key].queue),
      );
    },
  );

  it('gives each queue consumer exactly its queue definition timeout', () => {
    // Assess
    for (const definition of queues) {
      const fn = sb.stateless.functions[CONSUMERS[definition.key]]!;
      expect(fn.function.timeout?.toSeconds()).toBe(definition.consumerTimeoutSeconds);
    }
  });

  it.each([
    ['sendSms', DeployEnv.TWILIO_MESSAGING_SERVICE_SID, `MG${'a'.repeat(32)}`],
    ['sendWhatsapp', DeployEnv.TWILIO_WHATSAPP_FROM, '+14155550100'],
    ['sendEmail', DeployEnv.EMAIL_FROM, 'hello@example.com'],
    ['sendEmail', DeployEnv.EMAIL_REPLY_TO, 'support@example.com'],
    ['sendPush', DeployEnv.FCM_PROJECT_ID, 'my-project-123'],
    ['sendPush', DeployEnv.VAPID_SUBJECT, 'mailto:ops@example.com'],
  ])('passes provider setting to %s as %s', (name, variable, value) => {
    // Act
    const fn =
      sb.services.toJSON().Resources[logicalId(sb.stateless, sb.stateless.functions[name]!.function)];

    // Assess
    expect(fn.Properties.Environment.Variables[variable]).toBe(value);
  });

  it('passes secrets by ARN only: no variable holds a secret value', () => {
    // Act
    const variables = Object.values(sb.services.findResources('AWS::Lambda::Function')).flatMap((fn) =>
      Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>),
    );

    // Assess
    const secretVariables = variables.filter(([name]) => /SECRET/.test(name));
    expect(secretVariables.length).toBeGreaterThan(0);
    for (const [name, value] of secretVariables) {
      expect(name).toMatch(/_SECRET_ARN$/);
      expect(JSON.stringify(value)).toContain('Secret');
      expect(typeof value).not.toBe('string');
    }
  });

  it('gives the router every variable its handler reads, with EventBridge Scheduler configured', () => {
    // Prepare: the deployed environment, tokens replaced by placeholders.
    const fn =
      sb.services.toJSON().Resources[logicalId(sb.stateless, sb.stateless.functions.router!.function)];
    const env = Object.fromEntries(
      Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : `deployed:${name}`,
      ]),
    );

    // Act: the handler's own configuration reader, which fails on any missing variable.
    const config = routeMessagesConfigFromEnv(env);

    // Assess
    expect(config.scheduler).toEqual({
      roleArn: `deployed:${Env.SCHEDULER_ROLE_ARN}`,
      outboundQueueArn: `deployed:${Env.OUTBOUND_QUEUE_ARN}`,
      groupName: 'switchboard-dev',
    });
    expect(Object.values(config.channelQueueUrls)).toHaveLength(4);
  });
});
