/**
 * Which channels use a real provider on the local runtime: those whose credentials are in the
 * providers' usual environment variables (functions/config.ts `CredentialsEnv`) — for SMS and
 * WhatsApp, with that channel's Twilio sender (`TwilioEnv`) too. Every other channel
 * uses the sandbox, so that `npm start` needs no provider account.
 */
import { CredentialsEnv, TwilioEnv } from '../functions/config';
import type { Channel } from '../functions/contract';

/** The channels with real provider credentials in `env`. */
export function channelsWithRealCredentials(env: NodeJS.ProcessEnv = process.env): ReadonlySet<Channel> {
  const set = (name: string) => Boolean(env[name]?.trim());
  const channels = new Set<Channel>();
  // A Twilio account often sends SMS only (or WhatsApp only): each channel needs its sender too, so
  // the other one stays on the sandbox instead of failing the start.
  if (set(CredentialsEnv.TWILIO_ACCOUNT_SID) && set(CredentialsEnv.TWILIO_AUTH_TOKEN)) {
    const service = set(TwilioEnv.MESSAGING_SERVICE_SID);
    if (service || set(TwilioEnv.SMS_FROM)) channels.add('sms');
    if (service || set(TwilioEnv.WHATSAPP_FROM)) channels.add('whatsapp');
  }
  if (set(CredentialsEnv.SENDGRID_API_KEY)) channels.add('email');
  if (
    set(CredentialsEnv.FCM_SERVICE_ACCOUNT_JSON) ||
    (set(CredentialsEnv.VAPID_PUBLIC_KEY) && set(CredentialsEnv.VAPID_PRIVATE_KEY))
  ) {
    channels.add('push');
  }
  return channels;
}
