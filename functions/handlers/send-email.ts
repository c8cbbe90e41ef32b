/**
 * The email sender: consumes the email queue and sends each message through SendGrid's Mail Send API.
 * Lease, send, record, fall back: domain/delivery/deliver-channel-message.ts.
 */
import { createProviderCredentials } from '../adapters/secrets/provider-credentials';
import { createSendGridEmailSender, sendGridSettingsFromEnv } from '../adapters/sendgrid/email-sender';
import type { ChannelSender } from '../domain/ports';
import { channelPortsFromEnv } from '../wiring/channel-ports';
import {
  type ChannelConsumerPorts,
  type ChannelHandler,
  createChannelConsumer,
} from './shared/channel-consumer';
import { lazyHandler } from './shared/lazy-handler';

/** The SendGrid email sender from the environment (credentials from Secrets Manager when an ARN is set). */
export function emailSenderFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelSender {
  const credentials = createProviderCredentials({ env });
  return createSendGridEmailSender({
    credentials: () => credentials.sendgrid(),
    settings: sendGridSettingsFromEnv(env),
  });
}

/** Builds the email sender's handler from its ports. */
export function createSendEmailHandler(ports: ChannelConsumerPorts): ChannelHandler {
  return createChannelConsumer('email', ports);
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() => createSendEmailHandler(channelPortsFromEnv(emailSenderFromEnv())));
