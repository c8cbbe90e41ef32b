/**
 * The SMS sender: consumes the sms queue and sends each message through Twilio's Messages API.
 * Lease, send, record, fall back: domain/delivery/deliver-channel-message.ts.
 */
import { createProviderCredentials } from '../adapters/secrets/provider-credentials';
import { createTwilioSmsSender, twilioSmsSettingsFromEnv } from '../adapters/twilio/sms-sender';
import type { ChannelSender } from '../domain/ports';
import { channelPortsFromEnv } from '../wiring/channel-ports';
import {
  type ChannelConsumerPorts,
  type ChannelHandler,
  createChannelConsumer,
} from './shared/channel-consumer';
import { lazyHandler } from './shared/lazy-handler';

/** The Twilio SMS sender from the environment (credentials from Secrets Manager when an ARN is set). */
export function smsSenderFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelSender {
  const credentials = createProviderCredentials({ env });
  return createTwilioSmsSender({
    credentials: () => credentials.twilio(),
    settings: twilioSmsSettingsFromEnv(env),
  });
}

/** Builds the SMS sender's handler from its ports. */
export function createSendSmsHandler(ports: ChannelConsumerPorts): ChannelHandler {
  return createChannelConsumer('sms', ports);
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() => createSendSmsHandler(channelPortsFromEnv(smsSenderFromEnv())));
