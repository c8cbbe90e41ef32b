/**
 * Which Lambda handler runs where in the local runtime: the fixed handler files (see the team's
 * conventions), the queue or routes each one serves, and how the runtime builds it.
 *
 * `build` is the seam with the handler modules: each calls the module's factory with the local
 * clients and the sandbox (senders, signing credentials, the local HTTP URL as the public base URL),
 * so nothing local leaks into the Lambda entries. Tables, queue URLs and the topic come from the
 * environment the runtime sets (functions/config.ts), as on AWS.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { loadJourneys } from '../functions/adapters/files/journey-files';
import { createSendGridSignatureVerifier } from '../functions/adapters/sendgrid/signature';
import { attributionConfigFromEnv } from '../functions/attribution-config';
import {
  apiConfigFromEnv,
  CredentialsEnv,
  channelConsumerConfigFromEnv,
  Env,
  routeMessagesConfigFromEnv,
} from '../functions/config';
import type { Channel } from '../functions/contract';
import type { ChannelSender } from '../functions/domain/ports';
import type { WebhookUseCases } from '../functions/domain/webhook-use-cases';
import { CLICK_ROUTE } from '../functions/handlers/click-redirect';
import { INGEST_ROUTES } from '../functions/handlers/shared/ingest-http';
import { journeysConfigFromEnv } from '../functions/journeys-config';
import { linkTrackingConfigFromEnv } from '../functions/link-tracking-config';
import { ingestConfigFromEnv, touchpointsConfigFromEnv } from '../functions/touchpoints-config';
import { apiPorts } from '../functions/wiring/api-ports';
import { channelPorts } from '../functions/wiring/channel-ports';
import { linkStoreFromEnv } from '../functions/wiring/click-ports';
import { journeyPorts } from '../functions/wiring/journey-ports';
import { ledgerStreamDependenciesFromEnv } from '../functions/wiring/ledger-stream-ports';
import { publicIngestPorts } from '../functions/wiring/public-ingest-ports';
import { bundledTemplates, routerPorts } from '../functions/wiring/router-ports';
import { touchpointPorts } from '../functions/wiring/touchpoint-ports';
import { receiptTimeoutDependenciesFromEnv, webhookUseCasesFromEnv } from '../functions/wiring/webhook-ports';
import { journeyStreamPatterns } from '../infra/journey-stream-filter';
import { ledgerStreamMessagesPatterns } from '../infra/ledger-stream-filter';
import { journeyStream, ledgerStream, type QueueKey, type TableDefinition } from '../infra/resources';
import { API_ROUTE_KEYS } from '../infra/routes';
import type { SqsHandler } from './event-source';
import type { HttpHandler } from './http-server';
import type { SandboxCredentials } from './sandbox/credentials';
import type { StreamHandler } from './stream-source';

/** What the runtime offers a handler factory. */
export interface LocalHandlerDeps {
  readonly senders: Readonly<Record<Channel, ChannelSender>>;
  /** Channels with real provider credentials: their handlers build the real sender from the environment. */
  readonly realChannels: ReadonlySet<Channel>;
  readonly sandboxCredentials: SandboxCredentials;
  /** The SendGrid Inbound Parse secret of this run (see local/inbound-secret.ts). */
  readonly inboundParseSecret: string;
  /** The public base URL of the local HTTP API (webhook signatures are computed over it). */
  readonly httpUrl: string;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
}

/** A loaded handler module: whatever it exports. */
export type HandlerModule = Record<string, unknown>;

/** A handler consuming one queue. */
export interface SqsRegistration {
  readonly kind: 'sqs';
  /** File name in functions/handlers/, without `.ts`. */
  readonly file: string;
  readonly queue: QueueKey;
  build(module: HandlerModule, deps: LocalHandlerDeps): SqsHandler;
}

/** A handler serving HTTP routes. */
export interface HttpRegistration {
  readonly kind: 'http';
  readonly file: string;
  /** Route keys, `METHOD /path`, as on the HTTP API. */
  readonly routes: readonly string[];
  build(module: HandlerModule, deps: LocalHandlerDeps): HttpHandler;
}

