import { Match } from 'aws-cdk-lib/assertions';
import { queueUrlOutput } from '../../cli/target';
import { type QueueKey, queues, tables, visibilityTimeoutSeconds } from '../../infra/resources';
import { SECRET_TEMPLATES } from '../../infra/stateful-stack';
import { logicalId, type SynthesizedSwitchboard, synthSwitchboard } from '../helpers/cdk-app';

describe('Stack: stateful (dev defaults)', () => {
  let dev: SynthesizedSwitchboard;
  beforeAll(() => {
    dev = synthSwitchboard({ stage: 'dev' });
  });

  it.each(tables.map((t) => [t.key]))(
    'makes the %s table on-demand, PITR-protected and KMS-encrypted',
    (key) => {
      // Prepare
      const id = logicalId(dev.stateful, dev.stateful.tables[key].table);

      // Act
      const table = dev.data.toJSON().Resources[id];

      // Assess
      expect(table.Type).toBe('AWS::DynamoDB::Table');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // SSEEnabled without a key id is SSE-KMS with the AWS-managed key aws/dynamodb.
        SSESpecification: { SSEEnabled: true },
      });
    },
  );

  it('builds key schemas and indexes from infra/resources.ts', () => {
    // Assess
    dev.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    dev.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ],
    });
  });

  it('expires ledger items and erasure tombstones by TTL on expiresAt, on both tables', () => {
    // Act
    const withTtl = dev.data.findResources('AWS::DynamoDB::Table', {
      Properties: { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } },
    });

    // Assess
    expect(Object.keys(withTtl).sort()).toEqual(
      [
        logicalId(dev.stateful, dev.stateful.customersTable),
        logicalId(dev.stateful, dev.stateful.messagesTable),
      ].sort(),
    );
  });

  it.each(queues.map((q) => [q.key, q]))(
    'gives the %s queue SSE, a DLQ with its redrive count and 6x the consumer timeout',
    (key, definition) => {
      // Prepare
      const { queue, deadLetterQueue } = dev.stateful.queues[key as QueueKey];
      const resources = dev.data.toJSON().Resources;

      // Act
      const main = resources[logicalId(dev.stateful, queue)];
      const dlq = resources[logicalId(dev.stateful, deadLetterQueue)];

      // Assess
      expect(main.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: visibilityTimeoutSeconds(definition),
        MessageRetentionPeriod: definition.retentionSeconds,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(dev.stateful, deadLetterQueue), 'Arn'] },
          maxReceiveCount: definition.maxReceiveCount,
        },
      });
      expect(main.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * definition.consumerTimeoutSeconds);
      expect(dlq.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
    },
  );

  it('denies non-TLS access to every queue', () => {
    // Prepare
    const policies = Object.values(dev.data.findResources('AWS::SQS::QueuePolicy'));
    const queueIds = Object.values(dev.stateful.queues).flatMap((q) => [
      logicalId(dev.stateful, q.queue),
      logicalId(dev.stateful, q.deadLetterQueue),
    ]);

    // Act
    const enforced = queueIds.filter((id) =>
      policies.some(
        (p) =>
          JSON.stringify(p.Properties.Queues).includes(id) &&
          JSON.stringify(p.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
      ),
    );

    // Assess
    expect(enforced.sort()).toEqual(queueIds.sort());
  });

  it('encrypts the events topic with a rotating customer key and enforces TLS', () => {
    // Assess
    dev.data.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(dev.stateful, dev.stateful.eventsTopicKey), 'Arn'] },
    });
    dev.data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dev.data.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('creates the five provider secrets with placeholders only, never a value', () => {
    // Act
    const secrets = Object.values(dev.data.findResources('AWS::SecretsManager::Secret')).filter(
      (secret) => secret.Properties.GenerateSecretString.SecretStringTemplate !== undefined,
    );

    // Assess
    expect(secrets).toHaveLength(5);
    for (const secret of secrets) {
      expect(secret.Properties.SecretString).toBeUndefined();
      const template = JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate);
      expect(Object.values(template).every((v) => v === '')).toBe(true);
    }
    expect(secrets.map((s) => JSON.parse(s.Properties.GenerateSecretString.SecretStringTemplate))).toEqual(
      expect.arrayContaining(Object.values(SECRET_TEMPLATES)),
    );
  });

  it('generates the address pepper: 64 characters, no template, kept like the data', () => {
    // Act
    const peppers = Object.values(dev.data.findResources('AWS::SecretsManager::Secret')).filter(
      (secret) => secret.Properties.GenerateSecretString.SecretStringTemplate === undefined,
    );

    // Assess
    expect(peppers).toHaveLength(1);
    expect(peppers[0]?.Properties.SecretString).toBeUndefined();
    expect(peppers[0]?.Properties.GenerateSecretString).toEqual({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });

  it('exports a SwitchboardPublisher policy that can only send to the outbound and touchpoints queues', () => {
    // Assess
    dev.data.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'SwitchboardPublisher-dev',
      PolicyDocument: {
        Statement: [
          {
            Sid: 'PublishMessageRequests',
            Effect: 'Allow',
            Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
            Resource: { 'Fn::GetAtt': [logicalId(dev.stateful, dev.stateful.queues.outbound.queue), 'Arn'] },
          },
          {
            Sid: 'PublishTouchpointEvents',
            Effect: 'Allow',
            Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
            Resource: {
              'Fn::GetAtt': [logicalId(dev.stateful, dev.stateful.queues.touchpoints.queue), 'Arn'],
            },
          },
        ],
      },
    });
  });

  it.each([
    ['OutboundQueueUrl', '/switchboard/dev/outbound-queue-url'],
    ['OutboundQueueArn', '/switchboard/dev/outbound-queue-arn'],
    ['TouchpointsQueueUrl', '/switchboard/dev/touchpoints-queue-url'],
    ['TouchpointsQueueArn', '/switchboard/dev/touchpoints-queue-arn'],
    ['EventsTopicArn', '/switchboard/dev/events-topic-arn'],
    ['PublisherPolicyArn', '/switchboard/dev/publisher-policy-arn'],
  ])('publishes %s as an output and as SSM parameter %s', (output, parameter) => {
    // Assess
    dev.data.hasOutput(output, {});
    dev.data.hasResourceProperties('AWS::SSM::Parameter', { Name: parameter, Type: 'String' });
  });

  it.each(['SmsQueueUrl', 'WhatsappQueueUrl', 'EmailQueueUrl', 'PushQueueUrl', 'ReceiptsQueueUrl'])(
    'outputs %s, the name `switchboard dlq` reads',
    (output) => {
      // Assess
      expect(queueUrlOutput(output.replace(/QueueUrl$/, '').toLowerCase() as QueueKey)).toBe(output);
      dev.data.hasOutput(output, {});
    },
  );

  it('creates every queue of the shared definitions, each with its DLQ', () => {
    // Assess
    // …and the on-failure queues of the ledger-stream and journey-events functions.
    dev.data.resourceCountIs('AWS::SQS::Queue', queues.length * 2 + 2);
  });
});

