/**
 * The WhatsApp sender: consumes the whatsapp queue and sends each message through Twilio, freeform
 * inside the customer's 24-hour window, as an approved template outside it.
 * Lease, send, record, fall back: domain/delivery/deliver-channel-message.ts.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createProviderCredentials } from '../adapters/secrets/provider-credentials';
import {
  createTwilioWhatsAppSender,
  twilioWhatsAppSettingsFromEnv,
} from '../adapters/twilio/whatsapp-sender';
import type { ChannelSender } from '../domain/ports';
import {
  type ChannelConsumerDeps,
  type ChannelHandler,
  createChannelConsumer,
} from './shared/channel-consumer';

/** The Twilio WhatsApp sender from the environment (credentials from Secrets Manager when an ARN is set). */
export function whatsAppSenderFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelSender {
  const credentials = createProviderCredentials({ env });
  return createTwilioWhatsAppSender({
    credentials: () => credentials.twilio(),
    settings: twilioWhatsAppSettingsFromEnv(env),
  });
}

/** Builds the WhatsApp sender's handler; anything left out comes from the environment. */
export function createSendWhatsAppHandler(deps: Partial<ChannelConsumerDeps> = {}): ChannelHandler {
  return createChannelConsumer('whatsapp', { ...deps, sender: deps.sender ?? whatsAppSenderFromEnv() });
}

let built: ChannelHandler | undefined;

/** The Lambda entry: built once per container from the environment, on first use. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  built ??= createSendWhatsAppHandler();
  return built(event, context);
};
