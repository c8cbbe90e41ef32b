/**
 * The push channel: each device of the message goes to its push service (FCM for mobile tokens,
 * Web Push for browser subscriptions), and the outcomes are summed up into one receipt or error.
 */
import type { ChannelMessage } from '../../contract';
import type { ChannelSender, SendReceipt } from '../../domain/ports';
import { type DeviceOutcome, summarisePushOutcomes } from '../../domain/push-delivery';
import { pushDeviceKey } from '../../domain/push-devices';
import type { FcmDevice, PushDeviceSender } from './fcm-sender';
import type { WebPushDevice } from './web-push-sender';

/** The device senders per kind; a kind left out cannot be reached. */
export interface PushSenderDeps {
  readonly fcm?: PushDeviceSender<FcmDevice>;
  readonly webPush?: PushDeviceSender<WebPushDevice>;
}

/** Creates the push channel sender. */
export function createPushSender(deps: PushSenderDeps): ChannelSender {
  return {
    channel: 'push',
    // The provider of the receipt is the one that accepted first; this names the channel's default.
    provider: deps.fcm ? 'fcm' : 'webpush',
    async send(message: ChannelMessage): Promise<SendReceipt> {
      if (message.channel !== 'push') throw new TypeError(`The push sender got a ${message.channel} message`);
      if (!message.content.title && !message.content.text) {
        // Same shape as the other senders: no content for this channel, fall back.
        return summarisePushOutcomes(
          message.to.map((device) => ({
            device: pushDeviceKey(device),
            provider: device.kind,
            result: 'failed',
            code: 'missing_content',
          })),
        );
      }
      const outcomes = await Promise.all(
        message.to.map(async (device): Promise<DeviceOutcome> => {
          if (device.kind === 'fcm' && deps.fcm) return deps.fcm.sendToDevice(device, message);
          if (device.kind === 'webpush' && deps.webPush) return deps.webPush.sendToDevice(device, message);
          return {
            device: pushDeviceKey(device),
            provider: device.kind,
            result: 'failed',
            code: `${device.kind}_not_configured`,
          };
        }),
      );
      return summarisePushOutcomes(outcomes);
    },
  };
}
