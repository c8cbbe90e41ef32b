/**
 * Simulates the customer's side: an inbound SMS or WhatsApp message posted to the Twilio inbound
 * webhook (signed with the sandbox auth token, exactly as Twilio signs it), or an inbound email
 * posted to the SendGrid Inbound Parse webhook (multipart form, as SendGrid posts it; Inbound Parse
 * has no signature). Used by the CLI `inbound` command and the demo.
 */
import { randomBytes } from 'node:crypto';
import { SANDBOX_TWILIO_ACCOUNT_SID } from './sandbox/credentials';
import { SANDBOX_EMAIL_FROM } from './sandbox/sendgrid-sender';
import { twilioWebhookHeaders } from './sandbox/signatures';
import { SANDBOX_TWILIO_FROM } from './sandbox/twilio-sender';

/** Twilio's inbound message path on Switchboard's HTTP API. */
export const TWILIO_INBOUND_PATH = '/webhooks/twilio/inbound';
/** SendGrid Inbound Parse's path on Switchboard's HTTP API. */
export const SENDGRID_INBOUND_PATH = '/webhooks/sendgrid/inbound';

/** What the webhook answered. */
export interface SimulatedResponse {
  readonly status: number;
  readonly body: string;
  /** The provider message id the simulated message carried. */
  readonly providerMessageId: string;
}

/** An inbound SMS or WhatsApp message from a customer. */
export interface TwilioInbound {
  /** The local HTTP API, `httpUrl` in local.json. */
  readonly httpUrl: string;
  /** The whole webhook URL when it is not `httpUrl` + the local path (a deployed stack's output). */
  readonly webhookUrl?: string;
  /** `sandbox.twilioAuthToken` in local.json, or the account's real auth token for a deployed stack. */
  readonly authToken: string;
  /** The account the message is for; the sandbox's unless set. */
  readonly accountSid?: string;
  readonly channel: 'sms' | 'whatsapp';
  /** The customer's number, E.164. */
  readonly from: string;
  readonly text: string;
  /** Switchboard's number; the sandbox sender's unless set. */
  readonly to?: string;
  /** For a WhatsApp reply to a specific message: its provider message id (Twilio sends `OriginalRepliedMessageSid`). */
  readonly inReplyToProviderMessageId?: string;
  readonly profileName?: string;
}

/** Posts a signed inbound SMS/WhatsApp to the Twilio inbound webhook. */
export async function simulateTwilioInbound(inbound: TwilioInbound): Promise<SimulatedResponse> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const address = (number: string) => (inbound.channel === 'whatsapp' ? `whatsapp:${number}` : number);
  const params: Record<string, string> = {
    AccountSid: inbound.accountSid ?? SANDBOX_TWILIO_ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: 'received',
    From: address(inbound.from),
    To: address(inbound.to ?? SANDBOX_TWILIO_FROM),
    Body: inbound.text,
    NumMedia: '0',
    NumSegments: '1',
    ...(inbound.channel === 'whatsapp'
      ? {
          WaId: inbound.from.replace(/^\+/, ''),
          ProfileName: inbound.profileName ?? 'Sandbox customer',
          ...(inbound.inReplyToProviderMessageId
            ? { OriginalRepliedMessageSid: inbound.inReplyToProviderMessageId }
            : {}),
        }
      : {}),
  };
  const url = inbound.webhookUrl ?? `${inbound.httpUrl}${TWILIO_INBOUND_PATH}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: twilioWebhookHeaders(inbound.authToken, url, params),
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: await response.text(), providerMessageId: sid };
}

/** An inbound email from a customer. */
export interface SendGridInbound {
  readonly httpUrl: string;
  /** The whole webhook URL when it is not `httpUrl` + the local path (a deployed stack's output). */
  readonly webhookUrl?: string;
  readonly from: string;
  readonly text: string;
  readonly subject?: string;
  readonly html?: string;
  /** Switchboard's address; the sandbox sender's unless set. */
  readonly to?: string;
  /** The Inbound Parse secret (local/inbound-secret.ts), sent as the `key` query parameter. */
  readonly inboundParseSecret?: string;
  /**
   * Simulates a forged From line: SPF fails and nothing is DKIM-signed, so Switchboard records the
   * mail, flags the sender as unverified and ignores an opt-in in it (an opt-out still counts).
   */
  readonly forged?: boolean;
}

/** Posts an inbound email to the SendGrid Inbound Parse webhook. */
export async function simulateSendGridInbound(inbound: SendGridInbound): Promise<SimulatedResponse> {
  const to = inbound.to ?? SANDBOX_EMAIL_FROM;
  const messageId = `<${randomBytes(12).toString('hex')}@sandbox.switchboard.dev>`;
  const form = new FormData();
  form.set(
    'headers',
    `Message-ID: ${messageId}\nFrom: ${inbound.from}\nTo: ${to}\nSubject: ${inbound.subject ?? ''}\n`,
  );
  form.set('from', inbound.from);
  form.set('to', to);
  form.set('subject', inbound.subject ?? '');
  form.set('text', inbound.text);
  if (inbound.html) form.set('html', inbound.html);
  form.set('envelope', JSON.stringify({ to: [to], from: inbound.from }));
  form.set('charsets', JSON.stringify({ to: 'UTF-8', from: 'UTF-8', subject: 'UTF-8', text: 'UTF-8' }));
  // A genuine reply is signed by the sender's own mail domain and its envelope passes SPF, which is
  // what domain/sender-evidence.ts requires before an opt-in counts.
  const fromDomain = inbound.from.slice(inbound.from.lastIndexOf('@') + 1);
  form.set('SPF', inbound.forged ? 'fail' : 'pass');
  form.set('dkim', inbound.forged ? 'none' : `{@${fromDomain} : pass}`);
  const url = new URL(inbound.webhookUrl ?? `${inbound.httpUrl}${SENDGRID_INBOUND_PATH}`);
  if (inbound.inboundParseSecret) url.searchParams.set('key', inbound.inboundParseSecret);
  const response = await fetch(url, {
    method: 'POST',
    body: form,
  });
  return { status: response.status, body: await response.text(), providerMessageId: messageId };
}
