/**
 * The interpreter's contract: a run's state, the inputs that advance it and the effects it asks
 * the engine to carry out. Plain data, so that an adapter can store a run as one item and replay
 * any input safely.
 */
import type { MessageRequest, MessageStatus } from '../../contract';

/** Something a customer did or Switchboard recorded, as a journey sees it. */
export interface JourneyEvent {
  /** The event's own de-duplication id (a touchpoint's `messageId`, a delivery event's `eventId`). */
  readonly id: string;
  /** `Product Added`, `Order Completed`, `message.clicked`, `message.inbound`, … */
  readonly name: string;
  readonly customerId: string;
  /** When it happened (ISO 8601). */
  readonly at: string;
  /** The event as published; document paths such as `properties.cartId` are read from here. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** What the interpreter knows of the customer when it advances: read by branches and local-time waits. */
export interface JourneyCustomer {
  readonly attributes?: Readonly<Record<string, unknown>>;
  /** IANA zone for `wait: { until }`; UTC when unknown. */
  readonly timezone?: string;
}

/** Why a run ended. */
export const ExitReason = {
  /** It reached an `exit` step. */
  COMPLETED: 'completed',
  /** An `exitOn` goal event arrived. */
  GOAL: 'goal',
  /** Cancelled through the API. */
  CANCELLED: 'cancelled',
} as const;
/** Why a run ended. */
export type ExitReason = (typeof ExitReason)[keyof typeof ExitReason];

/** Where an active run stands: the step it waits in, and the timer that will wake it. */
export interface RunPosition {
  readonly stepId: string;
  readonly since: string;
  /** When its timer fires (a wait's end or a waitFor's timeout). */
  readonly until: string;
  /** Names the pending timer; a timer whose token differs is stale and ignored. */
  readonly timerToken: string;
}

/** One step the run took, in order. */
export interface RunPathEntry {
  readonly stepId: string;
  readonly at: string;
  /** What happened there ({@link StepOutcome}): `sent …`, `event …`, `timeout`, `case 1`, `path 2`, … */
  readonly outcome?: string;
}

/**
 * The outcomes the interpreter records on a run's path (advance.ts, run-draft.ts): one home, since
 * the timeline derives a run's entries from them (domain/timeline/journey-entries.ts).
 */
export const StepOutcome = {
  /** A wait step's timer fired. */
  WAITED: 'waited',
  /** A waitFor step's timer fired before its event. */
  TIMEOUT: 'timeout',
  /** An exit step (the run's `exit` says the rest). */
  EXIT: 'exit',
  HELD_OUT: 'held-out: not sent',
  OTHERWISE: 'otherwise',
  /** A waitFor step's event came. */
  event: (name: string) => `event ${name}`,
  /** A send step asked for its message (`what`: its template, or `content`). */
  sent: (what: string) => `sent ${what}`,
  /** A branch took its case `n` (from 1). */
  case: (n: number) => `case ${n}`,
  /** A split took its path `n` (from 1). */
  path: (n: number) => `path ${n}`,
} as const;

/** Whether an outcome is a wait or waitFor step being left: its timer fired or its event came. */
export function leftWait(outcome: string | undefined): boolean {
  return (
    outcome === StepOutcome.WAITED ||
    outcome === StepOutcome.TIMEOUT ||
    !!outcome?.startsWith(StepOutcome.event(''))
  );
}

/** Whether an outcome is a send step asking for its message. */
export function askedToSend(outcome: string | undefined): boolean {
  return !!outcome?.startsWith(StepOutcome.sent(''));
}

/** A message a send step asked for, and the latest status reported for it. */
export interface RunSend {
  readonly requestId: string;
  readonly status?: MessageStatus;
}

/** One customer's pass through one journey, for one key: everything the interpreter needs. */
export interface JourneyRun {
  readonly runId: string;
  readonly journeyId: string;
  /** The version of the document the run started on; it is advanced with that version only. */
  readonly journeyVersion: number;
  readonly customerId: string;
  /** The business key (`cartId` value), or `-` when the journey has no key. */
  readonly key: string;
  readonly status: 'active' | 'exited';
  /** Raised by one on every change: the adapter writes only if the stored version is the one it read. */
  readonly version: number;
  /** In the holdout group: the run goes on but sends nothing. */
  readonly heldOut: boolean;
  readonly enteredAt: string;
  readonly entry: JourneyEvent;
  /** Set while the run waits in a wait or waitFor step. */
  readonly position?: RunPosition;
  /** Events matched by waitFor steps, by step id. */
  readonly matched: Readonly<Record<string, JourneyEvent>>;
  /** Messages asked for, by step id. */
  readonly sends: Readonly<Record<string, RunSend>>;
  /** Ids of events already applied to this run (de-duplication). */
  readonly seenEventIds: readonly string[];
  readonly path: readonly RunPathEntry[];
  readonly exit?: {
    readonly reason: ExitReason;
    readonly at: string;
    readonly detail?: string;
    /** The wait or waitFor step it was waiting in when a goal or a cancel ended it (the timeline says so). */
    readonly waitedIn?: string;
  };
}

/** What advances a run. */
export type JourneyInput =
  /** An event that matches the journey's entry (start a run, or not, per the re-entry policy). */
  | { readonly kind: 'entry'; readonly event: JourneyEvent; readonly customer: JourneyCustomer }
  /** An event of the run's customer that may be a goal or what a waitFor waits for. */
  | { readonly kind: 'event'; readonly event: JourneyEvent; readonly customer: JourneyCustomer }
  /** A timer the run scheduled fired (maybe late, maybe twice). */
  | { readonly kind: 'timer'; readonly token: string; readonly customer: JourneyCustomer }
  /** A status of a message a send step asked for (for branches on outcomes). */
  | { readonly kind: 'messageStatus'; readonly requestId: string; readonly status: MessageStatus }
  /** Stop the run now. */
  | { readonly kind: 'cancel'; readonly detail?: string };

/** A `journey` entry for the customer's timeline. */
export interface JourneyTimelineEntry {
  readonly kind: 'journey';
  readonly event: 'entered' | 'held-out' | 'step' | 'waiting' | 'exited';
  readonly journeyId: string;
  readonly journeyVersion: number;
  readonly runId: string;
  readonly customerId: string;
  readonly at: string;
  readonly stepId?: string;
  /** For `waiting`: when the timer fires. */
  readonly until?: string;
  /** For `step`: what happened; for `exited`: why. */
  readonly detail?: string;
}

/** What the engine must do after an advance, in order. */
export type JourneyEffect =
  /** Publish this MessageRequest (its requestId is stable per run and step: at most one message). */
  | { readonly type: 'send'; readonly stepId: string; readonly request: MessageRequest }
  /** Wake the run at `at` with a timer input carrying `token`. */
  | { readonly type: 'scheduleTimer'; readonly runId: string; readonly at: string; readonly token: string }
  /** The timer with this token is no longer wanted (deleting it is an optimisation: a stale one is ignored). */
  | { readonly type: 'cancelTimer'; readonly runId: string; readonly token: string }
  /** The run ended. */
  | { readonly type: 'exit'; readonly runId: string; readonly reason: ExitReason; readonly detail?: string }
  /** Record this on the customer's timeline. */
  | { readonly type: 'timeline'; readonly entry: JourneyTimelineEntry };

/** The result of one advance. */
export interface AdvanceResult {
  /** The run after the input; `undefined` when there was none and none started. */
  readonly run: JourneyRun | undefined;
  /** `false` when the input changed nothing (duplicate, stale timer, not for this run): write nothing. */
  readonly changed: boolean;
  readonly effects: readonly JourneyEffect[];
  /** Why an input changed nothing, in words (for logs and `journeys simulate`). */
  readonly ignored?: string;
}

/** The interpreter's only window on time. */
export interface JourneyClock {
  now(): Date;
}
