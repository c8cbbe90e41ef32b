/**
 * `journeys simulate`: the interpreter run over a list of events with a fake clock and in-memory
 * runs and timers, so a journey's author sees the path each customer takes before deploying it.
 * It calls the same {@link advance} the engine will; only storage and timers are stand-ins.
 */
import type { Journey, MessageStatus } from '../functions/contract';
import { MESSAGE_STATUSES } from '../functions/contract';
import {
  type AdvanceResult,
  advance,
  entryKeyOf,
  type JourneyCustomer,
  type JourneyEffect,
  type JourneyEvent,
  type JourneyInput,
  type JourneyRun,
  matchesEntry,
} from '../functions/domain/journeys';

/** One line of an events file: a touchpoint (Segment track) or a Switchboard event, as JSON. */
export type SimulationLine = Readonly<Record<string, unknown>>;

interface PendingTimer {
  readonly at: number;
  readonly token: string;
  readonly runKey: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Reads one events-file line as a journey event; throws with the line number when it cannot. */
export function eventOfLine(line: SimulationLine, lineNumber: number): JourneyEvent {
  const name = text(line.event) ?? text(line.type);
  const customerId = text(line.userId) ?? text(line.customerId);
  const at = text(line.timestamp) ?? text(line.at) ?? text(line.receivedAt);
  if (name === undefined || customerId === undefined || at === undefined || Number.isNaN(Date.parse(at))) {
    throw new Error(
      `events line ${lineNumber}: needs an event (or type), a userId (or customerId) and a timestamp (or at)`,
    );
  }
  const id = text(line.messageId) ?? text(line.eventId) ?? `line-${lineNumber}`;
  return { id, name, customerId, at: new Date(at).toISOString(), body: line };
}

/**
 * Plays the events in order against one journey and returns the lines of the path taken. Timers
 * due before an event fire first, at their own time; timers left after the last event fire too.
 */
export function simulateJourney(
  journey: Journey,
  lines: readonly SimulationLine[],
  customer: JourneyCustomer = {},
): string[] {
  const runs = new Map<string, JourneyRun>();
  let timers: PendingTimer[] = [];
  const out: string[] = [];
  let now = new Date(0);
  const clock = { now: () => now };

  const apply = (runKey: string, input: JourneyInput, label: string) => {
    const result = advance(runs.get(runKey), input, journey, clock);
    if (result.run !== undefined) runs.set(runKey, result.run);
    out.push(`${now.toISOString()}  ${label}${result.changed ? '' : `: ignored (${result.ignored})`}`);
    timers = applyTimers(timers, runKey, result);
    for (const effect of result.effects) {
      const line = describe(effect);
      if (line !== undefined) out.push(`    ${line}`);
    }
  };
  const fireDue = (until: number) => {
    for (;;) {
      const next = [...timers].sort((a, b) => a.at - b.at)[0];
      if (next === undefined || next.at > until) return;
      timers = timers.filter((timer) => timer !== next);
      now = new Date(next.at);
      apply(
        next.runKey,
        { kind: 'timer', token: next.token, customer },
        `timer → run ${runs.get(next.runKey)?.key}`,
      );
    }
  };

  lines.forEach((line, index) => {
    const event = eventOfLine(line, index + 1);
    const at = Date.parse(event.at);
    if (at < now.getTime())
      throw new Error(`events line ${index + 1}: ${event.at} is before the line above it`);
    fireDue(at);
    now = new Date(at);
    const status = statusOf(event.name);
    if (status !== undefined) {
      for (const [runKey, run] of runs) {
        if (run.customerId !== event.customerId) continue;
        const send = Object.entries(run.sends).find(
          ([stepId, candidate]) => candidate.requestId === line.requestId || stepId === line.step,
        );
        if (send === undefined) continue;
        const [stepId, { requestId }] = send;
        apply(
          runKey,
          { kind: 'messageStatus', requestId, status },
          `${event.name} → run ${run.key}: ${stepId} message ${status}`,
        );
      }
    }
    const active = [...runs].filter(
      ([, run]) => run.customerId === event.customerId && run.status === 'active',
    );
    for (const [runKey, run] of active)
      apply(runKey, { kind: 'event', event, customer }, `${event.name} → run ${run.key}`);
    const enters = matchesEntry(journey, event);
    if (!enters && active.length === 0 && status === undefined) {
      out.push(
        `${now.toISOString()}  ${event.name} (${event.customerId}): not an entry, and no active run of this customer`,
      );
    }
    if (enters) {
      const runKey = `${event.customerId}\n${entryKeyOf(journey, event)}`;
      apply(runKey, { kind: 'entry', event, customer }, `${event.name} (${event.customerId}) → entry`);
    }
  });
  fireDue(Number.POSITIVE_INFINITY);
  for (const run of runs.values()) {
    out.push(
      `run ${run.key} (${run.customerId}): ${run.status}${run.exit ? ` (${run.exit.reason}: ${run.exit.detail ?? ''})` : ''}`,
    );
  }
  return out;
}

function statusOf(name: string): MessageStatus | undefined {
  if (!name.startsWith('message.')) return undefined;
  const status = name.slice('message.'.length);
  return (MESSAGE_STATUSES as readonly string[]).includes(status) ? (status as MessageStatus) : undefined;
}

function applyTimers(timers: PendingTimer[], runKey: string, result: AdvanceResult): PendingTimer[] {
  let next = timers;
  for (const effect of result.effects) {
    if (effect.type === 'cancelTimer') next = next.filter((timer) => timer.token !== effect.token);
    if (effect.type === 'scheduleTimer')
      next = [...next, { at: Date.parse(effect.at), token: effect.token, runKey }];
  }
  return next;
}

function describe(effect: JourneyEffect): string | undefined {
  switch (effect.type) {
    case 'send': {
      const { request } = effect;
      const channels = request.routing?.channels?.join('>') ?? 'preferred';
      return `send ${request.template ?? 'content'} (${request.category}, ${channels}) requestId ${request.requestId}`;
    }
    case 'scheduleTimer':
      return undefined; // the timeline's `waiting` entry says it
    case 'cancelTimer':
      return `cancel timer of ${effect.token.split('.').pop()}`;
    case 'exit':
      return undefined; // the timeline's `exited` entry says it
    case 'timeline': {
      const { entry } = effect;
      const step = entry.stepId === undefined ? '' : ` ${entry.stepId}`;
      const until = entry.until === undefined ? '' : ` until ${entry.until}`;
      const detail = entry.detail === undefined ? '' : `: ${entry.detail}`;
      return `journey ${entry.event}${step}${until}${detail}`;
    }
  }
}
