/**
 * One Lambda function with the house defaults, and bind helpers that grant exactly one kind of
 * access to one resource AND set the environment variable naming it, in one call — so a function
 * can never be told about a resource it may not use, nor allowed one it is not told about.
 */

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JourneyEnv } from '../../functions/journeys-config';
import type { SwitchboardConfig } from '../config';
import { DeployEnv, METRICS_NAMESPACE, SERVICE_NAME } from '../function-environment';
import type { TableDefinition } from '../resources';
import type { QueueWithDlq } from '../stateful-stack';

/** The Lambda entry files (functions/handlers/<name>.ts); fixed by the briefing. */
export const HandlerName = {
  ROUTE_MESSAGES: 'route-messages',
  SEND_SMS: 'send-sms',
  SEND_WHATSAPP: 'send-whatsapp',
  SEND_EMAIL: 'send-email',
  SEND_PUSH: 'send-push',
  API: 'api',
  TWILIO_WEBHOOK: 'twilio-webhook',
  SENDGRID_WEBHOOK: 'sendgrid-webhook',
  RECEIPT_TIMEOUT: 'receipt-timeout',
  RECORD_TOUCHPOINTS: 'record-touchpoints',
  LEDGER_STREAM: 'ledger-stream',
  PUBLIC_INGEST: 'public-ingest',
  CLICK_REDIRECT: 'click-redirect',
  JOURNEY_EVENTS: 'journey-events',
  JOURNEY_TIMERS: 'journey-timers',
} as const;

/** One of the handler entry names. */
export type HandlerName = (typeof HandlerName)[keyof typeof HandlerName];

/**
 * Where a bundle's journey documents are in Lambda: the bundler's `journeys/` folder
 * (infra/bundling.mjs `JOURNEYS_FOLDER`) in the function's code root, `/var/task` for zip functions.
 */
export const BUNDLED_JOURNEYS_DIR = '/var/task/journeys';

/** Repository root, where package-lock.json and functions/ live. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Every DynamoDB action a function can be granted, by name. No Scan, no stream or admin actions. */
export const TableAction = {
  GET_ITEM: 'dynamodb:GetItem',
  BATCH_GET_ITEM: 'dynamodb:BatchGetItem',
  QUERY: 'dynamodb:Query',
  CONDITION_CHECK_ITEM: 'dynamodb:ConditionCheckItem',
  PUT_ITEM: 'dynamodb:PutItem',
  UPDATE_ITEM: 'dynamodb:UpdateItem',
  DELETE_ITEM: 'dynamodb:DeleteItem',
  BATCH_WRITE_ITEM: 'dynamodb:BatchWriteItem',
} as const;

/** One DynamoDB action. */
export type TableAction = (typeof TableAction)[keyof typeof TableAction];

/** DynamoDB actions per access kind (on the table and, for reads, its named indexes). */
export const TableAccess = {
  READ: [
    TableAction.GET_ITEM,
    TableAction.BATCH_GET_ITEM,
    TableAction.QUERY,
    TableAction.CONDITION_CHECK_ITEM,
  ],
  WRITE: [
    TableAction.PUT_ITEM,
    TableAction.UPDATE_ITEM,
    TableAction.DELETE_ITEM,
    TableAction.BATCH_WRITE_ITEM,
    TableAction.CONDITION_CHECK_ITEM,
  ],
  /** Targeted changes to existing items (push token removal, opt-out), as single writes or in transactions. */
  UPDATE: [
    TableAction.GET_ITEM,
    TableAction.UPDATE_ITEM,
    TableAction.DELETE_ITEM,
    TableAction.CONDITION_CHECK_ITEM,
  ],
} as const satisfies Record<string, readonly TableAction[]>;

/**
 * Exactly the calls a function makes on one table, for functions whose every call is known (the
 * public webhooks): these actions on the table's items, and `dynamodb:Query` on the named indexes.
 */
export interface TableGrant {
  /** Actions on the table itself. */
  readonly actions: readonly TableAction[];
  /** Indexes the function queries (each must be in the table's definition); none by default. */
  readonly queriedIndexes?: readonly string[];
}

