/**
 * `switchboard timeline <customerId> [--limit N] [--json]`: the customer's unified timeline, oldest
 * first — each outbound message with its status changes per channel (fallbacks included), the
 * customer's inbound replies, and what they did on the web, in the app or a store (touchpoints),
 * interleaved by time.
 */
import { parseArgs } from 'node:util';
import type { RoutingChoice, TimelinePage } from '../../functions/domain/ledger-model';
import type { Command } from '../command';
import { resolveTarget, TARGET_OPTIONS, UsageError } from '../target';

const ICONS: Record<string, string> = { sms: '[SMS]', whatsapp: '[WA]', email: '[EMAIL]', push: '[PUSH]' };

/** Where a touchpoint happened, as the timeline labels it. */
const TOUCHPOINT_LABELS: Record<string, string> = {
  web: '[WEB]',
  mobile: '[APP]',
  server: '[SERVER]',
  store: '[STORE]',
  pos: '[POS]',
  call_center: '[CALL]',
};

/** A learned choice in words: `whatsapp (learned, p 0.93): whatsapp: 0.62 engaged over 14 sends vs …`. */
export function learnedChoiceText(choice: RoutingChoice): string {
  const how = choice.explored ? 'exploring' : 'learned';
  return `${choice.channel} (${how}, p ${choice.propensity.toFixed(2)}): ${choice.explanation}`;
}

/** One printable line of a timeline, with the time it sorts by. */
export interface TimelineLine {
  readonly at: string;
  readonly text: string;
}

/**
 * Flattens a timeline page into lines: messages and inbound replies oldest first, each message
 * followed by its own status changes (per channel, in time order), so late callbacks stay with
 * their message.
 */
export function timelineLines(page: TimelinePage): TimelineLine[] {
  const entries: { at: string; lines: TimelineLine[] }[] = [];
  for (const message of page.items) {
    const what = message.request?.template ?? message.request?.content?.text ?? message.messageId;
    const changes: TimelineLine[] = [];
    for (const attempt of message.attemptRecords) {
      for (const change of attempt.history) {
        const reason = change.reason ?? (change.status === 'failed' ? attempt.error?.code : undefined);
        changes.push({
          at: change.at,
          text: `   ${ICONS[attempt.channel] ?? attempt.channel} ${change.status}${reason ? ` (${reason})` : ''}`,
        });
      }
    }
    changes.sort((a, b) => a.at.localeCompare(b.at));
    const notes: TimelineLine[] = [
      ...(message.choice
        ? [{ at: message.createdAt, text: `   chose ${learnedChoiceText(message.choice)}` }]
        : []),
      ...(message.reasons ?? []).map((reason) => ({ at: message.createdAt, text: `   why: ${reason}` })),
      ...Object.entries(message.skipped ?? {}).map(([channel, why]) => ({
        at: message.createdAt,
        text: `   ${ICONS[channel] ?? channel} skipped (${why})`,
      })),
    ];
    entries.push({
      at: message.createdAt,
      lines: [
        {
          at: message.createdAt,
          text: `-> ${message.category ?? ''} "${truncate(String(what))}" (${message.messageId}): ${message.summaryStatus}`,
        },
        ...notes,
        ...changes,
      ],
    });
  }
  for (const inbound of page.inbound) {
    const consent = inbound.consentIntent ? ` [consent: ${inbound.consentIntent}]` : '';
    const unverified =
      inbound.senderVerified === false
        ? ` [sender not verified: ${inbound.senderUnverifiedReason ?? 'unknown'}]`
        : '';
    entries.push({
      at: inbound.receivedAt,
      lines: [
        {
          at: inbound.receivedAt,
          text: `<- ${ICONS[inbound.channel] ?? inbound.channel} "${truncate(inbound.text)}"${consent}${unverified}`,
        },
      ],
    });
  }
  // A server older than touchpoints sends no `touchpoints`.
  for (const touchpoint of page.touchpoints ?? []) {
    const where = touchpoint.channel ? (TOUCHPOINT_LABELS[touchpoint.channel] ?? touchpoint.channel) : '[?]';
    const what = touchpoint.name ? ` "${truncate(touchpoint.name)}"` : '';
    entries.push({
      at: touchpoint.occurredAt,
      lines: [{ at: touchpoint.occurredAt, text: `** ${where} ${touchpoint.type}${what}` }],
    });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at)).flatMap((entry) => entry.lines);
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

/** The `timeline` command. */
export const timelineCommand: Command = {
  summary: "print a customer's unified timeline",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...TARGET_OPTIONS, limit: { type: 'string' }, json: { type: 'boolean' } },
    });
    const customerId = positionals[0];
    if (!customerId) throw new UsageError('timeline <customerId>');
    const page = await resolveTarget(values).api.timeline(customerId, {
      limit: values.limit ? Number(values.limit) : 50,
    });
    if (values.json) io.out(JSON.stringify(page, null, 2));
    else {
      io.out(`timeline of ${customerId}`);
      for (const line of timelineLines(page))
        io.out(`${line.at.slice(0, 19).replace('T', ' ')}  ${line.text}`);
    }
    return 0;
  },
};
