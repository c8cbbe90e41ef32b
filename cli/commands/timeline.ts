/**
 * `switchboard timeline <customerId> [--limit N] [--types a,b] [--channels a,b] [--since ISO] [--json]`:
 * the customer's unified timeline, oldest first — each outbound message with its status changes per
 * channel (fallbacks included), replies, consent changes, what they did on the web, in the app or a
 * store (touchpoints), conversions with the message credited, and clicks, interleaved by time.
 */
import { parseArgs } from 'node:util';
import {
  journeyOriginOf,
  type TimelineChannel,
  type TimelineConversionEntry,
  type TimelineEntry,
  type TimelineEntryType,
  type TimelineJourneyEntry,
  type TimelineMessageEntry,
  type TimelinePage,
} from '../../functions/contract';
import type { RoutingChoice } from '../../functions/domain/ledger-model';
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
 * Flattens a timeline page into lines, oldest first: each message followed by its own status changes
 * (per channel, in time order, so late callbacks stay with their message), replies, consent changes,
 * touchpoints with where they happened, conversions with their revenue and the message credited,
 * and clicks with their message.
 */
export function timelineLines(page: TimelinePage): TimelineLine[] {
  return [...page.entries].reverse().flatMap(entryLines);
}

function entryLines(entry: TimelineEntry): TimelineLine[] {
  const line = (text: string): TimelineLine[] => [{ at: entry.at, text }];
  switch (entry.type) {
    case 'message':
      return messageLines(entry);
    case 'inbound': {
      const consent = entry.consentIntent ? ` [consent: ${entry.consentIntent}]` : '';
      const unverified =
        entry.senderVerified === false
          ? ` [sender not verified: ${entry.senderUnverifiedReason ?? 'unknown'}]`
          : '';
      return line(`<- ${channelLabel(entry.channel)} "${truncate(entry.text)}"${consent}${unverified}`);
    }
    case 'consent':
      return line(
        `== ${channelLabel(entry.channel)} ${entry.category} ${entry.status.replace('_', '-')} (${entry.source}${entry.reason ? `: ${entry.reason}` : ''})`,
      );
    case 'touchpoint': {
      const what = entry.name ? ` "${truncate(entry.name)}"` : '';
      return line(`** ${channelLabel(entry.channel)} ${entry.call}${what}`);
    }
    case 'conversion':
      return line(
        `$$ ${channelLabel(entry.channel)} "${truncate(entry.event)}"${revenueText(entry)}, ${creditText(entry)}`,
      );
    case 'click':
      return line(`>> ${channelLabel(entry.channel)} clicked ${truncate(entry.url)} (${entry.messageId})`);
    case 'journey':
      return line(`~~ journey ${entry.journeyId} ${journeyMoment(entry)}`);
    default:
      return [];
  }
}

function messageLines(message: TimelineMessageEntry): TimelineLine[] {
  const what = message.request?.template ?? message.request?.content?.text ?? message.messageId;
  const changes: TimelineLine[] = [];
  for (const attempt of message.attempts) {
    for (const change of attempt.history) {
      const reason = change.reason ?? (change.status === 'failed' ? attempt.error?.code : undefined);
      changes.push({
        at: change.at,
        text: `   ${channelLabel(attempt.channel)} ${change.status}${reason ? ` (${reason})` : ''}`,
      });
    }
  }
  changes.sort((a, b) => a.at.localeCompare(b.at));
  const note = (text: string): TimelineLine => ({ at: message.at, text });
  return [
    note(
      `-> ${message.category ?? ''} "${truncate(String(what))}" (${message.messageId}): ${message.status}`,
    ),
    ...journeyLines(message).map(note),
    ...(message.choice ? [note(`   chose ${learnedChoiceText(message.choice)}`)] : []),
    ...message.reasons.map((reason) => note(`   why: ${reason}`)),
    ...Object.entries(message.skipped).map(([channel, why]) =>
      note(`   ${channelLabel(channel)} skipped (${why})`),
    ),
    ...changes,
  ];
}

/** A journey run's moment in words: `entered on Product Added (key c-1)`, `exited: goal (Order Completed)`. */
function journeyMoment(entry: TimelineJourneyEntry): string {
  const key = entry.key !== '-' ? ` (key ${entry.key})` : '';
  switch (entry.event) {
    case 'entered':
      return `entered${entry.entryEvent ? ` on ${entry.entryEvent}` : ''}${key}`;
    case 'held-out':
      return `held out${key}: sends nothing`;
    case 'waiting':
      return `waiting in ${entry.stepId ?? '?'}${entry.until ? ` until ${entry.until}` : ''}`;
    case 'step':
      return `step ${entry.stepId ?? '?'}: ${entry.outcome ?? 'taken'}`;
    case 'exited':
      return `exited: ${entry.reason ?? 'ended'}${entry.detail ? ` (${entry.detail})` : ''}`;
  }
}

/** Why a journey's message was sent: the journey and step its metadata names (journey-engine.ts). */
function journeyLines(message: TimelineMessageEntry): string[] {
  const { journeyId, stepId, key } = journeyOriginOf(message.metadata);
  if (journeyId === undefined) return [];
  const forKey = key !== undefined && key !== '-' ? ` for ${key}` : '';
  return [`   sent by journey ${journeyId}, step ${stepId ?? '?'}${forKey}`];
}

/** ` 89.90 EUR` when the conversion has a revenue. */
function revenueText(conversion: TimelineConversionEntry): string {
  if (conversion.revenue === undefined) return '';
  return ` ${conversion.revenue.toFixed(2)}${conversion.currency ? ` ${conversion.currency}` : ''}`;
}

/** The message credited under last touch (the default model), or each credited message. */
function creditText(conversion: TimelineConversionEntry): string {
  const last = conversion.credits.filter((credit) => credit.weight.last > 0);
  const credited = last.length > 0 ? last : conversion.credits;
  if (credited.length === 0) return 'no message credited';
  return `credited ${credited.map((credit) => `${channelLabel(credit.channel)} ${credit.messageId}`).join(', ')}`;
}

function channelLabel(channel: string | undefined): string {
  if (channel === undefined) return '[?]';
  return ICONS[channel] ?? TOUCHPOINT_LABELS[channel] ?? channel;
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
      options: {
        ...TARGET_OPTIONS,
        limit: { type: 'string' },
        types: { type: 'string' },
        channels: { type: 'string' },
        since: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const customerId = positionals[0];
    if (!customerId)
      throw new UsageError(
        'timeline <customerId> [--types message,touchpoint] [--channels sms,web] [--since ISO]',
      );
    // The API checks the names and answers 400 with the field for a bad one.
    const page = await resolveTarget(values).api.timeline(customerId, {
      limit: values.limit ? Number(values.limit) : 50,
      ...(values.types ? { types: values.types.split(',') as TimelineEntryType[] } : {}),
      ...(values.channels ? { channels: values.channels.split(',') as TimelineChannel[] } : {}),
      ...(values.since ? { since: values.since } : {}),
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
