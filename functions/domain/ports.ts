/**
 * The ports: what the domain needs from the outside world, as interfaces. Adapters in
 * functions/adapters/ implement them, one adapter per file; tests may pass their own.
 */
import type {
  Channel,
  ChannelMessage,
  Customer,
  MessageRequest,
  Provider,
  RenderedContent,
} from '../contract';

/** What a provider said when it accepted a message. */
export interface SendReceipt {
  readonly provider: Provider;
  /** The provider's id for the message (Twilio SID, SendGrid X-Message-Id, FCM name, …). */
  readonly providerMessageId: string;
  /** Provider-specific facts worth recording, such as SMS segments or push devices removed. */
  readonly details?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/**
 * Sends one rendered channel message through a provider.
 * Throws RetryLaterError for transient faults and ChannelUnusableError when the channel cannot
 * reach the person (see domain/errors.ts); any other error is a bug and is retried like a fault.
 */
export interface ChannelSender {
  readonly channel: Channel;
  readonly provider: Provider;
  send(message: ChannelMessage): Promise<SendReceipt>;
}

/** Everything a template needs to produce what one channel shows. */
export interface RenderInput {
  readonly request: MessageRequest;
  readonly customer: Customer;
  readonly channel: Channel;
  /** When the render happens (for dates relative to now). */
  readonly now: Date;
  /** Whether the customer's WhatsApp 24-hour window is open (freeform allowed). */
  readonly whatsappWindowOpen?: boolean;
}

/**
 * Renders a request's template or literal content for one channel.
 * Throws RequestRejectedError when the template is unknown, a variable is missing, or the
 * result breaks a channel rule; ChannelUnusableError when this channel has no variant.
 */
export interface MessageRenderer {
  render(input: RenderInput): Promise<RenderedContent>;
}
