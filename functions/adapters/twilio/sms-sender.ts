/**
 * SMS through Twilio's Messages API: from a configured number or Messaging Service, with a status
 * callback per message, recording the GSM-7/UCS-2 segment count.
 */
import { ConfigurationError } from '../../config';
import type { ChannelMessage } from '../../contract';
import { ChannelUnusableError } from '../../domain/errors';
import type { ChannelSender, SendReceipt } from '../../domain/ports';
import { smsSegments } from '../../domain/sms-segments';
import { classifyTwilioError } from './errors';
import {
  createTwilioMessages,
  statusCallbackFor,
  TwilioEnv,
  type TwilioSenderDeps,
  type TwilioSenderSettings,
  twilioSenderSettingsFromEnv,
} from './messages';

/** Reads the SMS settings from the environment. */
export function twilioSmsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TwilioSenderSettings {
  return twilioSenderSettingsFromEnv(TwilioEnv.SMS_FROM, env);
}

/** Longest ValidityPeriod Twilio accepts, in seconds. */
const MAX_VALIDITY_SECONDS = 36_000;

/** Creates the Twilio SMS sender. */
export function createTwilioSmsSender(deps: TwilioSenderDeps): ChannelSender {
  const { settings } = deps;
  if (!settings.from && !settings.messagingServiceSid) {
    throw new ConfigurationError(
      `Set ${TwilioEnv.SMS_FROM} or ${TwilioEnv.MESSAGING_SERVICE_SID} to send SMS`,
    );
  }
  const now = deps.now ?? (() => new Date());
  return {
    channel: 'sms',
    provider: 'twilio',
    async send(message: ChannelMessage): Promise<SendReceipt> {
      if (message.channel !== 'sms') throw new TypeError(`The SMS sender got a ${message.channel} message`);
      const body = message.content.text;
      if (!body) {
        throw new ChannelUnusableError('The message has no text for SMS', { code: 'missing_content' });
      }
      const segments = smsSegments(body);
      const credentials = await deps.credentials();
      const messages = createTwilioMessages({
        accountSid: credentials.accountSid,
        authToken: credentials.authToken,
        username: credentials.apiKeySid,
        baseUrl: settings.apiBaseUrl,
      });
      // ValidityPeriod only applies through a Messaging Service: Twilio drops the SMS from its queue
      // rather than deliver it after the request's expiry.
      const secondsLeft = message.expiresAt
        ? Math.floor((Date.parse(message.expiresAt) - now().getTime()) / 1000)
        : undefined;
      const validityPeriod =
        settings.messagingServiceSid && secondsLeft !== undefined
          ? Math.max(1, Math.min(MAX_VALIDITY_SECONDS, secondsLeft))
          : undefined;
      try {
        const sent = await messages.create({
          to: message.to,
          body,
          ...(settings.messagingServiceSid
            ? { messagingServiceSid: settings.messagingServiceSid }
            : { from: settings.from }),
          statusCallback: statusCallbackFor(settings.statusCallbackUrl, message),
          validityPeriod,
        });
        return {
          provider: 'twilio',
          providerMessageId: sent.sid,
          details: {
            encoding: segments.encoding,
            segments: segments.segments,
            units: segments.characters,
            twilioStatus: sent.status,
          },
        };
      } catch (error) {
        throw classifyTwilioError(error);
      }
    },
  };
}
