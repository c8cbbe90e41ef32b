/**
 * The WhatsApp sender: consumes the whatsapp queue and sends each message through Twilio, freeform
 * inside the customer's 24-hour window, as an approved template outside it.
 * Lease, send, record, fall back: domain/delivery/deliver-channel-message.ts.
 */
import { createProviderCredentials } from '../adapters/secrets/provider-credentials';
import {
  createTwilioWhatsAppSender,
  twilioWhatsAppSettingsFromEnv,
} from '../adapters/twilio/whatsapp-sender';
import type { ChannelSender } from '../domain/ports';
import { channelPortsFromEnv } from '../wiring/channel-ports';
import {
  type ChannelConsumerPorts,
  type ChannelHandler,
  createChannelConsumer,
} from './shared/channel-consumer';
import { lazyHandler } from './shared/lazy-handler';

/** The Twilio WhatsApp sender from the environment (credentials from Secrets Manager when an ARN is set). */
export function whatsAppSenderFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelSender {
  const credentials = createProviderCredentials({ env });
  return createTwilioWhatsAppSender({
    credentials: () => credentials.twilio(),
    settings: twilioWhatsAppSettingsFromEnv(env),
  });
}

/** Builds the WhatsApp sender's handler from its ports. */
export function createSendWhatsAppHandler(ports: ChannelConsumerPorts): ChannelHandler {
  return createChannelConsumer('whatsapp', ports);
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() =>
  createSendWhatsAppHandler(channelPortsFromEnv(whatsAppSenderFromEnv())),
);