/** A table with the definition it was built from (for its index names). */
export interface TableRef {
  readonly table: dynamodb.ITable;
  readonly definition: TableDefinition;
}

/** A kind of table access, or both read and write. */
export type TableAccessKind = keyof typeof TableAccess | 'READ_WRITE';

/** Props of a Switchboard function. */
export interface SwitchboardFunctionProps {
  readonly handler: HandlerName;
  readonly description: string;
  readonly config: SwitchboardConfig;
  /** How long one invocation may run; for queue consumers, the definition's consumer timeout. */
  readonly timeout: Duration;
  readonly memorySize?: number;
  /** Write the repository's template set beside the bundle as templates.json (for functions that render templates). */
  readonly withTemplates?: boolean;
  /** Copy the repository's journey documents beside the bundle and point `JOURNEYS_DIR` at them. */
  readonly withJourneys?: boolean;
  /** Instances reserved for (and the most allowed to) this function; unset, it shares the account's pool. */
  readonly reservedConcurrency?: number;
}

/** A Lambda function with the house defaults: Node.js 24, ARM64, minified bundle with source maps, X-Ray, own log group. */
export class SwitchboardFunction extends Construct {
  /** Which handler of functions/handlers/ the function runs. */
  readonly handler: HandlerName;
  /** Whether the template set travels beside the bundle. */
  readonly withTemplates: boolean;
  /** Whether the journey documents travel beside the bundle. */
  readonly withJourneys: boolean;
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SwitchboardFunctionProps) {
    super(scope, id);
    const { config } = props;
    this.handler = props.handler;
    this.withTemplates = props.withTemplates ?? false;
    this.withJourneys = props.withJourneys ?? false;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      // Logs are operational, not customer records, but on a protected stage nothing is deleted by accident.
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // Our own role instead of AWSLambdaBasicExecutionRole: that managed policy lets the function
    // create log groups and write to any of them; this one writes to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Switchboard ${config.stage} ${props.handler}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      code: functionCode(scope, props),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...(config.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        [DeployEnv.STAGE]: config.stage,
        ...(this.withJourneys ? { [JourneyEnv.JOURNEYS_DIR]: BUNDLED_JOURNEYS_DIR } : {}),
      },
    });
  }

  /** Sets a plain configuration value (never a secret: use bindSecret). */
  setEnvironment(name: string, value: string | undefined): this {
    if (value !== undefined) this.function.addEnvironment(name, value);
    return this;
  }

  /**
   * Grants access to a table and sets `envName` to the table name: one kind of access, whose reads
   * also reach the table's named indexes (from its definition), or an exact {@link TableGrant}.
   * Never `index/*`.
   */
  bindTable(ref: TableRef, envName: string, access: TableAccessKind | TableGrant): this {
    const indexArn = (name: string) => `${ref.table.tableArn}/index/${name}`;
    if (typeof access === 'object') {
      const known = new Set(ref.definition.globalSecondaryIndexes.map((index) => index.indexName));
      const unknown = (access.queriedIndexes ?? []).filter((name) => !known.has(name));
      if (unknown.length > 0) {
        throw new Error(`${this.node.path}: table ${ref.definition.key} has no index ${unknown.join(', ')}`);
      }
      if (access.actions.length > 0) {
        iam.Grant.addToPrincipal({
          grantee: this.function,
          actions: [...new Set(access.actions)],
          resourceArns: [ref.table.tableArn],
        });
      }
      if (access.queriedIndexes?.length) {
        iam.Grant.addToPrincipal({
          grantee: this.function,
          actions: [TableAction.QUERY],
          resourceArns: access.queriedIndexes.map(indexArn),
        });
      }
    } else {
      const actions =
        access === 'READ_WRITE'
          ? [...new Set([...TableAccess.READ, ...TableAccess.WRITE])]
          : [...TableAccess[access]];
      const indexArns =
        access === 'READ' || access === 'READ_WRITE'
          ? ref.definition.globalSecondaryIndexes.map((index) => indexArn(index.indexName))
          : [];
      iam.Grant.addToPrincipal({
        grantee: this.function,
        actions,
        resourceArns: [ref.table.tableArn, ...indexArns],
      });
    }
    this.function.addEnvironment(envName, ref.table.tableName);
    return this;
  }

  /** Grants sqs:SendMessage on a queue and sets `envName` to its URL. */
  bindQueueSend(queue: sqs.IQueue, envName: string): this {
    queue.grantSendMessages(this.function);
    this.function.addEnvironment(envName, queue.queueUrl);
    return this;
  }

  /**
   * Grants sns:Publish on a topic, and on its key the two actions publishing to an encrypted topic
   * needs (kms:GenerateDataKey, kms:Decrypt), and sets `envName` to the topic ARN.
   */
  bindTopicPublish(topic: sns.ITopic, key: kms.IKey | undefined, envName: string): this {
    iam.Grant.addToPrincipal({
      grantee: this.function,
      actions: ['sns:Publish'],
      resourceArns: [topic.topicArn],
    });
    key?.grant(this.function, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.function.addEnvironment(envName, topic.topicArn);
    return this;
  }

  /** Grants reading one secret and sets `envName` to its ARN (the value is fetched at run time). */
  bindSecret(secret: secretsmanager.ISecret, envName: string): this {
    secret.grantRead(this.function);
    this.function.addEnvironment(envName, secret.secretArn);
    return this;
  }

  /** Consumes a queue: partial batch failures, batch size from the definition, bounded concurrency. */
  consume(source: QueueWithDlq, maxConcurrency: number): this {
    if (source.definition.consumerTimeoutSeconds < this.function.timeout!.toSeconds()) {
      throw new Error(
        `${this.node.path}: timeout exceeds the ${source.definition.key} queue's consumerTimeoutSeconds`,
      );
    }
    this.function.addEventSource(
      new SqsEventSource(source.queue, {
        batchSize: source.definition.batchSize,
        maxConcurrency,
        reportBatchItemFailures: true,
        ...(source.definition.batchingWindowSeconds === undefined
          ? {}
          : { maxBatchingWindow: Duration.seconds(source.definition.batchingWindowSeconds) }),
      }),
    );
    return this;
  }
}

