/**
 * A journey's counts (`journeys stats`, `GET /v1/journeys/{journeyId}/stats`): what one advance of
 * a run changed — entered, held out, waiting per step, steps taken per step and outcome, exited per
 * reason, converted — as a delta of named counters, and the stats read back from summed counters.
 * The counters are plain numbers added together, so an adapter can keep them sharded and sum them
 * on read; a run state that did not change gives an empty delta.
 */
import type { Journey, JourneyStats, JourneyStepStats } from '../../contract';
import { type ExitReason, ExitReason as ExitReasons, type JourneyRun } from './journey-run';

/** Counters to add to one journey version's counts. */
export interface JourneyStatsDelta {
  readonly journeyId: string;
  readonly journeyVersion: number;
  /** Counter name ({@link JourneyCounter}) → amount, never 0; empty when nothing changed. */
  readonly counters: Readonly<Record<string, number>>;
}

/** The names of the counters, as the adapter stores them (step ids never hold `#`). */
export const JourneyCounter = {
  ENTERED: 'entered',
  HELD_OUT: 'heldOut',
  CONVERTED: 'converted',
  /** Conversions of held-out runs: the baseline a journey's lift is measured against. */
  HELD_OUT_CONVERTED: 'converted#heldOut',
  exited: (reason: ExitReason) => `exited#${reason}`,
  waiting: (stepId: string) => `waiting#${stepId}`,
  taken: (stepId: string) => `taken#${stepId}`,
  outcome: (stepId: string, outcome: string) => `outcome#${stepId}#${outcome}`,
} as const;

/** An exit that counts as a conversion: the run ended on a goal (`exitOn`). */
export function isConversion(reason: ExitReason | undefined): boolean {
  return reason === ExitReasons.GOAL;
}

/**
 * What changed in a run's counts between two states of it. `before` is the stored state (undefined
 * for a new run; a run with another `runId` is an ended run being replaced, so `after` is new).
 */
export function journeyStatsDelta(before: JourneyRun | undefined, after: JourneyRun): JourneyStatsDelta {
  const previous = before?.runId === after.runId ? before : undefined;
  const counters: Record<string, number> = {};
  const add = (name: string, amount: number) => {
    const total = (counters[name] ?? 0) + amount;
    if (total === 0) delete counters[name];
    else counters[name] = total;
  };
  if (previous === undefined) {
    add(JourneyCounter.ENTERED, 1);
    if (after.heldOut) add(JourneyCounter.HELD_OUT, 1);
  }
  const waitedIn = previous?.position?.stepId;
  const waitsIn = after.position?.stepId;
  if (waitedIn !== waitsIn) {
    if (waitedIn !== undefined) add(JourneyCounter.waiting(waitedIn), -1);
    if (waitsIn !== undefined) add(JourneyCounter.waiting(waitsIn), 1);
  }
  for (const entry of after.path.slice(previous?.path.length ?? 0)) {
    add(JourneyCounter.taken(entry.stepId), 1);
    if (entry.outcome !== undefined) add(JourneyCounter.outcome(entry.stepId, entry.outcome), 1);
  }
  if (after.exit !== undefined && previous?.exit === undefined) {
    add(JourneyCounter.exited(after.exit.reason), 1);
    if (isConversion(after.exit.reason)) {
      add(JourneyCounter.CONVERTED, 1);
      if (after.heldOut) add(JourneyCounter.HELD_OUT_CONVERTED, 1);
    }
  }
  return { journeyId: after.journeyId, journeyVersion: after.journeyVersion, counters };
}

/**
 * The stats of a journey from its counters summed over every shard and version (none below 0). Steps are listed
 * in the current document's order, then the steps only earlier versions had (`earlier`, newest
 * first); counters of a step in no known document are left out, as its type is not known.
 */
export function journeyStatsOf(
  current: Journey,
  counters: Readonly<Record<string, number>>,
  earlier: readonly Journey[] = [],
): JourneyStats {
  const count = (name: string) => atLeastZero(counters[name]);
  const steps = new Map<string, JourneyStepStats>();
  for (const journey of [current, ...earlier]) {
    for (const step of journey.steps) {
      if (steps.has(step.id)) continue;
      steps.set(step.id, {
        stepId: step.id,
        type: step.type,
        taken: count(JourneyCounter.taken(step.id)),
        waiting: count(JourneyCounter.waiting(step.id)),
        outcomes: outcomesOf(counters, step.id),
      });
    }
  }
  const listed = [...steps.values()];
  const entered = count(JourneyCounter.ENTERED);
  const heldOut = count(JourneyCounter.HELD_OUT);
  const converted = count(JourneyCounter.CONVERTED);
  const heldOutConverted = Math.min(converted, count(JourneyCounter.HELD_OUT_CONVERTED));
  return {
    journeyId: current.id,
    version: current.version,
    entered,
    heldOut,
    waiting: listed.reduce((sum, step) => sum + step.waiting, 0),
    exited: {
      completed: count(JourneyCounter.exited(ExitReasons.COMPLETED)),
      goal: count(JourneyCounter.exited(ExitReasons.GOAL)),
      cancelled: count(JourneyCounter.exited(ExitReasons.CANCELLED)),
    },
    converted,
    heldOutConverted,
    lift: liftOf(
      { runs: entered - heldOut, conversions: converted - heldOutConverted },
      { runs: heldOut, conversions: heldOutConverted },
    ),
    steps: listed,
  };
}

/**
 * A journey's lift: how much more the runs that were sent messages converted than the holdout,
 * which ran the same journey and was sent nothing (rate over rate, minus 1). Null while either group
 * is empty or the holdout has not converted (no baseline to divide by).
 */
export function liftOf(
  treated: { readonly runs: number; readonly conversions: number },
  holdout: { readonly runs: number; readonly conversions: number },
): number | null {
  if (treated.runs <= 0 || holdout.runs <= 0 || holdout.conversions <= 0) return null;
  const rate = (group: typeof treated) => group.conversions / group.runs;
  return Math.round((rate(treated) / rate(holdout) - 1) * 10_000) / 10_000;
}

function outcomesOf(counters: Readonly<Record<string, number>>, stepId: string): Record<string, number> {
  const prefix = JourneyCounter.outcome(stepId, '');
  return Object.fromEntries(
    Object.entries(counters)
      .filter(([name, value]) => name.startsWith(prefix) && value > 0)
      .map(([name, value]) => [name.slice(prefix.length), value]),
  );
}

/**
 * A summed counter, never below 0: a run's delta is recorded after its write, so a function that
 * stops between the two loses that delta, and a `waiting` whose +1 was lost must not show -1.
 */
function atLeastZero(value: number | undefined): number {
  return Math.max(0, value ?? 0);
}
