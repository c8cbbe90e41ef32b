/**
 * What the provider adapters turn webhooks into: one normalised shape per kind, whatever the
 * provider. The mappings live with each provider (adapters/twilio/status.ts,
 * adapters/sendgrid/events.ts, …); the use cases (domain/webhook-use-cases.ts) only see these.
 */
import type {
  Channel,
  ConsentSource,
  ConsentStatus,
  DeliveryError,
  MessageStatus,
  Provider,
} from '../contract';

/** A consent instruction carried by a provider event (an unsubscribe link, Twilio 21610, …). */
export interface ConsentSignal {
  readonly status: ConsentStatus;
  readonly source: ConsentSource;
  /** Why, in words safe to publish: the provider event or error code, never message text. */
  readonly reason: string;
  /**
   * `channel`: every category on the channel (a carrier-level STOP). `message-category`: the
   * category of the message the event is about (an email unsubscribe link).
   */
  readonly scope: 'channel' | 'message-category';
}

/** A provider's status callback or event, normalised. */
export interface StatusUpdate {
  readonly provider: Provider;
  readonly channel: Channel;
  /** The provider's id of the message, as returned when it was sent (Twilio SID, SendGrid X-Message-Id). */
  readonly providerMessageId: string;
  /** The provider's unique id of this callback, for de-duplication. */
  readonly eventId: string;
  /** The provider's own name for the event (`undelivered`, `bounce`, `group_unsubscribe`, …). */
  readonly providerEvent: string;
  /** The status it means; absent when the event changes no status (an unsubscribe, a spam report). */
  readonly status?: MessageStatus;
  readonly at: string;
  readonly error?: DeliveryError;
  /**
   * Switchboard's own ids of the attempt, echoed by the provider from the send (Twilio: the signed
   * status callback URL; SendGrid: custom_args): the attempt item's key. Without all three the
   * attempt is not looked up (the update can still carry consent for the recipient).
   */
  readonly messageId?: string;
  readonly customerId?: string;
  readonly attempt?: number;
  /** The recipient's address, to find the customer when the message itself is unknown. */
  readonly recipient?: string;
  readonly consent?: ConsentSignal;
  /** The provider says the address cannot receive messages (a hard bounce). */
  readonly addressInvalid?: boolean;
}

/** A media attachment of an inbound message. */
export interface InboundMedia {
  readonly url: string;
  readonly contentType?: string;
}

/**
 * A receiving server's verdict on SPF or DKIM (RFC 8601 result names); `unknown` for a value the
 * provider sent that is none of them, which counts as no pass.
 */
export type AuthVerdict =
  | 'pass'
  | 'fail'
  | 'softfail'
  | 'neutral'
  | 'none'
  | 'temperror'
  | 'permerror'
  | 'policy'
  | 'unknown';

/** What the receiving mail server found about an email's sender (SendGrid's `SPF` and `dkim`). */
export interface EmailAuthentication {
  /** Domain of the `From:` header, the identity DMARC aligns to. */
  readonly headerFromDomain?: string;
  /** Domain of the envelope sender (MAIL FROM), the identity SPF checks. */
  readonly envelopeFromDomain?: string;
  readonly spf: AuthVerdict;
  /** One verdict per DKIM signature, by its signing domain (`d=`). */
  readonly dkim: readonly { readonly domain: string; readonly result: AuthVerdict }[];
}

/** A customer's message as a provider delivered it, normalised. */
export interface InboundReceipt {
  readonly provider: Provider;
  readonly channel: Channel;
  /** The sender's address: E.164 number without any `whatsapp:` prefix, or bare email address. */
  readonly from: string;
  /** Our address it was sent to. */
  readonly to: string;
  readonly text: string;
  /** The newest part of the text, without quoted history (email replies), for keyword reading. */
  readonly replyText: string;
  readonly subject?: string;
  readonly media: readonly InboundMedia[];
  readonly receivedAt: string;
  readonly providerMessageId: string;
  /** The provider's unique id of this delivery, for de-duplication. */
  readonly eventId: string;
  /** Email only: the SPF/DKIM results, judged by domain/sender-evidence.ts before consent changes. */
  readonly emailAuthentication?: EmailAuthentication;
}
