/**
 * The emulator harness: real DynamoDB Local and fauxqs (SQS + SNS) on 127.0.0.1, each in a child
 * process on a free port, with Switchboard's tables, queues and topic created from the shared
 * definitions in infra/resources.ts. Used by the test suite's global set-up and by `npm start`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  deadLetterQueueName,
  eventsTopic,
  type QueueKey,
  queues,
  type TableDefinition,
  tables,
  visibilityTimeoutSeconds,
} from '../infra/resources';

/** Where the local services answer, and what to call the resources there. */
export interface LocalEndpoints {
  readonly region: string;
  readonly dynamodbEndpoint: string;
  /** fauxqs serves SQS and SNS on one endpoint. */
  readonly sqsEndpoint: string;
  readonly snsEndpoint: string;
}

/** The URLs and ARNs of one set of Switchboard resources on the emulators. */
export interface LocalResources {
  /** Queue URLs by key: `outbound`, `sms`, … and each DLQ as `<key>Dlq`. */
  readonly queues: Record<QueueKey | `${QueueKey}Dlq`, string>;
  /** Queue ARNs, keyed like `queues`. */
  readonly queueArns: Record<QueueKey | `${QueueKey}Dlq`, string>;
  /** Table names by key. */
  readonly tables: Record<TableDefinition['key'], string>;
  readonly eventsTopicArn: string;
}

/** Running emulators with Switchboard's resources created on them. */
export interface Emulators extends LocalEndpoints, LocalResources {
  /** Process ids, for whoever wants to check they are gone. */
  readonly pids: { readonly dynamodb: number; readonly fauxqs: number };
  /** Stops both emulators by process id and waits until they have exited. */
  stop(): Promise<void>;
}

/** Why the harness could not start. */
export class EmulatorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmulatorError';
  }
}

/** Options for {@link startEmulators}. */
export interface StartEmulatorsOptions {
  readonly region?: string;
  /** Keep DynamoDB data in this folder between runs instead of in memory. */
  readonly dynamodbDataDir?: string;
  /** How long each emulator may take to answer. */
  readonly startTimeoutMs?: number;
}