/** Seconds as a Duration (shorthand for definitions that store seconds). */
export const seconds = (value: number): Duration => Duration.seconds(value);

/**
 * The function's code: bundled by infra/bundling.mjs (the same build the cold-start benchmark
 * measures) with the machine's Node and esbuild, so `cdk synth` needs no Docker. When this stack is
 * not bundled (tests, `cdk deploy <other stack>`), CDK skips bundling and a fixed hash spares it
 * fingerprinting the sources.
 */
function functionCode(scope: Construct, props: SwitchboardFunctionProps): lambda.Code {
  const script = path.join(PROJECT_ROOT, 'infra', 'bundling.mjs');
  const args = [
    props.handler,
    ...(props.withTemplates ? ['--templates'] : []),
    ...(props.withJourneys ? ['--journeys'] : []),
  ];
  const bundled = Stack.of(scope).bundlingRequired;
  return lambda.Code.fromAsset(path.join(PROJECT_ROOT, 'functions'), {
    ...(bundled
      ? { assetHashType: AssetHashType.OUTPUT }
      : { assetHashType: AssetHashType.CUSTOM, assetHash: `not-bundled-${props.handler}` }),
    bundling: {
      // Required by the API; never pulled, since local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
      // Also what tells the functions apart: CDK caches bundling by source path and these options
      // (not by the local bundler below), so each function's options must differ.
      command: ['node', 'infra/bundling.mjs', ...args],
      local: {
        tryBundle(outputDir: string): boolean {
          const [handler, ...flags] = args;
          execFileSync(process.execPath, [script, handler ?? '', outputDir, ...flags], { stdio: 'inherit' });
          return true;
        },
      },
    },
  });
}
