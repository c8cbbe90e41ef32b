/**
 * `switchboard inbound --channel sms|whatsapp|email --from ADDRESS --text TEXT`: the customer's side
 * on the local runtime — posts an inbound message to the webhook, signed as the provider signs it
 * (Twilio: X-Twilio-Signature with the sandbox token; SendGrid Inbound Parse: the URL secret).
 */
import { parseArgs } from 'node:util';
import { localInboundParseSecret } from '../../local/inbound-secret';
import { simulateSendGridInbound, simulateTwilioInbound } from '../../local/simulate-inbound';
import type { Command } from '../command';
import { requireLocal, resolveTarget, TARGET_OPTIONS, UsageError } from '../target';

/** The `inbound` command. */
export const inboundCommand: Command = {
  summary: 'simulate a customer reply (sms, whatsapp or email) on the local runtime',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...TARGET_OPTIONS,
        channel: { type: 'string' },
        from: { type: 'string' },
        text: { type: 'string' },
        subject: { type: 'string' },
        'reply-to': { type: 'string' },
      },
    });
    const local = requireLocal(resolveTarget(values), 'inbound');
    const { channel, from, text } = values;
    if (!from || text === undefined)
      throw new UsageError('inbound --channel sms|whatsapp|email --from … --text …');
    let result: { status: number; body: string; providerMessageId: string };
    if (channel === 'sms' || channel === 'whatsapp') {
      result = await simulateTwilioInbound({
        httpUrl: local.httpUrl,
        authToken: local.sandbox.twilioAuthToken,
        channel,
        from,
        text,
        ...(values['reply-to'] ? { inReplyToProviderMessageId: values['reply-to'] } : {}),
      });
    } else if (channel === 'email') {
      result = await simulateSendGridInbound({
        httpUrl: local.httpUrl,
        from,
        text,
        ...(values.subject ? { subject: values.subject } : {}),
        inboundParseSecret: localInboundParseSecret(local.sandbox.twilioAuthToken),
      });
    } else {
      throw new UsageError('--channel must be sms, whatsapp or email');
    }
    if (result.status >= 300) {
      io.err(`the webhook answered ${result.status}: ${result.body}`);
      return 1;
    }
    io.out(`delivered inbound ${channel} ${result.providerMessageId} (webhook answered ${result.status})`);
    return 0;
  },
};
