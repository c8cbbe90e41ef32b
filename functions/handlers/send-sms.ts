/**
 * The SMS sender: consumes the sms queue and sends each message through Twilio's Messages API.
 * Lease, send, record, fall back: domain/delivery/deliver-channel-message.ts.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createProviderCredentials } from '../adapters/secrets/provider-credentials';
import { createTwilioSmsSender, twilioSmsSettingsFromEnv } from '../adapters/twilio/sms-sender';
import type { ChannelSender } from '../domain/ports';
import {
  type ChannelConsumerDeps,
  type ChannelHandler,
  createChannelConsumer,
} from './shared/channel-consumer';

/** The Twilio SMS sender from the environment (credentials from Secrets Manager when an ARN is set). */
export function smsSenderFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelSender {
  const credentials = createProviderCredentials({ env });
  return createTwilioSmsSender({
    credentials: () => credentials.twilio(),
    settings: twilioSmsSettingsFromEnv(env),
  });
}

/** Builds the SMS sender's handler; anything left out comes from the environment. */
export function createSendSmsHandler(deps: Partial<ChannelConsumerDeps> = {}): ChannelHandler {
  return createChannelConsumer('sms', { ...deps, sender: deps.sender ?? smsSenderFromEnv() });
}

let built: ChannelHandler | undefined;

/** The Lambda entry: built once per container from the environment, on first use. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  built ??= createSendSmsHandler();
  return built(event, context);
};
