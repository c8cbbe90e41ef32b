/**
 * The push sender: consumes the push queue and sends each message to every device of the customer,
 * through FCM HTTP v1 (mobile) or Web Push (browsers); devices reported gone leave the profile.
 * Lease, send, record, fall back: domain/delivery/deliver-channel-message.ts.
 */
import { createFcmDeviceSender, fcmSettingsFromEnv } from '../adapters/push/fcm-sender';
import { createPushSender } from '../adapters/push/push-sender';
import { createWebPushDeviceSender, webPushSettingsFromEnv } from '../adapters/push/web-push-sender';
import { createProviderCredentials } from '../adapters/secrets/provider-credentials';
import type { ChannelSender } from '../domain/ports';
import { channelPortsFromEnv } from '../wiring/channel-ports';
import {
  type ChannelConsumerPorts,
  type ChannelHandler,
  createChannelConsumer,
} from './shared/channel-consumer';
import { lazyHandler } from './shared/lazy-handler';

/** The push sender (FCM and Web Push) from the environment (credentials from Secrets Manager when ARNs are set). */
export function pushSenderFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelSender {
  const credentials = createProviderCredentials({ env });
  return createPushSender({
    fcm: createFcmDeviceSender({ credentials: () => credentials.fcm(), settings: fcmSettingsFromEnv(env) }),
    webPush: createWebPushDeviceSender({
      credentials: () => credentials.webPush(),
      settings: webPushSettingsFromEnv(env),
    }),
  });
}

/** Builds the push sender's handler from its ports. */
export function createSendPushHandler(ports: ChannelConsumerPorts): ChannelHandler {
  return createChannelConsumer('push', ports);
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() => createSendPushHandler(channelPortsFromEnv(pushSenderFromEnv())));
