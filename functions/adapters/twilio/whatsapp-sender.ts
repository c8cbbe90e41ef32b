/**
 * WhatsApp through Twilio's Messages API: freeform text while the customer's 24-hour service window
 * is open, an approved Content template (ContentSid + ContentVariables) otherwise, and a
 * ChannelUnusableError when the window is closed and the message has no template.
 */
import { ConfigurationError } from '../../config';
import type { ChannelMessage } from '../../contract';
import { ChannelUnusableError } from '../../domain/errors';
import type { ChannelSender, SendReceipt } from '../../domain/ports';
import type { TwilioCredentials } from '../secrets/provider-credentials';
import { classifyTwilioError } from './errors';
import { createTwilioMessages, statusCallbackFor, TwilioEnv } from './messages';

/** Twilio WhatsApp settings (not secrets). */
export interface TwilioWhatsAppSettings {
  /** The WhatsApp sender in E.164; required unless `messagingServiceSid` is set. */
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly statusCallbackUrl?: string;
  readonly apiBaseUrl?: string;
}

/** What the WhatsApp sender needs. */
export interface TwilioWhatsAppSenderDeps {
  readonly credentials: () => Promise<TwilioCredentials>;
  readonly settings: TwilioWhatsAppSettings;
  readonly now?: () => Date;
}

/** Reads the WhatsApp settings from the environment. */
export function twilioWhatsAppSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TwilioWhatsAppSettings {
  return {
    from: env[TwilioEnv.WHATSAPP_FROM] || undefined,
    messagingServiceSid: env[TwilioEnv.MESSAGING_SERVICE_SID] || undefined,
    statusCallbackUrl: env[TwilioEnv.STATUS_CALLBACK_URL] || undefined,
    apiBaseUrl: env[TwilioEnv.API_BASE_URL] || undefined,
  };
}

/**
 * A window that closes this soon counts as closed: the message may wait in Twilio's queue, and
 * Twilio fails a freeform message that leaves after the window with 63016.
 */
export const WINDOW_SAFETY_MARGIN_MS = 60_000;

/** How a WhatsApp message is sent. */
export const WhatsAppMode = { FREEFORM: 'freeform', TEMPLATE: 'template' } as const;

/** Whether freeform is allowed now, given when the window closes. */
export function whatsappWindowOpen(windowOpenUntil: string | undefined, now: Date): boolean {
  if (!windowOpenUntil) return false;
  return Date.parse(windowOpenUntil) - now.getTime() > WINDOW_SAFETY_MARGIN_MS;
}

/** Creates the Twilio WhatsApp sender. */
export function createTwilioWhatsAppSender(deps: TwilioWhatsAppSenderDeps): ChannelSender {
  const { settings } = deps;
  if (!settings.from && !settings.messagingServiceSid) {
    throw new ConfigurationError(
      `Set ${TwilioEnv.WHATSAPP_FROM} or ${TwilioEnv.MESSAGING_SERVICE_SID} to send WhatsApp messages`,
    );
  }
  const now = deps.now ?? (() => new Date());
  return {
    channel: 'whatsapp',
    provider: 'twilio',
    async send(message: ChannelMessage): Promise<SendReceipt> {
      if (message.channel !== 'whatsapp') {
        throw new TypeError(`The WhatsApp sender got a ${message.channel} message`);
      }
      const { text, whatsappTemplate, imageUrl } = message.content;
      const open = whatsappWindowOpen(message.windowOpenUntil, now());
      let content: { body: string; mediaUrl?: string[] } | { contentSid: string; contentVariables: string };
      if (open && text) {
        content = { body: text, ...(imageUrl ? { mediaUrl: [imageUrl] } : {}) };
      } else if (whatsappTemplate) {
        content = {
          contentSid: whatsappTemplate.contentSid,
          contentVariables: JSON.stringify(whatsappTemplate.variables),
        };
      } else {
        throw new ChannelUnusableError(
          open
            ? 'The WhatsApp message has neither text nor an approved template (content.whatsappTemplate)'
            : "The customer's WhatsApp 24-hour window is closed and the message has no approved template " +
                '(content.whatsappTemplate with a Twilio Content SID): WhatsApp only allows templates outside the window',
          { code: open ? 'missing_content' : 'whatsapp_window_closed' },
        );
      }
      const credentials = await deps.credentials();
      const messages = createTwilioMessages({
        accountSid: credentials.accountSid,
        authToken: credentials.authToken,
        username: credentials.apiKeySid,
        baseUrl: settings.apiBaseUrl,
      });
      try {
        const sent = await messages.create({
          to: `whatsapp:${message.to}`,
          ...(settings.messagingServiceSid
            ? { messagingServiceSid: settings.messagingServiceSid }
            : { from: `whatsapp:${settings.from}` }),
          ...content,
          statusCallback: statusCallbackFor(settings.statusCallbackUrl, message),
        });
        return {
          provider: 'twilio',
          providerMessageId: sent.sid,
          details: {
            mode: 'body' in content ? WhatsAppMode.FREEFORM : WhatsAppMode.TEMPLATE,
            ...('contentSid' in content ? { contentSid: content.contentSid } : {}),
            twilioStatus: sent.status,
          },
        };
      } catch (error) {
        throw classifyTwilioError(error);
      }
    },
  };
}
