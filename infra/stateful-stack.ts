/**
 * The stateful stack: everything that holds data — tables, queues and their DLQs, the events topic,
 * the provider secrets and the scheduler group — built from the shared definitions in resources.ts.
 * Functions live in the stateless stack so they can be redeployed without touching any of this.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { RemovalMode, type SwitchboardConfig } from './config';
import {
  type QueueDefinition,
  type QueueKey,
  queues,
  type TableDefinition,
  tables,
  visibilityTimeoutSeconds,
} from './resources';
import { PublishedParameter, ssmParameterName } from './ssm-names';

/** A queue with its dead-letter queue and the definition both came from. */
export interface QueueWithDlq {
  readonly definition: QueueDefinition;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

/** The provider secrets, created empty and filled after deploy. */
export interface ProviderSecrets {
  readonly twilio: secretsmanager.Secret;
  /** The SendGrid API key, read by the email sender only. */
  readonly sendgrid: secretsmanager.Secret;
  /** The SendGrid webhook's keys, read by the public SendGrid webhook only. */
  readonly sendgridWebhook: secretsmanager.Secret;
  readonly fcm: secretsmanager.Secret;
  readonly vapid: secretsmanager.Secret;
}

/** Props of the stateful stack. */
export interface StatefulStackProps extends StackProps {
  readonly config: SwitchboardConfig;
}

/** Placeholder JSON each secret starts with; documents the shape to fill in after deploy. */
export const SECRET_TEMPLATES = {
  twilio: { accountSid: '', authToken: '' },
  // The API key only is read from here. The two webhook fields stay in the template because
  // CloudFormation generates a new value whenever a template changes, which would overwrite the API
  // key an existing stage filled in; the webhook reads its keys from sendgridWebhook.
  sendgrid: { apiKey: '', eventWebhookPublicKey: '', inboundParseToken: '' },
  sendgridWebhook: { eventWebhookPublicKey: '', inboundParseToken: '' },
  fcm: { serviceAccountJson: '' },
  vapid: { publicKey: '', privateKey: '' },
} as const;

/** Tables, queues, topic, secrets and scheduler group of one Switchboard stage. */
export class StatefulStack extends Stack {
  readonly customersTable: dynamodb.Table;
  readonly messagesTable: dynamodb.Table;
  /** Each table with its definition, for bind helpers that need index names. */
  readonly tables: Readonly<
    Record<TableDefinition['key'], { table: dynamodb.Table; definition: TableDefinition }>
  >;
  readonly queues: Readonly<Record<QueueKey, QueueWithDlq>>;
  /**
   * The ledger-stream function's on-failure destination: the stream coordinates of changes whose
   * events could not be published after every retry (the changes themselves stay in the tables).
   */
  readonly ledgerStreamFailures: sqs.Queue;
  /** The journey-events function's on-failure destination, as {@link ledgerStreamFailures} is the ledger stream's. */
  readonly journeyEventsFailures: sqs.Queue;
  readonly eventsTopic: sns.Topic;
  readonly eventsTopicKey: kms.Key;
  readonly secrets: ProviderSecrets;
  /**
   * The pepper of the keyed address hash (generated, never filled in or rotated: every stored
   * address key depends on it, so it is kept with the data).
   */
  readonly addressPepper: secretsmanager.Secret;
  readonly scheduleGroup: scheduler.CfnScheduleGroup;
  /** The journey timers' one-time schedules (waits beyond 15 minutes), apart from the router's. */
  readonly journeyScheduleGroup: scheduler.CfnScheduleGroup;
  /** Managed policy other services attach to publish message requests. */
  readonly publisherPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy =
      config.removalPolicy === RemovalMode.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const builtTables = Object.fromEntries(
      tables.map((definition) => [definition.key, this.table(definition, config, removalPolicy)]),
    ) as Record<TableDefinition['key'], dynamodb.Table>;
    this.customersTable = builtTables.customers;
    this.messagesTable = builtTables.messages;
    this.tables = Object.fromEntries(
      tables.map((definition) => [definition.key, { table: builtTables[definition.key], definition }]),
    ) as StatefulStack['tables'];

    this.queues = Object.fromEntries(
      queues.map((definition) => [definition.key, this.queueWithDlq(definition, removalPolicy)]),
    ) as Record<QueueKey, QueueWithDlq>;

