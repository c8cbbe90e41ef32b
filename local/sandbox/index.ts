/**
 * The sandbox providers as one unit for the local runtime: credentials made once per run, one
 * outbox, one callback dispatcher, and a sender per channel.
 */

import type { Channel } from '../../functions/contract';
import type { ChannelSender } from '../../functions/domain/ports';
import { SandboxCallbacks } from './callbacks';
import { generateSandboxCredentials, type SandboxCredentials } from './credentials';
import { SandboxOutbox } from './outbox';
import { SandboxPushSender } from './push-sender';
import type { SandboxSenderOptions } from './sender-options';
import { SandboxSendGridSender } from './sendgrid-sender';
import { SandboxTwilioSender } from './twilio-sender';

/** Options for {@link createSandbox}. */
export interface SandboxOptions
  extends Partial<Pick<SandboxSenderOptions, 'firstCallbackMs' | 'callbackStepMs' | 'simulateEngagement'>> {
  /** Where the webhook routes are served (the local HTTP server's URL). */
  readonly webhookBaseUrl: string;
  readonly credentials?: SandboxCredentials;
  readonly outboxLimit?: number;
  readonly retryDelayMs?: number;
}

/** The running sandbox. */
export interface Sandbox {
  readonly credentials: SandboxCredentials;
  readonly outbox: SandboxOutbox;
  readonly callbacks: SandboxCallbacks;
  readonly senders: Readonly<Record<Channel, ChannelSender>>;
  /** Cancels callbacks not yet due and waits for those being posted. */
  stop(): Promise<void>;
}

/** Creates the sandbox providers. */
export function createSandbox(options: SandboxOptions): Sandbox {
  const credentials = options.credentials ?? generateSandboxCredentials();
  const outbox = new SandboxOutbox(options.outboxLimit);
  const callbacks = new SandboxCallbacks({
    webhookBaseUrl: options.webhookBaseUrl,
    outbox,
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
  });
  const shared: SandboxSenderOptions = {
    outbox,
    callbacks,
    credentials,
    ...(options.firstCallbackMs !== undefined ? { firstCallbackMs: options.firstCallbackMs } : {}),
    ...(options.callbackStepMs !== undefined ? { callbackStepMs: options.callbackStepMs } : {}),
    ...(options.simulateEngagement !== undefined ? { simulateEngagement: options.simulateEngagement } : {}),
  };
  return {
    credentials,
    outbox,
    callbacks,
    senders: {
      sms: new SandboxTwilioSender('sms', shared),
      whatsapp: new SandboxTwilioSender('whatsapp', shared),
      email: new SandboxSendGridSender(shared),
      push: new SandboxPushSender(shared),
    },
    stop: () => callbacks.stop(),
  };
}