/** A handler reading the tables' DynamoDB streams. */
export interface StreamRegistration {
  readonly kind: 'stream';
  readonly file: string;
  /** The event source's settings (infra/resources.ts). */
  readonly source: {
    readonly batchSize: number;
    readonly maxRetryAttempts: number;
    readonly timeoutSeconds: number;
  };
  /** Tables whose streams it reads. */
  readonly tables: readonly TableDefinition['key'][];
  /** The event source mapping's filter patterns on a table, as in the stack; none: every record. */
  filterPatterns?(table: TableDefinition['key']): readonly Record<string, unknown>[] | undefined;
  build(module: HandlerModule, deps: LocalHandlerDeps): StreamHandler;
}

/** One handler registration. */
export type HandlerRegistration = SqsRegistration | HttpRegistration | StreamRegistration;

/** Why a handler module cannot be used (a placeholder without its factory, or a wrong export). */
export class HandlerModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerModuleError';
  }
}

// biome-ignore lint/suspicious/noExplicitAny: factories are typed by their own modules; checked to be functions here
type AnyFunction = (...args: any[]) => any;

function exported(module: HandlerModule, name: string, file: string): AnyFunction {
  const value = module[name];
  if (typeof value !== 'function') {
    throw new HandlerModuleError(`functions/handlers/${file}.ts does not export a function named ${name}`);
  }
  return value as AnyFunction;
}

/**
 * A channel consumer built by its factory around the sandbox sender of its channel or, when the
 * channel has real provider credentials, around the real sender built from the environment exactly
 * as the Lambda entry builds it.
 */
function channelConsumer(
  file: string,
  factory: string,
  senderFactory: string,
  channel: Channel,
  queue: QueueKey,
): SqsRegistration {
  return {
    kind: 'sqs',
    file,
    queue,
    build: (module, deps) => {
      const sender = deps.realChannels.has(channel)
        ? exported(module, senderFactory, file)()
        : deps.senders[channel];
      const config = channelConsumerConfigFromEnv();
      // Short links point at this run's HTTP server, which serves GET /c/{token}.
      const linkTracking = { ...linkTrackingConfigFromEnv(), baseUrl: deps.httpUrl };
      return exported(
        module,
        factory,
        file,
      )(channelPorts({ config, sender, dynamodb: deps.dynamodb, sqs: deps.sqs, linkTracking }));
    },
  };
}