    this.ledgerStreamFailures = this.streamFailureQueue('LedgerStreamFailures', removalPolicy);
    this.journeyEventsFailures = this.streamFailureQueue('JourneyEventsFailures', removalPolicy);

    // A customer-managed key: SNS requires KMS for encryption at rest, and only a key policy we own
    // lets subscribers' services (and, for the alarm topic, CloudWatch) use it.
    this.eventsTopicKey = new kms.Key(this, 'EventsTopicKey', {
      description: `Switchboard ${config.stage}: encrypts the events topic`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.eventsTopic = new sns.Topic(this, 'EventsTopic', {
      displayName: `Switchboard ${config.stage} events`,
      masterKey: this.eventsTopicKey,
      enforceSSL: true,
    });

    this.secrets = {
      twilio: this.secret(
        'TwilioSecret',
        'twilio',
        'Twilio account SID and auth token',
        config,
        removalPolicy,
      ),
      sendgrid: this.secret(
        'SendGridSecret',
        'sendgrid',
        'SendGrid API key (apiKey; the email sender reads it, the webhook cannot)',
        config,
        removalPolicy,
      ),
      sendgridWebhook: this.secret(
        'SendGridWebhookSecret',
        'sendgridWebhook',
        'SendGrid Event Webhook verification key and Inbound Parse URL token (the SendGrid webhook reads them)',
        config,
        removalPolicy,
      ),
      fcm: this.secret(
        'FcmSecret',
        'fcm',
        'Firebase Cloud Messaging service-account JSON',
        config,
        removalPolicy,
      ),
      vapid: this.secret('VapidSecret', 'vapid', 'Web Push VAPID key pair', config, removalPolicy),
    };

    this.addressPepper = new secretsmanager.Secret(this, 'AddressPepperSecret', {
      description: `Switchboard ${config.stage}: pepper of the keyed hash naming addresses in keys. Generated; never change it.`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });

    // Schedules the router creates at run time live in this group; deleting the group deletes them,
    // so it belongs with the data, not with the functions.
    this.scheduleGroup = new scheduler.CfnScheduleGroup(this, 'ScheduleGroup', {
      name: `switchboard-${config.stage}`,
    });
    this.scheduleGroup.applyRemovalPolicy(removalPolicy);
    // Waiting journey runs' timers: deleting the group would wake none of them, so it stays with the
    // data too. A group of its own keeps the engine's grants off the router's delayed sends.
    this.journeyScheduleGroup = new scheduler.CfnScheduleGroup(this, 'JourneyScheduleGroup', {
      name: `switchboard-${config.stage}-journeys`,
    });
    this.journeyScheduleGroup.applyRemovalPolicy(removalPolicy);

    const outbound = this.queues.outbound.queue;
    const touchpoints = this.queues.touchpoints.queue;
    this.publisherPolicy = new iam.ManagedPolicy(this, 'SwitchboardPublisher', {
      managedPolicyName: `SwitchboardPublisher-${config.stage}`,
      description: `Publish message requests and touchpoint events to Switchboard ${config.stage} (outbound and touchpoints queues, SSE-SQS: no KMS needed)`,
      statements: [
        new iam.PolicyStatement({
          sid: 'PublishMessageRequests',
          actions: ['sqs:SendMessage', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
          resources: [outbound.queueArn],
        }),
        new iam.PolicyStatement({
          sid: 'PublishTouchpointEvents',
          actions: ['sqs:SendMessage', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
          resources: [touchpoints.queueArn],
        }),
      ],
    });

    this.publish(
      config,
      'OutboundQueueUrl',
      PublishedParameter.OUTBOUND_QUEUE_URL,
      outbound.queueUrl,
      'Outbound queue URL',
    );
    this.publish(
      config,
      'OutboundQueueArn',
      PublishedParameter.OUTBOUND_QUEUE_ARN,
      outbound.queueArn,
      'Outbound queue ARN',
    );
    this.publish(
      config,
      'TouchpointsQueueUrl',
      PublishedParameter.TOUCHPOINTS_QUEUE_URL,
      touchpoints.queueUrl,
      'Touchpoints queue URL (Segment-spec events)',
    );
    this.publish(
      config,
      'TouchpointsQueueArn',
      PublishedParameter.TOUCHPOINTS_QUEUE_ARN,
      touchpoints.queueArn,
      'Touchpoints queue ARN',
    );
    this.publish(
      config,
      'EventsTopicArn',
      PublishedParameter.EVENTS_TOPIC_ARN,
      this.eventsTopic.topicArn,
      'Events topic ARN',
    );
    this.publish(
      config,
      'PublisherPolicyArn',
      PublishedParameter.PUBLISHER_POLICY_ARN,
      this.publisherPolicy.managedPolicyArn,
      'Managed policy granting permission to publish message requests',
    );
    // Each other queue's URL, for operators and `switchboard dlq` (which finds each DLQ from its
    // queue's redrive policy); not published to SSM, since no other service should send to them.
    for (const [key, { queue }] of Object.entries(this.queues)) {
      if (key === 'outbound' || key === 'touchpoints') continue;
      new CfnOutput(this, `${key[0]!.toUpperCase()}${key.slice(1)}QueueUrl`, {
        value: queue.queueUrl,
        description: `The ${key} queue URL (its DLQ is in its redrive policy)`,
      });
    }
    // For `switchboard sources` (write keys), which operators run with their own access to the table.
    new CfnOutput(this, 'CustomersTableName', {
      value: this.tables.customers.table.tableName,
      description: 'The customers table (switchboard sources create|list|revoke)',
    });
    for (const [name, secret] of Object.entries(this.secrets)) {
      new CfnOutput(this, `${name[0]!.toUpperCase()}${name.slice(1)}SecretName`, {
        value: secret.secretName,
        description: `Fill this secret after deploy (see docs/deploy.md): ${name}`,
      });
    }
  }

  private table(
    definition: TableDefinition,
    config: SwitchboardConfig,
    removalPolicy: RemovalPolicy,
  ): dynamodb.Table {
    const attribute = (a: { name: string; type: 'S' | 'N' }): dynamodb.Attribute => ({
      name: a.name,
      type: a.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
    });
    const table = new dynamodb.Table(this, `${capitalise(definition.key)}Table`, {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.deletionProtection,
      // AWS-managed KMS key: encryption at rest visible in CloudTrail, without a key policy to keep
      // in step with every function role.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
      // The transactional outbox: the ledger-stream function derives every event from this stream.
      ...(definition.stream ? { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      removalPolicy,
    });
    for (const index of definition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  /** A stream event source's on-failure queue: the coordinates of records given up on. */
  private streamFailureQueue(id: string, removalPolicy: RemovalPolicy): sqs.Queue {
    return new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
  }

  private queueWithDlq(definition: QueueDefinition, removalPolicy: RemovalPolicy): QueueWithDlq {
    const id = capitalise(definition.key);
    // SSE-SQS rather than KMS: encrypted at rest at no per-request cost, and publishers in other
    // services need only sqs:SendMessage, no key grant.
    const deadLetterQueue = new sqs.Queue(this, `${id}Dlq`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    const queue = new sqs.Queue(this, `${id}Queue`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(definition)),
      retentionPeriod: Duration.seconds(definition.retentionSeconds),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      removalPolicy,
    });
    return { definition, queue, deadLetterQueue };
  }

  private secret(
    id: string,
    kind: keyof typeof SECRET_TEMPLATES,
    description: string,
    config: SwitchboardConfig,
    removalPolicy: RemovalPolicy,
  ): secretsmanager.Secret {
    // Empty fields plus a generated placeholder: the template holds the shape, never a credential.
    const secret = new secretsmanager.Secret(this, id, {
      description: `Switchboard ${config.stage}: ${description}. Fill after deploy (docs/deploy.md).`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify(SECRET_TEMPLATES[kind]),
        generateStringKey: 'placeholder',
        excludePunctuation: true,
      },
      removalPolicy,
    });
    return secret;
  }

  private publish(
    config: SwitchboardConfig,
    id: string,
    name: string,
    value: string,
    description: string,
  ): void {
    new CfnOutput(this, id, { value, description });
    new ssm.StringParameter(this, `${id}Parameter`, {
      parameterName: ssmParameterName(config.stage, name),
      stringValue: value,
      description: `Switchboard ${config.stage}: ${description}`,
    });
  }
}

function capitalise(key: string): string {
  return `${key[0]!.toUpperCase()}${key.slice(1)}`;
}
