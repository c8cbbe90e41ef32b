/**
 * The journey interpreter: one pure function from a run's state and one input to the next state
 * and the effects the engine must carry out. It reads no clock but the one it is given and talks to
 * nothing, so an engine on DynamoDB and EventBridge Scheduler (or a test, or `journeys simulate`)
 * can replay any input: a duplicate event, a timer that fires twice or late, an input for another
 * key all come back `changed: false`.
 */
import { createHash } from 'node:crypto';
import type { Journey } from '../../contract';
import { canMoveTo, isTerminal } from '../status-rank';
import { isHeldOut } from './journey-cohorts';
import { entryKeyOf, matchesEntry, matchesEvent } from './journey-conditions';
import { JourneyVersionMismatchError } from './journey-errors';
import {
  type AdvanceResult,
  type JourneyClock,
  type JourneyInput,
  type JourneyRun,
  StepOutcome,
} from './journey-run';
import { addIsoDuration } from './journey-time';
import {
  draftOf,
  exitRun,
  finish,
  following,
  type RunDraft,
  remember,
  runFrom,
  timeline,
  took,
} from './run-draft';

/**
 * How old an entry event may be when it arrives: a day. A backfill of last year's orders, or an
 * anonymous visitor's history moved onto her profile weeks later, must not start thank-yous and
 * reminders for long-past carts; an event from the last day (a visitor who logs in later that
 * day, a store's till that syncs at night) still does.
 */
const MAX_ENTRY_AGE_MS = 24 * 60 * 60 * 1000;

/** The id of the run an entry event starts: the same for every copy of that event. */
export function runIdFor(journeyId: string, customerId: string, key: string, entryEventId: string): string {
  const digest = createHash('sha256')
    .update([journeyId, customerId, key, entryEventId].join('\n'))
    .digest('hex');
  return `jr_${digest.slice(0, 32)}`;
}

/**
 * Advances a run by one input. `run` is the stored run of the customer × journey × key (undefined
 * when there is none); `journey` must be the version the run started on (a new run takes the
 * version given). Returns the next run, whether it changed (write it only then, conditioned on the
 * version read) and the effects, in order.
 */
export function advance(
  run: JourneyRun | undefined,
  input: JourneyInput,
  journey: Journey,
  clock: JourneyClock,
): AdvanceResult {
  const now = clock.now();
  if (input.kind === 'entry') return enter(run, input, journey, now);
  if (run === undefined) return unchanged(run, 'no run to advance');
  if (run.status === 'exited') return unchanged(run, `the run has ended (${run.exit?.reason ?? 'exited'})`);
  if (run.journeyVersion !== journey.version) {
    throw new JourneyVersionMismatchError(journey.id, run.journeyVersion, journey.version);
  }
  const draft = draftOf(run, now);
  switch (input.kind) {
    case 'event': {
      const { event } = input;
      if (event.customerId !== run.customerId) return unchanged(run, 'the event is for another customer');
      if (run.seenEventIds.includes(event.id) || run.entry.id === event.id) {
        return unchanged(run, 'duplicate event');
      }
      const goal = journey.exitOn.find((match) => matchesEvent(match, journey, event, run.key));
      if (goal !== undefined) {
        remember(draft, event.id);
        exitRun(draft, 'goal', goal.event);
        return changed(draft);
      }
      const position = run.position;
      const step = journey.steps.find((candidate) => candidate.id === position?.stepId);
      if (step?.type !== 'waitFor' || !matchesEvent(step, journey, event, run.key)) {
        return unchanged(run, 'not a goal, and the run is not waiting for this event');
      }
      remember(draft, event.id);
      draft.matched[step.id] = event;
      draft.effects.push({ type: 'cancelTimer', runId: run.runId, token: position!.timerToken });
      draft.position = undefined;
      took(draft, step.id, StepOutcome.event(event.name));
      runFrom(draft, step.onEvent, journey, input.customer);
      return changed(draft);
    }
    case 'timer': {
      const position = run.position;
      if (position === undefined || position.timerToken !== input.token) return unchanged(run, 'stale timer');
      const step = journey.steps.find((candidate) => candidate.id === position.stepId);
      draft.position = undefined;
      if (step?.type === 'waitFor') {
        took(draft, step.id, StepOutcome.TIMEOUT);
        runFrom(draft, step.onTimeout, journey, input.customer);
      } else if (step?.type === 'wait') {
        took(draft, step.id, StepOutcome.WAITED);
        runFrom(draft, step.next ?? following(journey, step), journey, input.customer);
      } else {
        return unchanged(run, `the run waits in "${position.stepId}", which is not a wait step`);
      }
      return changed(draft);
    }
    case 'messageStatus': {
      const entry = Object.entries(run.sends).find(([, send]) => send.requestId === input.requestId);
      if (entry === undefined) return unchanged(run, 'not a message of this run');
      const [stepId, send] = entry;
      // The message's rolled-up status moves forward only, except that a fallback can recover a
      // message whose first attempt failed.
      const recovers = send.status !== undefined && isTerminal(send.status) && !isTerminal(input.status);
      if (!canMoveTo(send.status, input.status) && !recovers) return unchanged(run, 'an older status');
      draft.sends[stepId] = { ...send, status: input.status };
      return changed(draft);
    }
    case 'cancel':
      exitRun(draft, 'cancelled', input.detail);
      return changed(draft);
  }
}

