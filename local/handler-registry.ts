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
import { loadTemplateSet } from '../functions/adapters/files/template-files';
import { createSendGridSignatureVerifier } from '../functions/adapters/sendgrid/signature';
import { CredentialsEnv, Env } from '../functions/config';
import type { Channel } from '../functions/contract';
import type { ChannelSender } from '../functions/domain/ports';
import { TemplateRenderer } from '../functions/domain/templates/template-renderer';
import type { WebhookUseCases } from '../functions/domain/webhook-use-cases';
import { webhookUseCasesFromEnv } from '../functions/handlers/shared/webhook-wiring';
import { ledgerStream, type QueueKey, type TableDefinition } from '../infra/resources';
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
  /** Tables whose streams it reads. */
  readonly tables: readonly TableDefinition['key'][];
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
 * A channel consumer built by its factory: with the sandbox sender for its channel, or, when the
 * channel has real provider credentials, with no sender, so that the factory builds the real one
 * from the environment exactly as the Lambda entry does.
 */
function channelConsumer(file: string, factory: string, channel: Channel, queue: QueueKey): SqsRegistration {
  return {
    kind: 'sqs',
    file,
    queue,
    build: (module, deps) =>
      exported(
        module,
        factory,
        file,
      )({
        ...(deps.realChannels.has(channel) ? {} : { sender: deps.senders[channel] }),
        sqs: deps.sqs,
        dynamodb: deps.dynamodb,
      }),
  };
}

/** Every handler the local runtime knows, in start order. */
export const handlerRegistry: readonly HandlerRegistration[] = [
  {
    kind: 'sqs',
    file: 'route-messages',
    queue: 'outbound',
    build: (module, deps) => {
      const config = exported(module, 'routeMessagesConfigFromEnv', 'route-messages')();
      // The one scheduler seam: without EventBridge settings the router chains long delays through
      // SQS (SqsDelayChainScheduler), which is exactly what the local runtime needs.
      return exported(
        module,
        'createRouteMessagesHandler',
        'route-messages',
      )({
        config,
        dynamodb: deps.dynamodb,
        sqs: deps.sqs,
        templates: new TemplateRenderer({
          templates: loadTemplateSet(),
          defaultTimeZone: config.defaults.timeZone,
        }),
      });
    },
  },
  channelConsumer('send-sms', 'createSendSmsHandler', 'sms', 'sms'),
  channelConsumer('send-whatsapp', 'createSendWhatsAppHandler', 'whatsapp', 'whatsapp'),
  channelConsumer('send-email', 'createSendEmailHandler', 'email', 'email'),
  channelConsumer('send-push', 'createSendPushHandler', 'push', 'push'),
  {
    kind: 'sqs',
    file: 'receipt-timeout',
    queue: 'receipts',
    // Its wiring reads the messages table and the receipts and outbound queues from the environment.
    build: (module) => exported(module, 'handler', 'receipt-timeout') as SqsHandler,
  },
  {
    kind: 'stream',
    file: ledgerStream.file,
    tables: ['messages', 'customers'],
    // Its wiring reads the tables, the events topic and the outbound queue from the environment.
    build: (module) => exported(module, 'handler', ledgerStream.file) as StreamHandler,
  },
  {
    kind: 'http',
    file: 'api',
    routes: [
      'PUT /v1/customers/{customerId}',
      'GET /v1/customers/{customerId}',
      'DELETE /v1/customers/{customerId}',
      'PUT /v1/customers/{customerId}/consent',
      'GET /v1/customers/{customerId}/timeline',
      'POST /v1/messages',
    ],
    build: (module, deps) =>
      exported(
        module,
        'createApiHandler',
        'api',
      )({
        config: exported(module, 'apiConfigFromEnv', 'api')(),
        dynamodb: deps.dynamodb,
        sqs: deps.sqs,
      }),
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
