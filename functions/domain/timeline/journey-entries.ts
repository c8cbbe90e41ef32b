/**
 * A journey run as its timeline entries: entered, held out, each step taken with its outcome, each
 * wait, and the exit with why — derived from the run as stored (its `path`, `position` and `exit`),
 * so the timeline needs no item of its own per step and cannot disagree with the run.
 *
 * They match the `timeline` effects the interpreter emitted while advancing the run (advance.ts,
 * run-draft.ts), with one difference: a wait the run has left says when it began but not the time
 * its timer was set for (the run keeps that only for the wait it is in now), and the wait a goal or a
 * cancel ended names no step (an ended run keeps no position). An exit step is shown
 * by the `exited` entry, as the interpreter does. A run replaced by re-entry leaves the timeline
 * with its item; the messages it sent stay, each naming its journey and step in its metadata.
 */
import type { TimelineJourneyEntry } from '../../contract';
import { askedToSend, type JourneyRun, leftWait, StepOutcome } from '../journeys/journey-run';

/** The fields of a stored run its entries are derived from. */
export type RunOnTimeline = Pick<
  JourneyRun,
  'runId' | 'journeyId' | 'journeyVersion' | 'key' | 'heldOut' | 'enteredAt' | 'path' | 'exit'
> & {
  readonly entry: { readonly name: string };
  readonly position?: Pick<NonNullable<JourneyRun['position']>, 'stepId' | 'since' | 'until'>;
  readonly sends: Readonly<Record<string, { readonly requestId: string }>>;
};

/** The entries of one run, oldest first (entries at the same instant in the order they happened). */
export function journeyEntries(run: RunOnTimeline): TimelineJourneyEntry[] {
  const base = {
    type: 'journey',
    journeyId: run.journeyId,
    journeyVersion: run.journeyVersion,
    runId: run.runId,
    key: run.key,
  } as const;
  const entries: TimelineJourneyEntry[] = [
    { ...base, at: run.enteredAt, event: 'entered', entryEvent: run.entry.name },
  ];
  if (run.heldOut) entries.push({ ...base, at: run.enteredAt, event: 'held-out' });
  // Steps between two waits are taken in one advance, at one instant: a wait began when the step
  // before it was taken (or at entry).
  let arrivedAt = run.enteredAt;
  let exitStepId: string | undefined;
  for (const taken of run.path) {
    if (taken.outcome === StepOutcome.EXIT) {
      exitStepId = taken.stepId;
      continue;
    }
    if (leftWait(taken.outcome))
      entries.push({ ...base, at: arrivedAt, event: 'waiting', stepId: taken.stepId });
    const requestId = askedToSend(taken.outcome) ? run.sends[taken.stepId]?.requestId : undefined;
    entries.push({
      ...base,
      at: taken.at,
      event: 'step',
      stepId: taken.stepId,
      ...(taken.outcome === undefined ? {} : { outcome: taken.outcome }),
      ...(requestId === undefined ? {} : { requestId }),
    });
    arrivedAt = taken.at;
  }
  if (run.position !== undefined) {
    const { stepId, since, until } = run.position;
    entries.push({ ...base, at: since, event: 'waiting', stepId, until });
  }
  // A goal or a cancel ends a run only while it waits; the run keeps no position once ended, so
  // that last wait began when the step before it was taken, in the step its exit names.
  const endedWaiting = run.exit !== undefined && run.exit.reason !== 'completed';
  if (endedWaiting && exitStepId === undefined) {
    const stepId = run.exit?.waitedIn;
    entries.push({ ...base, at: arrivedAt, event: 'waiting', ...(stepId === undefined ? {} : { stepId }) });
  }
  if (run.exit !== undefined) {
    entries.push({
      ...base,
      at: run.exit.at,
      event: 'exited',
      reason: run.exit.reason,
      ...(run.exit.reason === 'completed' && exitStepId !== undefined ? { stepId: exitStepId } : {}),
      ...(run.exit.detail === undefined ? {} : { detail: run.exit.detail }),
    });
  }
  return entries;
}
