/**
 * A run being advanced: a mutable copy of the stored run plus the effects decided so far, and the
 * step walk that runs from a step until the run waits or exits. Only the interpreter
 * ({@link advance}) uses it; callers see immutable runs.
 */
import {
  type Journey,
  type JourneyStep,
  journeyMetadata,
  type MessageRequest,
  type MessageStatus,
} from '../../contract';
import { splitPathIndex } from './journey-cohorts';
import { conditionsHold, readPath } from './journey-conditions';
import { JourneyDefinitionError } from './journey-errors';
import {
  type ExitReason,
  type JourneyCustomer,
  type JourneyEffect,
  type JourneyEvent,
  type JourneyRun,
  type JourneyTimelineEntry,
  type RunPathEntry,
  type RunPosition,
  type RunSend,
  StepOutcome,
} from './journey-run';
import { addIsoDuration, nextLocalTime } from './journey-time';

/** How many event ids a run remembers for de-duplication (a run matches a handful of events). */
export const SEEN_EVENT_IDS_KEPT = 50;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A run being changed by one advance. */
export interface RunDraft extends Mutable<Omit<JourneyRun, 'matched' | 'sends' | 'seenEventIds' | 'path'>> {
  matched: Record<string, JourneyEvent>;
  sends: Record<string, RunSend>;
  seenEventIds: string[];
  path: RunPathEntry[];
  readonly effects: JourneyEffect[];
  readonly now: Date;
}

/** A draft of a stored run, for one advance at `now`. */
export function draftOf(run: JourneyRun, now: Date): RunDraft {
  return {
    ...run,
    matched: { ...run.matched },
    sends: { ...run.sends },
    seenEventIds: [...run.seenEventIds],
    path: [...run.path],
    effects: [],
    now,
  };
}

/** The run a draft became: its version raised by one. */
export function finish(draft: RunDraft): JourneyRun {
  const { effects: _effects, now: _now, ...run } = draft;
  return { ...run, version: draft.version + 1 };
}

/** Adds a `journey` timeline entry for the draft's run. */
export function timeline(
  draft: RunDraft,
  entry: Pick<JourneyTimelineEntry, 'event' | 'stepId' | 'until' | 'detail'>,
) {
  draft.effects.push({
    type: 'timeline',
    entry: {
      kind: 'journey',
      journeyId: draft.journeyId,
      journeyVersion: draft.journeyVersion,
      runId: draft.runId,
      customerId: draft.customerId,
      at: draft.now.toISOString(),
      ...entry,
    },
  });
}

/** Records a step taken on the run's path and the timeline. */
export function took(draft: RunDraft, stepId: string, outcome: string): void {
  draft.path.push({ stepId, at: draft.now.toISOString(), outcome });
  timeline(draft, { event: 'step', stepId, detail: outcome });
}

/** Remembers an applied event id, keeping the last {@link SEEN_EVENT_IDS_KEPT}. */
export function remember(draft: RunDraft, eventId: string): void {
  draft.seenEventIds.push(eventId);
  if (draft.seenEventIds.length > SEEN_EVENT_IDS_KEPT) draft.seenEventIds.shift();
}

/** Ends the run: its pending timer is cancelled and the exit recorded. */
export function exitRun(draft: RunDraft, reason: ExitReason, detail?: string): void {
  if (draft.position !== undefined) {
    draft.effects.push({ type: 'cancelTimer', runId: draft.runId, token: draft.position.timerToken });
  }
  const waitedIn = draft.position?.stepId;
  draft.position = undefined;
  draft.status = 'exited';
  draft.exit = {
    reason,
    at: draft.now.toISOString(),
    ...(detail === undefined ? {} : { detail }),
    ...(waitedIn === undefined ? {} : { waitedIn }),
  };
  draft.effects.push({
    type: 'exit',
    runId: draft.runId,
    reason,
    ...(detail === undefined ? {} : { detail }),
  });
  timeline(draft, { event: 'exited', detail: detail === undefined ? reason : `${reason}: ${detail}` });
}

/** The requestId of a send step's message: the run and the step, so a step sends at most once. */
export function requestIdFor(runId: string, stepId: string): string {
  return `${runId}.${stepId}`;
}

/** The token of a step's timer: stale once the run has left that step or a new run has started. */
export function timerTokenFor(runId: string, stepId: string): string {
  return `${runId}.${stepId}`;
}

function stepById(journey: Journey, stepId: string): JourneyStep {
  const step = journey.steps.find((candidate) => candidate.id === stepId);
  if (step === undefined) throw new JourneyDefinitionError(journey.id, `no step "${stepId}"`);
  return step;
}

/** The step after one that says no `next`: the following step in the list. */
export function following(journey: Journey, step: JourneyStep): string {
  const index = journey.steps.indexOf(step);
  const after = journey.steps[index + 1];
  if (after === undefined)
    throw new JourneyDefinitionError(journey.id, `step "${step.id}" is last and does not exit`);
  return after.id;
}

