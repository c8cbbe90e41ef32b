/**
 * Sandbox email: accepts sends like the SendGrid adapter, keeps the rendered email in the outbox,
 * and posts Event Webhook batches (signed with the sandbox ECDSA key) to `/webhooks/sendgrid/events`.
 * Magic addresses in ./magic-addresses.ts make it bounce or throttle.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ChannelMessage, MessageStatus } from '../../functions/contract';
import { Provider } from '../../functions/contract';
import { RequestRejectedError, RetryLaterError } from '../../functions/domain/errors';
import type { ChannelSender, SendReceipt } from '../../functions/domain/ports';
import type { CallbackStep } from './callbacks';
import { SandboxEmail } from './magic-addresses';
import type { OutboxEntry } from './outbox';
import { callbackDelays, type SandboxSenderOptions } from './sender-options';
import { sendgridEventWebhookHeaders } from './signatures';

/** SendGrid's Event Webhook path on Switchboard's HTTP API. */
export const SENDGRID_EVENTS_PATH = '/webhooks/sendgrid/events';

/** The sender address of sandbox email unless told otherwise. */
export const SANDBOX_EMAIL_FROM = 'no-reply@sandbox.switchboard.dev';

/** Sandbox sender for email. */
export class SandboxSendGridSender implements ChannelSender {
  readonly channel = 'email' as const;
  readonly provider = Provider.SENDGRID;
  readonly #options: SandboxSenderOptions;
  readonly #from: string;

  constructor(options: SandboxSenderOptions & { from?: string }) {
    this.#options = options;
    this.#from = options.from ?? SANDBOX_EMAIL_FROM;
  }

  /** Accepts or refuses the email as SendGrid would, then schedules its events. */
  async send(message: ChannelMessage): Promise<SendReceipt> {
    if (message.channel !== 'email') {
      throw new Error(`The sandbox email sender was given a ${message.channel} message`);
    }
    if (!message.content.subject || (!message.content.html && !message.content.text)) {
      throw new RequestRejectedError(['email content needs a subject and html or text']);
    }
    // SendGrid's X-Message-Id: 22 URL-safe characters; event sg_message_id values start with it.
    const xMessageId = randomBytes(16).toString('base64url').slice(0, 22);
    const entry: OutboxEntry = {
      id: xMessageId,
      channel: 'email',
      provider: this.provider,
      messageId: message.messageId,
      customerId: message.customerId,
      attempt: message.attempt,
      to: message.to,
      from: this.#from,
      content: message.content,
      outcome: 'accepted',
      acceptedAt: new Date().toISOString(),
      statuses: [],
      callbacks: [],
    };
    if (message.to.toLowerCase() === SandboxEmail.THROTTLED) {
      const error = new RetryLaterError('Too Many Requests (sandbox)', { code: '429', retryAfterSeconds: 1 });
      this.#options.outbox.add({
        ...entry,
        outcome: 'refused',
        statuses: [{ status: 'throttled', at: entry.acceptedAt, errorCode: '429', detail: error.message }],
      });
      throw error;
    }
    this.#options.outbox.add({ ...entry, statuses: [{ status: 'queued', at: entry.acceptedAt }] });
    const bounce = message.to.toLowerCase() === SandboxEmail.BOUNCE;
    this.#options.callbacks.schedule(xMessageId, this.#steps(entry, message, bounce));
    return { provider: this.provider, providerMessageId: xMessageId, details: { sandbox: true } };
  }

  #steps(entry: OutboxEntry, message: ChannelMessage, bounce: boolean): CallbackStep[] {
    const delays = callbackDelays(this.#options);
    const step = (
      delayMs: number,
      event: string,
      status: MessageStatus,
      extra: Record<string, string> = {},
    ): CallbackStep => ({
      delayMs,
      status: extra.status ? { status, at: '', errorCode: extra.status } : { status, at: '' },
      request: () => {
        const payload = JSON.stringify([
          {
            email: entry.to,
            timestamp: Math.floor(Date.now() / 1000),
            'smtp-id': `<${entry.id}@sandbox.switchboard.dev>`,
            event,
            category: [message.category],
            sg_event_id: randomUUID().replace(/-/g, '').slice(0, 22),
            sg_message_id: `${entry.id}.sandbox.0`,
            // Custom arguments come back on every event, as they do from SendGrid.
            messageId: message.messageId,
            customerId: message.customerId,
            attempt: String(message.attempt),
            ...extra,
          },
        ]);
        return {
          path: SENDGRID_EVENTS_PATH,
          headers: sendgridEventWebhookHeaders(this.#options.credentials.sendgridPrivateKey, payload),
          body: payload,
        };
      },
    });
    if (bounce) {
      return [
        step(delays.first, 'processed', 'sent'),
        step(delays.step, 'bounce', 'bounced', {
          type: 'bounce',
          status: '5.1.1',
          reason: '550 5.1.1 The email account that you tried to reach does not exist. (sandbox)',
          bounce_classification: 'Invalid Address',
        }),
      ];
    }
    const steps = [step(delays.first, 'processed', 'sent'), step(delays.step, 'delivered', 'delivered')];
    if (this.#options.simulateEngagement !== false) steps.push(step(delays.step, 'open', 'opened'));
    return steps;
  }
}
