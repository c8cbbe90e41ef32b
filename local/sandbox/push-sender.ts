/**
 * Sandbox push: accepts sends like the FCM and Web Push adapters and keeps the notification in the
 * outbox. Push has no delivery webhook, so the send's own answer is the only status, as with FCM.
 * A device with the magic token or endpoint (./magic-addresses.ts) is reported unregistered.
 */
import { randomBytes } from 'node:crypto';
import type { ChannelMessage, PushDevice } from '../../functions/contract';
import { Provider } from '../../functions/contract';
import { ChannelUnusableError, RequestRejectedError } from '../../functions/domain/errors';
import type { ChannelSender, SendReceipt } from '../../functions/domain/ports';
import { SandboxPush } from './magic-addresses';
import type { OutboxEntry } from './outbox';
import type { SandboxSenderOptions } from './sender-options';

/** Sandbox sender for push. */
export class SandboxPushSender implements ChannelSender {
  readonly channel = 'push' as const;
  readonly provider = Provider.FCM;
  readonly #options: Pick<SandboxSenderOptions, 'outbox'>;

  constructor(options: Pick<SandboxSenderOptions, 'outbox'>) {
    this.#options = options;
  }

  /** Delivers to every registered device; fails the channel when none is registered. */
  async send(message: ChannelMessage): Promise<SendReceipt> {
    if (message.channel !== 'push') {
      throw new Error(`The sandbox push sender was given a ${message.channel} message`);
    }
    if (!message.content.title && !message.content.text) {
      throw new RequestRejectedError(['push content needs a title or text']);
    }
    const unregistered = message.to.filter(isUnregistered);
    const registered = message.to.filter((device) => !isUnregistered(device));
    const id = `projects/switchboard-sandbox/messages/${randomBytes(8).toString('hex')}`;
    const now = new Date().toISOString();
    const entry: OutboxEntry = {
      id,
      channel: 'push',
      provider:
        registered.every((d) => d.kind === 'webpush') && registered.length > 0
          ? Provider.WEB_PUSH
          : this.provider,
      messageId: message.messageId,
      customerId: message.customerId,
      attempt: message.attempt,
      to: message.to.map(deviceLabel).join(', '),
      content: message.content,
      outcome: registered.length > 0 ? 'accepted' : 'refused',
      acceptedAt: now,
      statuses:
        registered.length > 0
          ? [{ status: 'sent', at: now }]
          : [
              {
                status: 'failed',
                at: now,
                errorCode: 'UNREGISTERED',
                detail: 'every device is unregistered',
              },
            ],
      callbacks: [],
    };
    this.#options.outbox.add(entry);
    if (registered.length === 0) {
      throw new ChannelUnusableError('Every push device is unregistered (sandbox)', { code: 'UNREGISTERED' });
    }
    return {
      provider: entry.provider,
      providerMessageId: id,
      details: {
        sandbox: true,
        devices: registered.length,
        ...(unregistered.length > 0 ? { devicesRemoved: unregistered.map(deviceKey) } : {}),
      },
    };
  }
}

function isUnregistered(device: PushDevice): boolean {
  return device.kind === 'fcm'
    ? device.token === SandboxPush.UNREGISTERED_TOKEN
    : device.subscription.endpoint.endsWith(SandboxPush.UNREGISTERED_ENDPOINT_SUFFIX);
}

/** The device's identity: FCM token or Web Push endpoint. */
function deviceKey(device: PushDevice): string {
  return device.kind === 'fcm' ? device.token : device.subscription.endpoint;
}

/** A short, readable label (tokens are long and secret-like). */
function deviceLabel(device: PushDevice): string {
  if (device.kind === 'fcm') return `fcm:${device.token.slice(0, 12)}${device.token.length > 12 ? '…' : ''}`;
  return `webpush:${new URL(device.subscription.endpoint).host}`;
}
