/**
 * The local runtime behind `npm start`: emulators, the sandbox providers, every Lambda handler
 * in-process (SQS consumers behind the local event source, HTTP handlers behind the local HTTP
 * API), the console, and `.switchboard/local.json` so that other local tools can find it all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AddressPepperEnv, Env } from '../functions/config';
import type { Channel } from '../functions/contract';
import { JourneyEnv, timeScaleFromEnv } from '../functions/journeys-config';
import { LOCAL_INBOUND_PARSE_TOKEN } from '../functions/wiring/webhook-ports';
import { queueDefinition } from '../infra/resources';
import { localAddressPepper } from './address-pepper';
import { startConsole } from './console-server';
import {
  type Emulators,
  LOCAL_CREDENTIALS,
  type LocalEndpoints,
  type LocalResources,
  localClientConfig,
  startEmulators,
} from './emulators';
import { type EventSource, type SqsHandler, startEventSource } from './event-source';
import {
  type HandlerModule,
  type HandlerRegistration,
  handlerRegistry,
  type LocalHandlerDeps,
} from './handler-registry';
import { type HttpHandler, type LocalHttpServer, startHttpServer } from './http-server';
import { localInboundParseSecret } from './inbound-secret';
import { ingestCorsPolicy } from './ingest-cors';
import { channelsWithRealCredentials } from './real-providers';
import { createSandbox, type Sandbox, type SandboxOptions } from './sandbox/index';
import { type StreamHandler, type StreamSource, startStreamSource } from './stream-source';

/** `.switchboard/local.json`: the keys listed under "Public surface" in DESIGN.md, and `timeScale`. */
export interface LocalJson {
  readonly region: string;
  readonly sqsEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly queues: Emulators['queues'];
  readonly tables: Emulators['tables'];
  readonly eventsTopicArn: string;
  readonly httpUrl: string;
  readonly consoleUrl: string;
  /**
   * Journey seconds per real second for journey waits and timeouts (SWITCHBOARD_TIME_SCALE); 1 is
   * real time. Absent in files written before journeys: read it as 1.
   */
  readonly timeScale?: number;
  readonly sandbox: {
    readonly twilioAuthToken: string;
    readonly sendgridPublicKey: string;
    readonly sendgridPrivateKey: string;
  };
}

/** Options for {@link startLocalRuntime}. */
export interface LocalRuntimeOptions {
  /** The repository root; `.switchboard/` goes there. Defaults to the folder above local/. */
  readonly rootDir?: string;
  /** Keep DynamoDB data in `.switchboard/data` between runs. */
  readonly persist?: boolean;
  /** HTTP port; 0 or unset picks a free one. */
  readonly port?: number;
  /** Where handler modules are looked for; functions/handlers unless set (tests use their own). */
  readonly handlersDir?: string;
  /** Handler registrations; the fixed list unless set. */
  readonly registry?: readonly HandlerRegistration[];
  /** Lower each queue's concurrency locally (never above its definition's maxConcurrency). */
  readonly maxConcurrency?: number;
  /** Long-poll wait of the local event sources; 20 s like Lambda unless set. */
  readonly waitTimeSeconds?: number;
  readonly sandbox?: Omit<SandboxOptions, 'webhookBaseUrl'>;
  /** Use these running emulators and resources instead of starting new ones (tests). */
  readonly emulators?: LocalEndpoints & LocalResources;
  /** Channels to send through real providers; by default those with credentials in the environment. */
  readonly realChannels?: ReadonlySet<Channel>;
  /** Where one-line notices go (skipped handlers, failed batches). */
  readonly log?: (line: string) => void;
  /**
   * Journey seconds per real second (≥ 1) for journey waits and timeouts; SWITCHBOARD_TIME_SCALE
   * (default 1) unless set. Given here, it applies to this runtime's handlers only.
   */
  readonly timeScale?: number;
}

/** A running local runtime. */
export interface LocalRuntime {
  readonly localJson: LocalJson;
  /** Path of the local.json written. */
  readonly localJsonPath: string;
  readonly emulators: Emulators;
  readonly http: LocalHttpServer;
  readonly sandbox: Sandbox;
  /** Handler files that were loaded (every one in the registry). */
  readonly handlers: { readonly loaded: readonly string[] };
  /** Stops everything: event sources (in-flight batches finish), callbacks, HTTP, emulators. */
  stop(): Promise<void>;
}

