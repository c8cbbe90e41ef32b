/**
 * WhatsApp through Twilio's Messages API: freeform text while the customer's 24-hour service window
 * is open, an approved Content template (ContentSid + ContentVariables) otherwise, and a
 * ChannelUnusableError when the window is closed and the message has no template. Whether the
 * window is open is domain/whatsapp-window.ts's rule, asked at send time.
 */
import { ConfigurationError } from '../../config';
import type { ChannelMessage } from '../../contract';
import { ChannelUnusableError } from '../../domain/errors';
import type { ChannelSender, SendReceipt } from '../../domain/ports';
import { chooseWhatsAppForm, isWhatsAppWindowOpenUntil, WhatsAppForm } from '../../domain/whatsapp-window';
import { classifyTwilioError } from './errors';
import {
  createTwilioMessages,
  statusCallbackFor,
  TwilioEnv,
  type TwilioSenderDeps,
  type TwilioSenderSettings,
  twilioSenderSettingsFromEnv,
} from './messages';

/** Reads the WhatsApp settings from the environment. */
export function twilioWhatsAppSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TwilioSenderSettings {
  return twilioSenderSettingsFromEnv(TwilioEnv.WHATSAPP_FROM, env);
}

/** Creates the Twilio WhatsApp sender. */
export function createTwilioWhatsAppSender(deps: TwilioSenderDeps): ChannelSender {
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
      // The one window rule decides at send time: a message that waited in the queue past the
      // window's end goes out as its approved template when the renderer gave it one.
      const at = now();
      const form = chooseWhatsAppForm(message.content, message.windowOpenUntil, at);
      const open = isWhatsAppWindowOpenUntil(message.windowOpenUntil, at);
      let content: { body: string; mediaUrl?: string[] } | { contentSid: string; contentVariables: string };
      if (form === WhatsAppForm.FREEFORM && text) {
        content = { body: text, ...(imageUrl ? { mediaUrl: [imageUrl] } : {}) };
      } else if (form === WhatsAppForm.TEMPLATE && whatsappTemplate) {
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
            mode: 'body' in content ? WhatsAppForm.FREEFORM : WhatsAppForm.TEMPLATE,
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
