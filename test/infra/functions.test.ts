import { Match } from 'aws-cdk-lib/assertions';
import {
  AddressPepperEnv,
  CredentialsEnv,
  channelConsumerConfigFromEnv,
  DEFAULT_MAX_RETRYABLE_FAILURES,
  DEFAULT_SEND_LEASE_SECONDS,
  Env,
  FcmEnv,
  routeMessagesConfigFromEnv,
  SenderEnv,
  SendGridEnv,
  TwilioEnv,
  WebPushEnv,
} from '../../functions/config';
import { emailSenderFromEnv } from '../../functions/handlers/send-email';
import { pushSenderFromEnv } from '../../functions/handlers/send-push';
import { smsSenderFromEnv } from '../../functions/handlers/send-sms';
import { whatsAppSenderFromEnv } from '../../functions/handlers/send-whatsapp';
import { LinkTrackingEnv } from '../../functions/link-tracking-config';
import { DEFAULT_WEBHOOK_RESERVED_CONCURRENCY } from '../../infra/config';
import { DeployEnv, METRICS_NAMESPACE, SERVICE_NAME } from '../../infra/function-environment';
import { WEBHOOK_FUNCTIONS as WEBHOOKS } from '../../infra/monitoring';
import {
  queueDefinition,
  queues,
  senderLeaseSeconds,
  senderMaxRetryableFailures,
  visibilityTimeoutSeconds,
} from '../../infra/resources';
import { logicalId, type SynthesizedSwitchboard, synthSwitchboard } from '../helpers/cdk-app';

