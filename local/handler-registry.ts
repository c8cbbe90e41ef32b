/**
 * Which Lambda handler runs where in the local runtime: the fixed handler files (see the team's
 * conventions), the queue or routes each one serves, and how the runtime builds it.
 *
 * `build` is the seam with the handler modules: most take their configuration from the
 * environment the runtime sets (`module.handler`); the channel senders and the webhooks need the
 * sandbox injected, so their factories are called with it. When a factory's real parameters are
 * known at merge, adjust the `build` of that entry only.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SandboxCredentials } from '../functions/adapters/sandbox-credentials';
import type { Channel } from '../functions/contract';
import type { ChannelSender } from '../functions/domain/ports';
import type { QueueKey } from '../infra/resources';
import type { SqsHandler } from './event-source';
import type { HttpHandler } from './http-server';
import type { LocalScheduler } from './local-scheduler';

/** What the runtime offers a handler factory. */
export interface LocalHandlerDeps {
  readonly senders: Readonly<Record<Channel, ChannelSender>>;
  readonly sandboxCredentials: SandboxCredentials;
  /** The public base URL of the local HTTP API (webhook signatures are computed over it). */
  readonly httpUrl: string;
  readonly sqs: SQSClient;
  readonly scheduler: LocalScheduler;
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

/** One handler registration. */
export type HandlerRegistration = SqsRegistration | HttpRegistration;

/** Why a handler module cannot be used. */
export class HandlerModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerModuleError';
  }
}

function exported<T>(module: HandlerModule, name: string, file: string): T {
  const value = module[name];
  if (typeof value !== 'function') {
    throw new HandlerModuleError(`functions/handlers/${file}.ts does not export a function named ${name}`);
  }
  return value as T;
}

/** The module's Lambda entry, configured from the environment. */
const lambdaEntry =
  <T>(file: string) =>
  (module: HandlerModule): T =>
    exported<T>(module, 'handler', file);

/** A channel consumer built by its factory with the sandbox sender for its channel. */
function channelConsumer(file: string, factory: string, channel: Channel, queue: QueueKey): SqsRegistration {
  return {
    kind: 'sqs',
    file,
    queue,
    build: (module, deps) =>
      exported<(deps: { sender: ChannelSender }) => SqsHandler>(
        module,
        factory,
        file,
      )({ sender: deps.senders[channel] }),
  };
}

/** Every handler the local runtime knows, in start order. */
export const handlerRegistry: readonly HandlerRegistration[] = [
  {
    kind: 'sqs',
    file: 'route-messages',
    queue: 'outbound',
    build: lambdaEntry<SqsHandler>('route-messages'),
  },
  channelConsumer('send-sms', 'createSendSmsHandler', 'sms', 'sms'),
  channelConsumer('send-whatsapp', 'createSendWhatsAppHandler', 'whatsapp', 'whatsapp'),
  channelConsumer('send-email', 'createSendEmailHandler', 'email', 'email'),
  channelConsumer('send-push', 'createSendPushHandler', 'push', 'push'),
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
    build: lambdaEntry<HttpHandler>('api'),
  },
  {
    kind: 'http',
    file: 'twilio-webhook',
    routes: ['POST /webhooks/twilio/status', 'POST /webhooks/twilio/inbound'],
    build: (module, deps) =>
      exported<(deps: { authToken: string; publicUrl: string }) => HttpHandler>(
        module,
        'createTwilioWebhookHandler',
        'twilio-webhook',
      )({ authToken: deps.sandboxCredentials.twilioAuthToken, publicUrl: deps.httpUrl }),
  },
  {
    kind: 'http',
    file: 'sendgrid-webhook',
    routes: ['POST /webhooks/sendgrid/events', 'POST /webhooks/sendgrid/inbound'],
    build: (module, deps) =>
      exported<(deps: { publicKey: string; publicUrl: string }) => HttpHandler>(
        module,
        'createSendGridWebhookHandler',
        'sendgrid-webhook',
      )({ publicKey: deps.sandboxCredentials.sendgridPublicKey, publicUrl: deps.httpUrl }),
  },
];