/** Every handler the local runtime knows, in start order. */
export const handlerRegistry: readonly HandlerRegistration[] = [
  {
    kind: 'sqs',
    file: 'route-messages',
    queue: 'outbound',
    build: (module, deps) => {
      // Without EventBridge settings the router chains long delays through SQS
      // (SqsDelayChainScheduler), which is exactly what the local runtime needs.
      const config = routeMessagesConfigFromEnv();
      const templates = bundledTemplates(config);
      return exported(
        module,
        'createRouteMessagesHandler',
        'route-messages',
      )(routerPorts({ config, templates, dynamodb: deps.dynamodb, sqs: deps.sqs }));
    },
  },
  channelConsumer('send-sms', 'createSendSmsHandler', 'smsSenderFromEnv', 'sms', 'sms'),
  channelConsumer(
    'send-whatsapp',
    'createSendWhatsAppHandler',
    'whatsAppSenderFromEnv',
    'whatsapp',
    'whatsapp',
  ),
  channelConsumer('send-email', 'createSendEmailHandler', 'emailSenderFromEnv', 'email', 'email'),
  channelConsumer('send-push', 'createSendPushHandler', 'pushSenderFromEnv', 'push', 'push'),
  {
    kind: 'sqs',
    file: 'receipt-timeout',
    queue: 'receipts',
    // The messages table and the receipts and outbound queues come from the environment.
    build: (module) =>
      exported(module, 'createReceiptTimeoutHandler', 'receipt-timeout')(receiptTimeoutDependenciesFromEnv()),
  },
  {
    kind: 'stream',
    file: ledgerStream.file,
    source: ledgerStream,
    tables: ['messages', 'customers'],
    // The stack's filter (infra/ledger-stream-filter.ts): other touchpoints never invoke it.
    filterPatterns: (table) =>
      table === 'messages'
        ? ledgerStreamMessagesPatterns(attributionConfigFromEnv().conversionEvents)
        : undefined,
    // Its wiring reads the tables, the events topic and the outbound queue from the environment,
    // built per runtime (not the Lambda entry's once-per-process handler: a second runtime in the
    // same process has tables of its own).
    build: (module) =>
      exported(
        module,
        'createLedgerStreamHandler',
        ledgerStream.file,
      )(ledgerStreamDependenciesFromEnv()) as StreamHandler,
  },
  {
    kind: 'stream',
    file: journeyStream.file,
    source: journeyStream,
    tables: ['messages', 'customers'],
    // The stack's filter (infra/journey-stream-filter.ts) from the journeys this runtime runs: only
    // the changes the engine acts on reach it; none (no journey, or no consent journey) reach none.
    filterPatterns: (table) =>
      journeyStreamPatterns(table, loadJourneys(journeysConfigFromEnv().journeysDir)),
    // Engine ports per runtime, on the runtime's clients (a second runtime in one process has its own).
    build: (module, deps) => {
      const config = journeysConfigFromEnv();
      return exported(
        module,
        'createJourneyEventsHandler',
        journeyStream.file,
      )({
        tables: { messages: config.messagesTable, customers: config.customersTable },
        engine: journeyPorts(config, { dynamodb: deps.dynamodb, sqs: deps.sqs }),
      }) as StreamHandler;
    },
  },
  {
    kind: 'sqs',
    file: 'journey-timers',
    queue: 'journeyTimers',
    build: (module, deps) =>
      exported(
        module,
        'createJourneyTimersHandler',
        'journey-timers',
      )(journeyPorts(journeysConfigFromEnv(), { dynamodb: deps.dynamodb, sqs: deps.sqs })),
  },
  {
    kind: 'sqs',
    file: 'record-touchpoints',
    queue: 'touchpoints',
    // Its tables come from the environment; the local DynamoDB client is the runtime's.
    build: (module, deps) =>
      exported(
        module,
        'createRecordTouchpointsHandler',
        'record-touchpoints',
      )(touchpointPorts(touchpointsConfigFromEnv(), deps.dynamodb)),
  },
  {
    kind: 'http',
    file: 'api',
    routes: API_ROUTE_KEYS,
    build: (module, deps) => exported(module, 'createApiHandler', 'api')(apiPorts(apiConfigFromEnv(), deps)),
  },
  {
    kind: 'http',
    file: 'public-ingest',
    // A function URL of its own in AWS; here on the one local server, beside the API.
    routes: Object.keys(INGEST_ROUTES).map((path) => `POST ${path}`),
    build: (module, deps) =>
      exported(
        module,
        'createPublicIngestHandler',
        'public-ingest',
      )(publicIngestPorts(ingestConfigFromEnv(), deps.dynamodb)),
  },
  {
    kind: 'http',
    file: 'click-redirect',
    // A function URL of its own in AWS; here on the one local server.
    routes: [`GET ${CLICK_ROUTE}`, `HEAD ${CLICK_ROUTE}`],
    build: (module, deps) =>
      exported(
        module,
        'createClickRedirectHandler',
        'click-redirect',
      )({ links: linkStoreFromEnv(deps.dynamodb) }),
  },
  {
    kind: 'http',
    file: 'twilio-webhook',
    routes: ['POST /webhooks/twilio/status', 'POST /webhooks/twilio/inbound'],
    build: (module, deps) =>
      exported(
        module,
        'createTwilioWebhookHandler',
        'twilio-webhook',
      )({
        // With real Twilio credentials the callbacks come from Twilio, signed with the real token.
        authToken: async () =>
          deps.realChannels.has('sms')
            ? (process.env[CredentialsEnv.TWILIO_AUTH_TOKEN] as string)
            : deps.sandboxCredentials.twilioAuthToken,
        publicBaseUrl: deps.httpUrl,
        useCases: localWebhookUseCases(),
      }),
  },
  {
    kind: 'http',
    file: 'sendgrid-webhook',
    routes: ['POST /webhooks/sendgrid/events', 'POST /webhooks/sendgrid/inbound'],
    build: (module, deps) => {
      // With a real SendGrid key the events come from SendGrid, signed with its key.
      const realKey = deps.realChannels.has('email')
        ? process.env[Env.SENDGRID_WEBHOOK_PUBLIC_KEY]
        : undefined;
      const verify = createSendGridSignatureVerifier({
        publicKey: realKey || deps.sandboxCredentials.sendgridPublicKey,
      });
      return exported(
        module,
        'createSendGridWebhookHandler',
        'sendgrid-webhook',
      )({
        verifyEvents: verify,
        inboundParseSecret: async () => deps.inboundParseSecret,
        useCases: localWebhookUseCases(),
      });
    },
  },
];

/** The webhook use cases on the emulators (clients reach them through the SDK endpoint variables). */
function localWebhookUseCases(): WebhookUseCases {
  return webhookUseCasesFromEnv();
}