/** Each queue-consuming function by the queue it consumes. */
const CONSUMERS = {
  outbound: 'router',
  sms: 'sendSms',
  whatsapp: 'sendWhatsapp',
  email: 'sendEmail',
  push: 'sendPush',
  receipts: 'receiptTimeout',
  touchpoints: 'recordTouchpoints',
  journeyTimers: 'journeyTimers',
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
      email: {
        from: 'hello@example.com',
        replyTo: 'support@example.com',
        unsubscribeUrl: 'https://example.com/unsubscribe/{customerId}',
      },
      push: { fcmProjectId: 'my-project-123', vapidSubject: 'mailto:ops@example.com' },
    });
  });

  it('builds fifteen functions on Node.js 24, ARM64, with X-Ray tracing', () => {
    // Assess
    sb.services.resourceCountIs('AWS::Lambda::Function', 15);
    sb.services.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
    });
  });

  it.each(WEBHOOKS)('reserves the default concurrency for the public %s function', (name) => {
    // Act
    const fn =
      sb.services.toJSON().Resources[logicalId(sb.stateless, sb.stateless.functions[name]!.function)];

    // Assess
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(DEFAULT_WEBHOOK_RESERVED_CONCURRENCY);
  });

  it('reserves no concurrency for the queue consumers and the API, which their sources already bound', () => {
    // Act
    const reserved = Object.entries(sb.stateless.functions)
      .filter(([name]) => ![...WEBHOOKS, 'publicIngest', 'clickRedirect'].includes(name))
      .map(([, fn]) => sb.services.toJSON().Resources[logicalId(sb.stateless, fn.function)])
      .filter((fn) => fn.Properties.ReservedConcurrentExecutions !== undefined);

    // Assess
    expect(reserved).toEqual([]);
  });

  it.each([
    [7, 7],
    [false, undefined],
  ] as const)('reserves webhooks.reservedConcurrency %s for each webhook', (setting, expected) => {
    // Act
    const custom = synthSwitchboard({ webhooks: { reservedConcurrency: setting } });

    // Assess
    for (const name of WEBHOOKS) {
      const fn =
        custom.services.toJSON().Resources[
          logicalId(custom.stateless, custom.stateless.functions[name]!.function)
        ];
      expect(fn.Properties.ReservedConcurrentExecutions).toBe(expected);
    }
  });

  it('sets the Powertools environment on every function, and no source maps by default', () => {
    // Assess
    sb.services.allResourcesProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
          NODE_OPTIONS: Match.absent(),
          [DeployEnv.STAGE]: 'dev',
        }),
      },
    });
  });

  it('runs every function with source maps when sourceMaps is set', () => {
    // Act
    const withMaps = synthSwitchboard({ sourceMaps: true });

    // Assess
    withMaps.services.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
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
    ['sendSms', TwilioEnv.MESSAGING_SERVICE_SID, `MG${'a'.repeat(32)}`],
    ['sendWhatsapp', TwilioEnv.MESSAGING_SERVICE_SID, `MG${'a'.repeat(32)}`],
    ['sendWhatsapp', TwilioEnv.WHATSAPP_FROM, '+14155550100'],
    ['sendEmail', SendGridEnv.FROM_EMAIL, 'hello@example.com'],
    ['sendEmail', SendGridEnv.REPLY_TO, 'support@example.com'],
    ['sendEmail', SendGridEnv.UNSUBSCRIBE_URL, 'https://example.com/unsubscribe/{customerId}'],
    ['sendPush', FcmEnv.PROJECT_ID, 'my-project-123'],
    ['sendPush', WebPushEnv.SUBJECT, 'mailto:ops@example.com'],
  ])('passes provider setting to %s as %s', (name, variable, value) => {
    // Act
    const fn =
      sb.services.toJSON().Resources[logicalId(sb.stateless, sb.stateless.functions[name]!.function)];

    // Assess
    expect(fn.Properties.Environment.Variables[variable]).toBe(value);
  });

  /** A sender's environment as the function sees it, CloudFormation references standing in as text. */
  const senderEnvironment = (name: string): NodeJS.ProcessEnv => {
    const fn =
      sb.services.toJSON().Resources[logicalId(sb.stateless, sb.stateless.functions[name]!.function)];
    return Object.fromEntries(
      Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
  };

  const SENDERS = [
    ['sendSms', 'sms', smsSenderFromEnv, [CredentialsEnv.TWILIO_SECRET_ARN, TwilioEnv.STATUS_CALLBACK_URL]],
    [
      'sendWhatsapp',
      'whatsapp',
      whatsAppSenderFromEnv,
      [CredentialsEnv.TWILIO_SECRET_ARN, TwilioEnv.STATUS_CALLBACK_URL],
    ],
    ['sendEmail', 'email', emailSenderFromEnv, [CredentialsEnv.SENDGRID_SECRET_ARN]],
    [
      'sendPush',
      'push',
      pushSenderFromEnv,
      [CredentialsEnv.FCM_SECRET_ARN, CredentialsEnv.WEBPUSH_SECRET_ARN],
    ],
  ] as const;

  it.each(SENDERS)(
    'gives %s every variable its handler and adapters require',
    (name, channel, senderFromEnv, required) => {
      // Prepare
      const env = senderEnvironment(name);

      // Act
      const config = channelConsumerConfigFromEnv(env);
      const sender = senderFromEnv(env);

      // Assess
      expect(sender.channel).toBe(channel);
      expect(config.receiptsQueueUrl).toContain(logicalId(sb.stateful, sb.stateful.queues.receipts.queue));
      expect(config.outboundQueueUrl).toContain(logicalId(sb.stateful, sb.stateful.queues.outbound.queue));
      expect(config.policy).toEqual({
        leaseSeconds: senderLeaseSeconds(queueDefinition(channel)),
        maxRetryableFailures: senderMaxRetryableFailures(queueDefinition(channel)),
      });
      for (const variable of required) {
        expect(env[variable]).toBeDefined();
        // Deployed, credentials come from Secrets Manager, never from the local variables.
        if (variable.endsWith('_SECRET_ARN')) expect(env[variable]).toContain('Secret');
      }
    },
  );

  it.each(SENDERS)('sets on %s no variable its handler does not read', (name) => {
    // Prepare
    const read = new Set<string>([
      ...Object.values(Env),
      ...Object.values(SenderEnv),
      ...Object.values(TwilioEnv),
      ...Object.values(SendGridEnv),
      ...Object.values(FcmEnv),
      ...Object.values(WebPushEnv),
      ...Object.values(CredentialsEnv),
      ...Object.values(AddressPepperEnv),
      ...Object.values(LinkTrackingEnv),
      DeployEnv.STAGE,
    ]);

    // Act
    const unknown = Object.keys(senderEnvironment(name)).filter(
      (variable) => !read.has(variable) && !/^(POWERTOOLS_|NODE_OPTIONS$|AWS_)/.test(variable),
    );

    // Assess
    expect(unknown).toEqual([]);
  });

  it.each(['sms', 'whatsapp', 'email', 'push'] as const)(
    "keeps the senders' built-in lease and retry defaults equal to what the stack sets for %s",
    (channel) => {
      // Prepare
      const definition = queueDefinition(channel);

      // Assess: the local runtime, which sets neither variable, behaves as deployed.
      expect(DEFAULT_SEND_LEASE_SECONDS).toBe(senderLeaseSeconds(definition));
      expect(DEFAULT_MAX_RETRYABLE_FAILURES).toBe(senderMaxRetryableFailures(definition));
      // A crashed holder's lease has expired by the first redelivery, one visibility timeout later.
      expect(senderLeaseSeconds(definition) + definition.consumerTimeoutSeconds).toBeLessThanOrEqual(
        visibilityTimeoutSeconds(definition),
      );
    },
  );

  it('points the Twilio status callback at the Twilio webhook function URL', () => {
    // Act
    const url = JSON.stringify(senderEnvironment('sendSms')[TwilioEnv.STATUS_CALLBACK_URL]);

    // Assess
    expect(url).toContain('/webhooks/twilio/status');
    expect(url).toContain(logicalId(sb.stateless, sb.stateless.webhookUrls.twilio));
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