function enter(
  run: JourneyRun | undefined,
  input: Extract<JourneyInput, { kind: 'entry' }>,
  journey: Journey,
  now: Date,
): AdvanceResult {
  const { event, customer } = input;
  if (!matchesEntry(journey, event)) return unchanged(run, 'the event does not match the entry');
  if (now.getTime() - Date.parse(event.at) > MAX_ENTRY_AGE_MS) {
    return unchanged(
      run,
      'the entry event happened more than a day before it arrived (a backfill or a replay)',
    );
  }
  const key = entryKeyOf(journey, event) ?? '';
  if (run !== undefined) {
    if (run.journeyId !== journey.id || run.customerId !== event.customerId || run.key !== key) {
      throw new RangeError(`the run given is not for ${journey.id} × this customer × key "${key}"`);
    }
    if (run.entry.id === event.id || run.seenEventIds.includes(event.id))
      return unchanged(run, 'duplicate event');
    if (run.status === 'active') return unchanged(run, 'a run is already active for this customer and key');
    const { reentry } = journey.entry;
    if (reentry === 'never') return unchanged(run, 're-entry: never');
    if (typeof reentry === 'object') {
      const allowedFrom = addIsoDuration(new Date(run.enteredAt), reentry.after);
      if (now < allowedFrom)
        return unchanged(run, `re-entry after ${reentry.after}: not before ${allowedFrom.toISOString()}`);
    }
  }
  const fresh: JourneyRun = {
    runId: runIdFor(journey.id, event.customerId, key, event.id),
    journeyId: journey.id,
    journeyVersion: journey.version,
    customerId: event.customerId,
    key,
    status: 'active',
    version: 0,
    heldOut: isHeldOut(journey.id, event.customerId, journey.holdout),
    enteredAt: now.toISOString(),
    entry: event,
    matched: {},
    sends: {},
    seenEventIds: [],
    path: [],
  };
  const draft = draftOf(fresh, now);
  remember(draft, event.id);
  timeline(draft, { event: 'entered', detail: `${event.name}, key ${key}` });
  if (draft.heldOut)
    timeline(draft, { event: 'held-out', detail: `holdout ${journey.holdout}%: sends nothing` });
  const first = journey.steps[0];
  if (first !== undefined) runFrom(draft, first.id, journey, customer);
  return changed(draft);
}

function unchanged(run: JourneyRun | undefined, why: string): AdvanceResult {
  return { run, changed: false, effects: [], ignored: why };
}

function changed(draft: RunDraft): AdvanceResult {
  return { run: finish(draft), changed: true, effects: draft.effects };
}
