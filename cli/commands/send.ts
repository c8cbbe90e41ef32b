/**
 * `switchboard send`: one message request, from flags or a JSON file (`--file request.json`).
 *
 *   switchboard send --customer ada --text "Your order has shipped" [--channel sms,email] [--strategy learned]
 *   switchboard send --customer ada --template cart-reminder --data '{"item":"Boots"}'
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MessageRequestInput } from '../../functions/contract';
import type { Command } from '../command';
import { resolveTarget, TARGET_OPTIONS, UsageError } from '../target';

/** Builds a MessageRequest from `send` flags (the contract validates it before it is sent). */
export function requestFromFlags(values: Record<string, string | boolean | undefined>): MessageRequestInput {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (str('file')) return JSON.parse(readFileSync(str('file') as string, 'utf8')) as MessageRequestInput;
  const customerId = str('customer');
  if (!customerId) throw new UsageError('--customer is required (or --file with a MessageRequest)');
  const template = str('template');
  const text = str('text');
  if (!template && !text && !str('html')) throw new UsageError('give --text, --html or --template');
  const channels = str('channel')
    ?.split(',')
    .map((c) => c.trim());
  const content = {
    ...(text ? { text } : {}),
    ...(str('html') ? { html: str('html') } : {}),
    ...(str('subject') ? { subject: str('subject') } : {}),
    ...(str('title') ? { title: str('title') } : {}),
    ...(str('url') ? { url: str('url') } : {}),
  };
  return {
    schemaVersion: 1,
    requestId: str('request-id') ?? randomUUID(),
    customerId,
    category: (str('category') ?? 'transactional') as MessageRequestInput['category'],
    ...(template ? { template } : { content }),
    ...(str('data') ? { data: JSON.parse(str('data') as string) } : {}),
    ...(channels || str('strategy')
      ? {
          routing: {
            ...(channels ? { channels: channels as never } : {}),
            ...(str('strategy') ? { strategy: str('strategy') as never } : {}),
          },
        }
      : {}),
    ...(str('send-at') ? { sendAt: str('send-at') } : {}),
  } as MessageRequestInput;
}

/** The `send` command. */
export const sendCommand: Command = {
  summary: 'send a message request (flags or --file request.json)',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...TARGET_OPTIONS,
        file: { type: 'string' },
        customer: { type: 'string' },
        text: { type: 'string' },
        html: { type: 'string' },
        subject: { type: 'string' },
        title: { type: 'string' },
        url: { type: 'string' },
        template: { type: 'string' },
        strategy: { type: 'string' },
        data: { type: 'string' },
        channel: { type: 'string' },
        category: { type: 'string' },
        'request-id': { type: 'string' },
        'send-at': { type: 'string' },
      },
    });
    const request = requestFromFlags(values);
    const accepted = await resolveTarget(values).api.sendMessage(request);
    io.out(`accepted: message ${accepted.messageId} (request ${accepted.requestId})`);
    return 0;
  },
};
