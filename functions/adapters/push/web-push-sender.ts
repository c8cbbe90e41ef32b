/**
 * Web Push (RFC 8030) to browser subscriptions with `web-push`: aes128gcm payload encryption
 * (RFC 8291) and VAPID (RFC 8292) authorisation.
 */
import type { Agent } from 'node:https';
import { WebPushEnv } from '../../config';
import type { ChannelMessage, PushDevice } from '../../contract';
import type { DeviceOutcome, DeviceResult } from '../../domain/push-delivery';
import { retryAfterSeconds, transientFaultCode } from '../http/transient-faults';
import type { WebPushCredentials } from '../secrets/provider-credentials';
import type { PushDeviceSender } from './fcm-sender';

/** Re-exported from functions/config.ts, where infra/ reads it too. */
export { WebPushEnv };

/** Web Push settings (not secrets). */
export interface WebPushSettings {
  readonly subject: string;
  readonly timeoutMs?: number;
  /** The HTTPS agent (tests pass one that trusts their local receiver's certificate). */
  readonly agent?: Agent;
}

/** Reads the Web Push settings from the environment. */
export function webPushSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WebPushSettings {
  return { subject: env[WebPushEnv.SUBJECT] || 'mailto:switchboard@localhost' };
}

/** A Web Push device. */
export type WebPushDevice = Extract<PushDevice, { kind: 'webpush' }>;

/** The JSON a service worker receives. */
export function webPushPayload(message: ChannelMessage): string {
  const { title, text, url, imageUrl } = message.content;
  return JSON.stringify({ title, body: text, url, image: imageUrl, messageId: message.messageId });
}

/** Longest a push service keeps an undelivered message, in seconds (web-push's own default). */
const MAX_TTL_SECONDS = 2_419_200;

/** How long the push service may hold the message: until it expires, or a day. */
export function webPushTtl(message: ChannelMessage, now: Date): number {
  if (!message.expiresAt) return 86_400;
  return Math.max(
    0,
    Math.min(MAX_TTL_SECONDS, Math.floor((Date.parse(message.expiresAt) - now.getTime()) / 1000)),
  );
}

/** What a push service's answer (or web-push's error) means for the subscription. */
export function classifyWebPushError(error: unknown): DeviceResult {
  const fault = transientFaultCode(error);
  if (fault) return { result: 'retry', code: fault };
  // web-push ends a timed-out request with a bare Error('Socket timeout').
  if (error instanceof Error && error.message === 'Socket timeout')
    return { result: 'retry', code: 'ETIMEDOUT' };
  const { statusCode, headers } = (error ?? {}) as { statusCode?: number; headers?: Record<string, string> };
  if (typeof statusCode !== 'number') return { result: 'retry', code: 'unknown' };
  // 404 Not Found / 410 Gone: the subscription expired or was unsubscribed (RFC 8030 §7.3).
  if (statusCode === 404 || statusCode === 410) return { result: 'gone', code: `http_${statusCode}` };
  if (statusCode === 429 || statusCode >= 500) {
    return {
      result: 'retry',
      code: `http_${statusCode}`,
      retryAfterSeconds: retryAfterSeconds(headers?.['retry-after']),
    };
  }
  // 400 bad request, 401/403 VAPID refused, 413 payload too large: this message will not go.
  return { result: 'failed', code: `http_${statusCode}` };
}

/** What the Web Push sender needs. */
export interface WebPushDeviceSenderDeps {
  readonly credentials: () => Promise<WebPushCredentials>;
  readonly settings: WebPushSettings;
  readonly now?: () => Date;
}

/** Creates the Web Push device sender. */
export function createWebPushDeviceSender(deps: WebPushDeviceSenderDeps): PushDeviceSender<WebPushDevice> {
  const { settings } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async sendToDevice(device, message): Promise<DeviceOutcome> {
      const base = { device: device.subscription.endpoint, provider: 'webpush' as const };
      try {
        const keys = await deps.credentials();
        // Imported by the first Web Push send, not when the push function starts, so a container that
        // only reaches phones never evaluates web-push (with asn1.js and bn.js for the VAPID key).
        // It stays in the bundle; the module cache makes later imports free. Push init went from 142
        // to 133 ms with this and the same for google-auth-library (docs/BENCHMARKS.md).
        const { sendNotification } = await import('web-push');
        const answer = await sendNotification(device.subscription, webPushPayload(message), {
          vapidDetails: { subject: settings.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          TTL: webPushTtl(message, now()),
          urgency: message.category === 'transactional' ? 'high' : 'normal',
          contentEncoding: 'aes128gcm',
          timeout: settings.timeoutMs ?? 10_000,
          ...(settings.agent ? { agent: settings.agent } : {}),
        });
        // RFC 8030 §5: the push service names the message it accepted in Location.
        const location = answer.headers.location;
        return {
          ...base,
          result: 'delivered',
          providerMessageId: location || `${message.messageId}@webpush`,
        };
      } catch (error) {
        return { ...base, ...classifyWebPushError(error) } as DeviceOutcome;
      }
    },
  };
}