/** Credentials the emulators accept; they check none. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

const MIN_JAVA_MAJOR = 17;
const JAVA_MISSING =
  'DynamoDB Local needs Java 17+: install a JRE (for example `apt-get install openjdk-17-jre-headless` ' +
  'or `brew install openjdk@17`) and make sure `java` is on the PATH.';

/** Starts DynamoDB Local and fauxqs, waits until both answer, and creates every resource. */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<Emulators> {
  const region = options.region ?? 'us-east-1';
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const [dynamodb, fauxqs] = await Promise.all([
    startDynamoDbLocal(timeoutMs, options.dynamodbDataDir),
    startFauxqs(region, timeoutMs),
  ]).catch(async (error: unknown) => {
    stopAllChildren();
    throw error;
  });
  const endpoints: LocalEndpoints = {
    region,
    dynamodbEndpoint: dynamodb.endpoint,
    sqsEndpoint: fauxqs.endpoint,
    snsEndpoint: fauxqs.endpoint,
  };
  const stop = async () => {
    await Promise.all([stopProcess(dynamodb.child), stopProcess(fauxqs.child)]);
  };
  try {
    const resources = await createResources(endpoints);
    return {
      ...endpoints,
      ...resources,
      pids: { dynamodb: dynamodb.child.pid ?? -1, fauxqs: fauxqs.child.pid ?? -1 },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Options for {@link createResources}. */
export interface CreateResourcesOptions {
  /**
   * Appended to every name, so that test files can each have their own tables and queues on the
   * shared emulators. Empty for the standard names.
   */
  readonly suffix?: string;
}

/**
 * Creates the tables, queues (each with its DLQ and redrive policy) and the events topic from the
 * shared definitions. Safe to call again: existing tables are left as they are.
 */
export async function createResources(
  endpoints: LocalEndpoints,
  options: CreateResourcesOptions = {},
): Promise<LocalResources> {
  const suffix = options.suffix ?? '';
  const dynamodb = new DynamoDBClient(localClientConfig(endpoints, endpoints.dynamodbEndpoint));
  const sqs = new SQSClient(localClientConfig(endpoints, endpoints.sqsEndpoint));
  const sns = new SNSClient(localClientConfig(endpoints, endpoints.snsEndpoint));
  try {
    const existing = new Set((await dynamodb.send(new ListTablesCommand({}))).TableNames ?? []);
    const tableNames = {} as Record<TableDefinition['key'], string>;
    for (const table of tables) {
      const name = `${table.localName}${suffix}`;
      tableNames[table.key] = name;
      if (existing.has(name)) {
        await enableStream(dynamodb, table, name);
        continue;
      }
      await dynamodb.send(new CreateTableCommand(createTableInput(table, name)));
      if (table.timeToLiveAttribute) {
        await dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLiveAttribute },
          }),
        );
      }
    }

    const queueUrls = {} as Record<QueueKey | `${QueueKey}Dlq`, string>;
    const queueArns = {} as Record<QueueKey | `${QueueKey}Dlq`, string>;
    for (const queue of queues) {
      const dlq = await sqs.send(
        new CreateQueueCommand({
          QueueName: `${deadLetterQueueName(queue)}${suffix}`,
          Attributes: { MessageRetentionPeriod: String(queue.retentionSeconds) },
        }),
      );
      const dlqUrl = required(dlq.QueueUrl, 'QueueUrl of a new DLQ');
      const dlqArn = await queueArn(sqs, dlqUrl);
      const main = await sqs.send(
        new CreateQueueCommand({
          QueueName: `${queue.localName}${suffix}`,
          Attributes: {
            VisibilityTimeout: String(visibilityTimeoutSeconds(queue)),
            MessageRetentionPeriod: String(queue.retentionSeconds),
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: dlqArn,
              maxReceiveCount: queue.maxReceiveCount,
            }),
          },
        }),
      );
      const mainUrl = required(main.QueueUrl, 'QueueUrl of a new queue');
      queueUrls[queue.key] = mainUrl;
      queueUrls[`${queue.key}Dlq`] = dlqUrl;
      queueArns[queue.key] = await queueArn(sqs, mainUrl);
      queueArns[`${queue.key}Dlq`] = dlqArn;
    }

    const topic = await sns.send(new CreateTopicCommand({ Name: `${eventsTopic.localName}${suffix}` }));
    return {
      tables: tableNames,
      queues: queueUrls,
      queueArns,
      eventsTopicArn: required(topic.TopicArn, 'TopicArn of the events topic'),
    };
  } finally {
    dynamodb.destroy();
    sqs.destroy();
    sns.destroy();
  }
}

/** AWS SDK client settings that reach an emulator. */
export function localClientConfig(endpoints: Pick<LocalEndpoints, 'region'>, endpoint: string) {
  return { region: endpoints.region, endpoint, credentials: LOCAL_CREDENTIALS };
}

/** The CreateTable input for a definition: on-demand, every GSI projecting all attributes. */
export function createTableInput(table: TableDefinition, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  const keyAttributes = [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  for (const attribute of keyAttributes) {
    if (attribute) attributes.set(attribute.name, attribute.type);
  }
  const keySchema = (partition: { name: string }, sort?: { name: string }) => [
    { AttributeName: partition.name, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.globalSecondaryIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
    ...(table.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } } : {}),
  };
}

/** Turns the stream on for a table kept from an earlier run (`npm start` with persisted data). */
async function enableStream(dynamodb: DynamoDBClient, table: TableDefinition, name: string): Promise<void> {
  if (!table.stream) return;
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await dynamodb.send(
    new UpdateTableCommand({
      TableName: name,
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
    }),
  );
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return required(attributes.Attributes?.QueueArn, `QueueArn of ${queueUrl}`);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new EmulatorError(`The emulator did not return ${what}`);
  return value;
}

// --- child processes -------------------------------------------------------------------------