/** What branch conditions read: `entry.…`, `events.<waitFor step>.…`, `customer.attributes.…`. */
function branchSource(draft: RunDraft, customer: JourneyCustomer): Record<string, unknown> {
  const events = Object.fromEntries(
    Object.entries(draft.matched).map(([stepId, event]) => [stepId, event.body]),
  );
  return {
    entry: draft.entry.body,
    events,
    customer: { attributes: customer.attributes ?? {}, timezone: customer.timezone },
  };
}

/**
 * Template data: the entry's properties, then each matched event's, then the step's `dataFrom`
 * paths read from the run (as a branch reads them), then its own `data`; later ones win.
 */
function templateData(
  draft: RunDraft,
  step: Extract<JourneyStep, { type: 'send' }>,
  customer: JourneyCustomer,
): Record<string, unknown> {
  const propertiesOf = (event: JourneyEvent) => {
    const properties = event.body.properties;
    return properties !== null && typeof properties === 'object'
      ? (properties as Record<string, unknown>)
      : {};
  };
  const source = branchSource(draft, customer);
  const fromPaths = Object.entries(step.dataFrom ?? {})
    .map(([name, path]) => [name, readPath(source, path)] as const)
    .filter(([, value]) => value !== undefined);
  return Object.assign(
    {},
    propertiesOf(draft.entry),
    ...Object.values(draft.matched).map(propertiesOf),
    Object.fromEntries(fromPaths),
    step.data,
  );
}

function sendRequest(
  draft: RunDraft,
  step: Extract<JourneyStep, { type: 'send' }>,
  customer: JourneyCustomer,
): MessageRequest {
  return {
    schemaVersion: 1,
    requestId: requestIdFor(draft.runId, step.id),
    customerId: draft.customerId,
    category: step.category,
    ...(step.template === undefined
      ? { content: step.content }
      : { template: step.template, data: templateData(draft, step, customer) }),
    ...(step.routing === undefined ? {} : { routing: step.routing }),
    metadata: journeyMetadata({
      journeyId: draft.journeyId,
      journeyVersion: draft.journeyVersion,
      runId: draft.runId,
      key: draft.key,
      stepId: step.id,
    }),
  };
}

function waitIn(draft: RunDraft, step: JourneyStep, until: Date): void {
  const token = timerTokenFor(draft.runId, step.id);
  const position: RunPosition = {
    stepId: step.id,
    since: draft.now.toISOString(),
    until: until.toISOString(),
    timerToken: token,
  };
  draft.position = position;
  draft.effects.push({ type: 'scheduleTimer', runId: draft.runId, at: position.until, token });
  timeline(draft, { event: 'waiting', stepId: step.id, until: position.until });
}

/**
 * Runs steps from `stepId` until the run waits (wait, waitFor) or exits. Journeys are acyclic
 * (`journeys check` refuses cycles), so each step is taken at most once per run; the walk stops
 * with an error rather than loop if a document that was not checked has a cycle.
 */
export function runFrom(draft: RunDraft, stepId: string, journey: Journey, customer: JourneyCustomer): void {
  let current = stepId;
  for (let taken = 0; taken <= journey.steps.length; taken += 1) {
    const step = stepById(journey, current);
    switch (step.type) {
      case 'send': {
        if (draft.heldOut) {
          took(draft, step.id, StepOutcome.HELD_OUT);
        } else if (draft.sends[step.id] === undefined) {
          const request = sendRequest(draft, step, customer);
          draft.sends[step.id] = { requestId: request.requestId };
          draft.effects.push({ type: 'send', stepId: step.id, request });
          took(draft, step.id, StepOutcome.sent(step.template ?? 'content'));
        }
        current = step.next ?? following(journey, step);
        break;
      }
      case 'wait': {
        const until =
          step.duration !== undefined
            ? addIsoDuration(draft.now, step.duration)
            : nextLocalTime(draft.now, step.until ?? '00:00', customer.timezone ?? 'UTC');
        waitIn(draft, step, until);
        return;
      }
      case 'waitFor':
        waitIn(draft, step, addIsoDuration(draft.now, step.timeout));
        return;
      case 'branch': {
        const source = branchSource(draft, customer);
        const statusOf = (id: string): MessageStatus | undefined => draft.sends[id]?.status;
        const index = step.cases.findIndex((candidate) => conditionsHold(candidate.when, source, statusOf));
        const chosen = step.cases[index];
        took(draft, step.id, chosen === undefined ? StepOutcome.OTHERWISE : StepOutcome.case(index + 1));
        current = chosen?.next ?? step.otherwise ?? following(journey, step);
        break;
      }
      case 'split': {
        const percents = step.paths.map((path) => path.percent);
        const index = splitPathIndex(draft.journeyId, step.id, draft.customerId, percents);
        took(draft, step.id, StepOutcome.path(index + 1));
        current = step.paths[index]?.next ?? following(journey, step);
        break;
      }
      case 'exit':
        draft.path.push({ stepId: step.id, at: draft.now.toISOString(), outcome: StepOutcome.EXIT });
        exitRun(draft, 'completed', step.reason ?? step.id);
        return;
    }
  }
  throw new JourneyDefinitionError(journey.id, `steps loop from "${stepId}"`);
}
