/**
 * Sandbox SMS and WhatsApp: accepts sends like the Twilio adapter, keeps them in the outbox, and
 * posts Twilio status callbacks (signed with the sandbox auth token) to `/webhooks/twilio/status`.
 * Magic numbers in ./magic-addresses.ts make it fail on purpose.
 */
import { randomBytes } from 'node:crypto';
import { statusCallbackFor } from '../../functions/adapters/twilio/messages';
import type { ChannelMessage, MessageStatus } from '../../functions/contract';
import { Provider } from '../../functions/contract';
import { ChannelUnusableError, RequestRejectedError, RetryLaterError } from '../../functions/domain/errors';
import type { ChannelSender, SendReceipt } from '../../functions/domain/ports';
import { chooseWhatsAppForm } from '../../functions/domain/whatsapp-window';
import type { CallbackStep } from './callbacks';
import { SandboxPhone } from './magic-addresses';
import type { OutboxEntry } from './outbox';
import { callbackDelays, type SandboxSenderOptions } from './sender-options';
import { twilioWebhookHeaders } from './signatures';

/** Twilio's status callback path on Switchboard's HTTP API. */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

/** Twilio's valid "From" test number; the sandbox sends from it unless told otherwise. */
export const SANDBOX_TWILIO_FROM = '+15005550006';

type TwilioChannel = 'sms' | 'whatsapp';

/** Sandbox sender for one Twilio channel. */
export class SandboxTwilioSender implements ChannelSender {
  readonly provider = Provider.TWILIO;
  readonly channel: TwilioChannel;
  readonly #options: SandboxSenderOptions;
  readonly #from: string;

  constructor(channel: TwilioChannel, options: SandboxSenderOptions & { from?: string }) {
    this.channel = channel;
    this.#options = options;
    this.#from = options.from ?? SANDBOX_TWILIO_FROM;
  }

  /** Accepts or refuses the message as Twilio would, then schedules its status callbacks. */
  async send(message: ChannelMessage): Promise<SendReceipt> {
    if (message.channel !== this.channel) {
      throw new Error(`The sandbox ${this.channel} sender was given a ${message.channel} message`);
    }
    const hasTemplate = message.channel === 'whatsapp' && message.content.whatsappTemplate !== undefined;
    if (!message.content.text && !hasTemplate) {
      throw new RequestRejectedError([`${this.channel} content needs text`]);
    }
    // WhatsApp refuses freeform outside the window; the sandbox asks the same rule as the real sender.
    if (
      message.channel === 'whatsapp' &&
      chooseWhatsAppForm(message.content, message.windowOpenUntil, new Date()) === undefined
    ) {
      throw new ChannelUnusableError(
        "The customer's WhatsApp 24-hour window is closed and the message has no approved template",
        { code: 'whatsapp_window_closed' },
      );
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const address = (number: string) => (this.channel === 'whatsapp' ? `whatsapp:${number}` : number);
    const entry: OutboxEntry = {
      id: sid,
      channel: this.channel,
      provider: this.provider,
      messageId: message.messageId,
      customerId: message.customerId,
      attempt: message.attempt,
      to: address(message.to),
      from: address(this.#from),
      content: message.content,
      outcome: 'accepted',
      acceptedAt: new Date().toISOString(),
      statuses: [],
      callbacks: [],
    };
    const refuse = (error: Error, status: 'failed' | 'throttled', errorCode: string) => {
      this.#options.outbox.add({
        ...entry,
        outcome: 'refused',
        statuses: [{ status, at: entry.acceptedAt, errorCode, detail: error.message }],
      });
      throw error;
    };
    switch (message.to) {
      case SandboxPhone.INVALID:
        return refuse(
          new ChannelUnusableError(`The 'To' number is not a valid phone number (sandbox)`, {
            code: '21211',
          }),
          'failed',
          '21211',
        );
      case SandboxPhone.OPTED_OUT:
        return refuse(
          new ChannelUnusableError('Attempt to send to unsubscribed recipient (sandbox)', {
            code: '21610',
            optedOut: true,
          }),
          'failed',
          '21610',
        );
      case SandboxPhone.THROTTLED:
        return refuse(
          new RetryLaterError('Too Many Requests (sandbox)', { code: '20429', retryAfterSeconds: 1 }),
          'throttled',
          '20429',
        );
    }
    this.#options.outbox.add({ ...entry, statuses: [{ status: 'queued', at: entry.acceptedAt }] });
    this.#options.callbacks.schedule(sid, this.#steps(entry, message.to === SandboxPhone.UNDELIVERABLE));
    return { provider: this.provider, providerMessageId: sid, details: { sandbox: true } };
  }

  #steps(entry: OutboxEntry, undeliverable: boolean): CallbackStep[] {
    const delays = callbackDelays(this.#options);
    const step = (delayMs: number, status: MessageStatus, errorCode?: string): CallbackStep => ({
      delayMs,
      status: errorCode ? { status, at: '', errorCode } : { status, at: '' },
      request: () => {
        const params: Record<string, string> = {
          AccountSid: this.#options.credentials.twilioAccountSid,
          ApiVersion: '2010-04-01',
          From: entry.from ?? '',
          To: entry.to,
          MessageSid: entry.id,
          SmsSid: entry.id,
          MessageStatus: status,
          SmsStatus: status,
          ...(this.channel === 'whatsapp' ? { ChannelPrefix: 'whatsapp' } : {}),
          ...(errorCode ? { ErrorCode: errorCode } : {}),
        };
        // The attempt's key in the query, as the Twilio senders' statusCallbackFor puts it.
        const query = new URL(statusCallbackFor('http://sandbox.invalid/', entry)!).search;
        const path = `${TWILIO_STATUS_PATH}${query}`;
        const url = `${this.#options.callbacks.webhookBaseUrl}${path}`;
        return {
          path,
          headers: twilioWebhookHeaders(this.#options.credentials.twilioAuthToken, url, params),
          body: new URLSearchParams(params).toString(),
        };
      },
    });
    if (undeliverable) return [step(delays.first, 'sent'), step(delays.step, 'undelivered', '30003')];
    const steps = [step(delays.first, 'sent'), step(delays.step, 'delivered')];
    if (this.channel === 'whatsapp' && this.#options.simulateEngagement !== false) {
      steps.push(step(delays.step, 'read'));
    }
    return steps;
  }
}