interface RunningChild {
  readonly child: ChildProcess;
  readonly endpoint: string;
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every emulator this process started; used when the parent exits without stopping them. */
function stopAllChildren(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone: nothing to stop.
      }
    }
  }
}

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', stopAllChildren);
  }
}

/** The DynamoDB Local folder inside the `amplify-dynamodb-simulator` package. */
export function dynamodbLocalDir(): string {
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/** Checks that a Java 17+ runtime is on the PATH, with a clear error when it is not. */
export function checkJava(env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', env });
  if (result.error || result.status !== 0) throw new EmulatorError(JAVA_MISSING, { cause: result.error });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr ?? '');
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : Number.NaN;
  if (!(major >= MIN_JAVA_MAJOR)) {
    throw new EmulatorError(`${JAVA_MISSING} Found: ${(result.stderr ?? '').split('\n')[0] ?? 'unknown'}`);
  }
}

/** Whether this Java can run a single-file source program (a JDK has the jdk.compiler module). */
function javaCanRunSource(): boolean {
  const result = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  return result.status === 0 && /^jdk\.compiler@/m.test(result.stdout);
}

async function startDynamoDbLocal(timeoutMs: number, dataDir?: string): Promise<RunningChild> {
  checkJava();
  const dir = dynamodbLocalDir();
  const storage = dataDir ? ['-dbPath', dataDir, '-sharedDb'] : ['-inMemory', '-sharedDb'];
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const launcher = join(__dirname, 'dynamodb', 'LoopbackDynamoDBLocal.java');
  if (!javaCanRunSource()) {
    throw new EmulatorError(
      'DynamoDB Local is started through a small Java launcher that binds it to 127.0.0.1, which needs a ' +
        'full JDK 17+ (with the jdk.compiler module), not only a JRE: install for example ' +
        '`openjdk-17-jdk-headless`.',
    );
  }
  // A port can be taken between our probe and Jetty's bind; try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const child = await startChild(
        'java',
        [
          `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
          '-cp',
          `${join(dir, 'DynamoDBLocal.jar')}:${join(dir, 'DynamoDBLocal_lib', '*')}`,
          launcher,
          ...storage,
          '-port',
          String(port),
          '-disableTelemetry',
        ],
        /SWITCHBOARD_DYNAMODB_LISTENING (\S+)/,
        timeoutMs,
        'DynamoDB Local',
      );
      return { child: child.child, endpoint: `http://${child.match}` };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startFauxqs(region: string, timeoutMs: number): Promise<RunningChild> {
  const script = join(__dirname, 'fauxqs-server.mjs');
  const started = await startChild(
    process.execPath,
    [script],
    /SWITCHBOARD_FAUXQS_LISTENING (\S+)/,
    timeoutMs,
    'fauxqs',
    { SWITCHBOARD_REGION: region },
  );
  return { child: started.child, endpoint: started.match };
}

function startChild(
  command: string,
  args: string[],
  ready: RegExp,
  timeoutMs: number,
  name: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; match: string }> {
  return new Promise((resolve, reject) => {
    // A scratch working directory: DynamoDB Local writes a metadata file into its current folder.
    const cwd = mkdtempSync(join(tmpdir(), 'switchboard-emulator-'));
    const child = spawn(command, args, {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    track(child);
    let output = '';
    let settled = false;
    const fail = (message: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
      reject(new EmulatorError(`${name} did not start: ${message}\n${output.slice(-2_000)}`, { cause }));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = ready.exec(output);
      if (match?.[1] && !settled) {
        settled = true;
        clearTimeout(timer);
        // Keep draining output so a chatty child never blocks on a full pipe.
        resolve({ child, match: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      if (!settled) output += chunk.toString('utf8');
    });
    child.once('error', (error) => fail(error.message, error));
    child.once('exit', (code, signal) => fail(`exited with ${signal ?? code}`));
  });
}

/** Sends SIGTERM to the process id, then SIGKILL if it has not exited within five seconds. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const killTimer = setTimeout(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(killTimer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new EmulatorError('Could not find a free port on 127.0.0.1'));
      });
    });
  });
}