describe('Stack: stateful (data protection)', () => {
  /** What a protected stage keeps when it or one of its resources is deleted. */
  const RETAINED = [
    'AWS::DynamoDB::Table',
    'AWS::SQS::Queue',
    'AWS::SecretsManager::Secret',
    'AWS::KMS::Key',
  ];

  it.each([
    ['dev', {}, true],
    ['prod', {}, true],
    ['prod', { protectData: false }, false],
    ['staging', { protectData: true }, true],
    ['demo', { protectData: false }, false],
  ] as const)('on stage %s with %j protects the data: %s', (stage, setting, protectedData) => {
    // Act
    const sb = synthSwitchboard({ stage, ...setting });

    // Assess
    const policy = protectedData ? 'Retain' : 'Delete';
    sb.data.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: protectedData });
    for (const type of RETAINED) sb.data.allResources(type, { DeletionPolicy: policy });
    sb.data.allResources('AWS::DynamoDB::Table', { UpdateReplacePolicy: policy });
    sb.data.allResources('AWS::Scheduler::ScheduleGroup', { DeletionPolicy: policy });
    sb.services.allResources('AWS::Logs::LogGroup', { DeletionPolicy: policy });
    expect(sb.stateful.terminationProtection).toBe(protectedData);
  });

  it('keeps the SendGrid API-key secret template as it was, so an upgrade never regenerates a filled-in key', () => {
    // Assess: CloudFormation generates a new value whenever GenerateSecretString changes.
    expect(SECRET_TEMPLATES.sendgrid).toEqual({
      apiKey: '',
      eventWebhookPublicKey: '',
      inboundParseToken: '',
    });
  });
});