/** Starts everything; on failure, stops what had started and rethrows. */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const rootDir = resolve(options.rootDir ?? join(__dirname, '..'));
  const log = options.log ?? ((line: string) => console.log(line));
  const stack: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stack.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        log(`stopping: ${String(error)}`);
      }
    }
  };
  try {
    let emulators: Emulators;
    if (options.emulators) {
      // Already running (tests share one set): use them, and leave stopping them to their owner.
      emulators = { ...options.emulators, pids: { dynamodb: -1, fauxqs: -1 }, stop: async () => {} };
    } else {
      emulators = await startEmulators(
        options.persist ? { dynamodbDataDir: join(rootDir, '.switchboard', 'data') } : {},
      );
      stack.push(() => emulators.stop());
    }
    setHandlerEnvironment(emulators);
    process.env[AddressPepperEnv.LOCAL_PEPPER] = localAddressPepper(
      options.persist && !options.emulators ? join(rootDir, '.switchboard', 'address-pepper') : undefined,
    );

    const http = await startHttpServer({
      ...(options.port ? { port: options.port } : {}),
      region: emulators.region,
      log: { error: (message, error) => log(`${message}: ${errorText(error)}`) },
      cors: ingestCorsPolicy(),
    });
    stack.push(() => http.stop());

    const sandbox = createSandbox({ ...options.sandbox, webhookBaseUrl: http.url });
    stack.push(() => sandbox.stop());

    const sqs = new SQSClient(localClientConfig(emulators, emulators.sqsEndpoint));
    const dynamodb = new DynamoDBClient(localClientConfig(emulators, emulators.dynamodbEndpoint));
    const streams = new DynamoDBStreamsClient(localClientConfig(emulators, emulators.dynamodbEndpoint));
    stack.push(() => {
      sqs.destroy();
      dynamodb.destroy();
      streams.destroy();
    });
    const inboundParseSecret = localInboundParseSecret(sandbox.credentials.twilioAuthToken);
    setWebhookEnvironment(http.url, inboundParseSecret);

    const deps: LocalHandlerDeps = {
      senders: sandbox.senders,
      realChannels: options.realChannels ?? channelsWithRealCredentials(),
      sandboxCredentials: sandbox.credentials,
      inboundParseSecret,
      httpUrl: http.url,
      sqs,
      dynamodb,
    };
    const handlersDir = options.handlersDir ?? join(rootDir, 'functions', 'handlers');
    // The journey handlers read the scale when they are built (below): set it for them only.
    const scaleBefore = process.env[JourneyEnv.TIME_SCALE];
    if (options.timeScale !== undefined) process.env[JourneyEnv.TIME_SCALE] = String(options.timeScale);
    let timeScale: number;
    const loaded: string[] = [];
    try {
      // Checked before anything is built, so a bad value stops the start with the variable's name.
      timeScale = timeScaleFromEnv();
      const sources: (EventSource | StreamSource)[] = [];
      stack.push(() => Promise.all(sources.map((source) => source.stop())).then(() => undefined));
      const context = { handlersDir, deps, emulators, sqs, streams, http, options, log };
      loaded.push(...(await startHandlers(options.registry ?? handlerRegistry, context, sources)));
    } finally {
      restoreEnv(JourneyEnv.TIME_SCALE, scaleBefore);
    }

    const consoleUrl = `${http.url}/console/`;
    const localJson: LocalJson = {
      region: emulators.region,
      sqsEndpoint: emulators.sqsEndpoint,
      dynamodbEndpoint: emulators.dynamodbEndpoint,
      queues: emulators.queues,
      tables: emulators.tables,
      eventsTopicArn: emulators.eventsTopicArn,
      httpUrl: http.url,
      consoleUrl,
      timeScale,
      sandbox: {
        twilioAuthToken: sandbox.credentials.twilioAuthToken,
        sendgridPublicKey: sandbox.credentials.sendgridPublicKey,
        sendgridPrivateKey: sandbox.credentials.sendgridPrivateKey,
      },
    };
    const consoleServer = startConsole({
      http,
      sqs,
      customers: { dynamodb, tableName: emulators.tables.customers },
      messages: { dynamodb, tableName: emulators.tables.messages },
      outbox: sandbox.outbox,
      queues: emulators.queues,
      handlers: { loaded },
    });
    stack.push(() => consoleServer.stop());

    const localJsonPath = join(rootDir, '.switchboard', 'local.json');
    mkdirSync(join(rootDir, '.switchboard'), { recursive: true });
    writeFileSync(localJsonPath, `${JSON.stringify(localJson, null, 2)}\n`, { mode: 0o600 });

    let stopping: Promise<void> | undefined;
    return {
      localJson,
      localJsonPath,
      emulators,
      http,
      sandbox,
      handlers: { loaded },
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The environment the handler modules read at import: table, queue and topic names
 * (functions/config.ts) and the SDK's own endpoint variables, so they reach the emulators.
 */
function setHandlerEnvironment(emulators: Emulators): void {
  const env: Record<string, string> = {
    [Env.CUSTOMERS_TABLE]: emulators.tables.customers,
    [Env.MESSAGES_TABLE]: emulators.tables.messages,
    [Env.OUTBOUND_QUEUE_URL]: emulators.queues.outbound,
    [Env.SMS_QUEUE_URL]: emulators.queues.sms,
    [Env.WHATSAPP_QUEUE_URL]: emulators.queues.whatsapp,
    [Env.EMAIL_QUEUE_URL]: emulators.queues.email,
    [Env.PUSH_QUEUE_URL]: emulators.queues.push,
    [Env.EVENTS_TOPIC_ARN]: emulators.eventsTopicArn,
    [Env.RECEIPTS_QUEUE_URL]: emulators.queues.receipts,
    [JourneyEnv.TIMERS_QUEUE_URL]: emulators.queues.journeyTimers,
    [Env.OUTBOUND_QUEUE_ARN]: emulators.queueArns.outbound,
    AWS_REGION: emulators.region,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
    AWS_ENDPOINT_URL_SNS: emulators.snsEndpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
  // Local keys must not be paired with a developer's real session token or profile.
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, env);
}

/**
 * The webhook settings in the environment, for any code reading them there (the registry passes the
 * signing keys to the factories itself): the local URL as the public base URL, and the run's
 * Inbound Parse secret. Provider credentials are left as the developer set them.
 */
function setWebhookEnvironment(httpUrl: string, inboundParseSecret: string): void {
  Object.assign(process.env, {
    [Env.PUBLIC_BASE_URL]: httpUrl,
    [LOCAL_INBOUND_PARSE_TOKEN]: inboundParseSecret,
  });
}

/** What {@link startHandlers} starts the handlers on. */
interface HandlerContext {
  readonly handlersDir: string;
  readonly deps: LocalHandlerDeps;
  readonly emulators: Emulators;
  readonly sqs: SQSClient;
  readonly streams: DynamoDBStreamsClient;
  readonly http: LocalHttpServer;
  readonly options: LocalRuntimeOptions;
  readonly log: (line: string) => void;
}

/**
 * Loads every registered handler and starts its event source, stream source or routes (each
 * source pushed on `sources` as it starts, so a failed start stops what had started); returns
 * the handler files loaded.
 */
async function startHandlers(
  registry: readonly HandlerRegistration[],
  { handlersDir, deps, emulators, sqs, streams, http, options, log }: HandlerContext,
  sources: (EventSource | StreamSource)[],
): Promise<string[]> {
  const loaded: string[] = [];
  for (const registration of registry) {
    // Every handler exists: a missing file, a failed load or a missing factory is a bug, and fails
    // the start loudly rather than running half a system.
    const module = (await import(join(handlersDir, `${registration.file}.ts`))) as HandlerModule;
    const built = registration.build(module, deps);
    if (registration.kind === 'sqs') {
      const definition = queueDefinition(registration.queue);
      sources.push(
        startEventSource({
          sqs,
          queueUrl: emulators.queues[registration.queue],
          queueArn: emulators.queueArns[registration.queue],
          definition,
          handler: built as SqsHandler,
          functionName: registration.file,
          region: emulators.region,
          ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
          ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
          log: {
            batch: (outcome) => {
              if (outcome.failed > 0) {
                const why = outcome.error
                  ? `: ${errorText(outcome.error)}`
                  : ' (reported batch item failures)';
                log(
                  `${outcome.queue}: ${outcome.failed} of ${outcome.received} records left for retry${why}`,
                );
              }
            },
            error: (message, error) => log(`${message}: ${errorText(error)}`),
          },
        }),
      );
    } else if (registration.kind === 'stream') {
      for (const table of registration.tables) {
        const filterPatterns = registration.filterPatterns?.(table);
        sources.push(
          await startStreamSource({
            streams,
            tableName: emulators.tables[table],
            handler: built as StreamHandler,
            functionName: registration.file,
            ...(filterPatterns ? { filterPatterns } : {}),
            region: emulators.region,
            batchSize: registration.source.batchSize,
            maxRetryAttempts: registration.source.maxRetryAttempts,
            timeoutSeconds: registration.source.timeoutSeconds,
            log: (message, error) => log(error === undefined ? message : `${message}: ${errorText(error)}`),
            // Lambda's on-failure destination: locally, a loud line (the change is still in the table).
            onFailure: (failure) =>
              log(
                `${registration.file}: gave up on stream record ${failure.firstSequenceNumber} of ${table}: ${errorText(failure.error)}`,
              ),
          }),
        );
      }
    } else {
      const handler = built as HttpHandler;
      for (const key of registration.routes) {
        const [method, path] = key.split(' ') as [string, string];
        http.addRoute({ method, path, handler, functionName: registration.file });
      }
    }
    loaded.push(registration.file);
  }
  return loaded;
}

/** Puts an environment variable back as it was (unset when it was). */
function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
