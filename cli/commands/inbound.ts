/**
 * `switchboard inbound --channel sms|whatsapp|email --from ADDRESS --text TEXT [--forged]`: the customer's side
 * — posts an inbound message to the webhook, signed as the provider signs it. On the local runtime
 * with the sandbox's credentials; on a deployed stack to the webhook URLs of its outputs
 * (`TwilioInboundWebhookUrl`, `SendGridInboundWebhookUrl`) with the credentials you give: Twilio's
 * auth token (`--twilio-auth-token` or TWILIO_AUTH_TOKEN) for X-Twilio-Signature, the Inbound Parse
 * token (`--inbound-parse-token` or SENDGRID_INBOUND_PARSE_TOKEN) for SendGrid's URL secret.
 * Emails carry passing, aligned SPF/DKIM results; `--forged` sends failing ones instead, to see a
 * forged From line recorded and flagged without changing consent (domain/sender-evidence.ts).
 */
import { parseArgs } from 'node:util';
import { localInboundParseSecret } from '../../local/inbound-secret';
import { simulateSendGridInbound, simulateTwilioInbound } from '../../local/simulate-inbound';
import type { Command } from '../command';
import { requireOutput, resolveTarget, TARGET_OPTIONS, UsageError } from '../target';

/** Where the inbound message goes and what it is signed with. */
interface InboundRoute {
  readonly httpUrl: string;
  readonly webhookUrl?: string;
  readonly secret: string;
  readonly accountSid?: string;
}

/** The `inbound` command. */
export const inboundCommand: Command = {
  summary: 'simulate a customer reply (sms, whatsapp or email), signed like the provider',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...TARGET_OPTIONS,
        channel: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        text: { type: 'string' },
        subject: { type: 'string' },
        'reply-to': { type: 'string' },
        'twilio-auth-token': { type: 'string' },
        'inbound-parse-token': { type: 'string' },
        forged: { type: 'boolean' },
      },
    });
    const { channel, from, text } = values;
    if (!from || text === undefined)
      throw new UsageError('inbound --channel sms|whatsapp|email --from … --text …');
    if (channel !== 'sms' && channel !== 'whatsapp' && channel !== 'email')
      throw new UsageError('--channel must be sms, whatsapp or email');
    const target = resolveTarget(values);
    const route = routeFor(target, channel, values);
    let result: { status: number; body: string; providerMessageId: string };
    if (channel === 'sms' || channel === 'whatsapp') {
      result = await simulateTwilioInbound({
        httpUrl: route.httpUrl,
        ...(route.webhookUrl ? { webhookUrl: route.webhookUrl } : {}),
        authToken: route.secret,
        ...(route.accountSid ? { accountSid: route.accountSid } : {}),
        channel,
        from,
        text,
        ...(values.to ? { to: values.to } : {}),
        ...(values['reply-to'] ? { inReplyToProviderMessageId: values['reply-to'] } : {}),
      });
    } else {
      result = await simulateSendGridInbound({
        httpUrl: route.httpUrl,
        ...(route.webhookUrl ? { webhookUrl: route.webhookUrl } : {}),
        from,
        text,
        ...(values.to ? { to: values.to } : {}),
        ...(values.subject ? { subject: values.subject } : {}),
        ...(values.forged ? { forged: true } : {}),
        inboundParseSecret: route.secret,
      });
    }
    if (result.status >= 300) {
      io.err(`the webhook answered ${result.status}: ${result.body}`);
      return 1;
    }
    io.out(`delivered inbound ${channel} ${result.providerMessageId} (webhook answered ${result.status})`);
    return 0;
  },
};

function routeFor(
  target: ReturnType<typeof resolveTarget>,
  channel: 'sms' | 'whatsapp' | 'email',
  values: { 'twilio-auth-token'?: string; 'inbound-parse-token'?: string },
  env: NodeJS.ProcessEnv = process.env,
): InboundRoute {
  if (target.local) {
    const token = target.local.sandbox.twilioAuthToken;
    return {
      httpUrl: target.local.httpUrl,
      secret: channel === 'email' ? localInboundParseSecret(token) : token,
    };
  }
  const remote = target.remote as NonNullable<typeof target.remote>;
  if (channel === 'email') {
    const webhookUrl = requireOutput(remote, 'SendGridInboundWebhookUrl', 'inbound --channel email');
    const secret = values['inbound-parse-token'] ?? env.SENDGRID_INBOUND_PARSE_TOKEN;
    if (!secret) {
      throw new UsageError(
        'inbound --channel email on a deployed stack needs the Inbound Parse token of its SendGrid webhook secret: --inbound-parse-token or SENDGRID_INBOUND_PARSE_TOKEN',
      );
    }
    return { httpUrl: webhookUrl, webhookUrl, secret };
  }
  const webhookUrl = requireOutput(remote, 'TwilioInboundWebhookUrl', `inbound --channel ${channel}`);
  const secret = values['twilio-auth-token'] ?? env.TWILIO_AUTH_TOKEN;
  if (!secret) {
    throw new UsageError(
      `inbound --channel ${channel} on a deployed stack signs like Twilio and needs the account's auth token: --twilio-auth-token or TWILIO_AUTH_TOKEN`,
    );
  }
  return {
    httpUrl: webhookUrl,
    webhookUrl,
    secret,
    ...(env.TWILIO_ACCOUNT_SID ? { accountSid: env.TWILIO_ACCOUNT_SID } : {}),
  };
}
