/**
 * The journey engine: drives the pure interpreter ({@link advance}) through its ports. Every input
 * (an event from the ledger's stream, a timer, a message status, a cancel) is applied the same way:
 *
 * 1. read the run item of customer × journey × key (strongly consistent);
 * 2. advance it with the version of the document it started on;
 * 3. write it only if the version read is still stored — a concurrent advance (or the router's
 *    dispatch fence) makes the write fail, and the input is applied again to what is stored now, so
 *    every step is taken exactly once;
 * 4. carry out the effects (messages to the outbound queue, timers), then count the change.
 *
 * The write comes before the effects, and the item remembers the input and the effects of its last
 * write: if carrying them out fails, the input comes back (SQS, the stream and API clients all retry)
 * and, finding itself already applied, carries the same effects out again. Every effect is
 * idempotent (a message's requestId is the run and step; a timer is named by its token), so a
 * repeat is harmless, and nothing is lost between the write and its effects.
 */
import type { Journey, MessageRequest, MessageStatus } from '../../contract';
import { RetryLaterError } from '../errors';
import { advance } from './advance';
import {
  entryKeyOf,
  matchesEntry,
  NO_KEY,
  reactionsOf,
  readsCustomer,
  readsOutcomes,
  runKeysOfMatch,
} from './journey-conditions';
import { JourneyDefinitionError } from './journey-errors';
import type { JourneyInputs } from './journey-inputs';
import type { JourneyEnginePorts, RunAddress, StoredRun } from './journey-ports';
import type { JourneyCustomer, JourneyEffect, JourneyEvent, JourneyInput } from './journey-run';

/** Times an input is applied again after losing a write to a concurrent one. */
export const MAX_WRITE_CONFLICTS = 8;

/** What applying one input did. */
export type ApplyOutcome =
  | { readonly kind: 'advanced'; readonly runId: string; readonly effects: number }
  | { readonly kind: 'repeated'; readonly runId: string; readonly effects: number }
  | { readonly kind: 'ignored'; readonly why: string };

/** An input as the engine receives it: the interpreter's, without the customer it reads. */
export type EngineInput =
  | { readonly kind: 'entry'; readonly event: JourneyEvent }
  | { readonly kind: 'event'; readonly event: JourneyEvent }
  | { readonly kind: 'timer'; readonly token: string }
  | { readonly kind: 'messageStatus'; readonly requestId: string; readonly status: MessageStatus }
  | { readonly kind: 'cancel'; readonly detail?: string };

/** The id a run remembers its last input by: the same input delivered again has the same id. */
export function inputIdOf(input: EngineInput): string {
  switch (input.kind) {
    case 'entry':
    case 'event':
      return `event:${input.event.id}`;
    case 'timer':
      return `timer:${input.token}`;
    case 'messageStatus':
      return `status:${input.requestId}:${input.status}`;
    case 'cancel':
      return 'cancel';
  }
}

/**
 * Applies one input to the run at `address`. `journey` is the deployed document (a new run starts
 * on it); an existing run is advanced with the version it pinned, read from the catalog.
 */
export async function applyInput(
  address: RunAddress,
  input: EngineInput,
  journey: Journey,
  ports: JourneyEnginePorts,
): Promise<ApplyOutcome> {
  const clock = { now: ports.now ?? (() => new Date()) };
  await ports.catalog.storeDeployed?.();
  for (let attempt = 0; attempt < MAX_WRITE_CONFLICTS; attempt += 1) {
    const stored = await ports.runs.get(address);
    const pinned = await documentFor(stored, input, journey, ports);
    const customer = await customerFor(pinned, address.customerId, ports);
    const result = advance(stored?.run, withCustomer(input, customer), pinned, clock);
    const id = inputIdOf(input);
    if (!result.changed || result.run === undefined) {
      if (stored !== undefined && stored.lastInputId === id && stored.lastEffects.length > 0) {
        await carryOut(stored.lastEffects, address, ports);
        return { kind: 'repeated', runId: stored.run.runId, effects: stored.lastEffects.length };
      }
      return { kind: 'ignored', why: result.ignored ?? 'unchanged' };
    }
    const sameRun = stored !== undefined && stored.run.runId === result.run.runId;
    const effects = result.effects.filter(isCarriedOut);
    const next: StoredRun = {
      run: result.run,
      dispatched: sameRun ? stored.dispatched : {},
      lastInputId: id,
      lastEffects: effects,
    };
    if (!(await ports.runs.put(next, stored?.run.version))) continue;
    await carryOut(effects, address, ports);
    await ports.stats?.record(sameRun ? stored.run : undefined, result.run);
    return { kind: 'advanced', runId: result.run.runId, effects: effects.length };
  }
  throw new RetryLaterError(`run ${address.journeyId} × ${address.key} kept changing while being advanced`, {
    code: 'JourneyRunContention',
  });
}

/** The document an input is interpreted with: the deployed one for a new run, else the run's own version. */
async function documentFor(
  stored: StoredRun | undefined,
  input: EngineInput,
  journey: Journey,
  ports: JourneyEnginePorts,
): Promise<Journey> {
  if (stored === undefined) return journey;
  // An entry event for an ended run may start a new one, on the deployed version.
  if (input.kind === 'entry' && stored.run.status === 'exited') return journey;
  const { journeyId, journeyVersion } = stored.run;
  if (journeyVersion === journey.version) return journey;
  const pinned = await ports.catalog.version(journeyId, journeyVersion);
  if (pinned === undefined) {
    throw new JourneyDefinitionError(
      journeyId,
      `version ${journeyVersion}, which a run started on, is not stored`,
    );
  }
  return pinned;
}

async function customerFor(journey: Journey, customerId: string, ports: JourneyEnginePorts) {
  return readsCustomer(journey) ? ports.customers.journeyCustomer(customerId) : {};
}

function withCustomer(input: EngineInput, customer: JourneyCustomer): JourneyInput {
  switch (input.kind) {
    case 'entry':
    case 'event':
    case 'timer':
      return { ...input, customer };
    default:
      return input;
  }
}

/**
 * The effects the engine carries out, and so keeps for a repeat: messages and timers. The run's
 * exit and timeline entries are in the run itself.
 */
function isCarriedOut(effect: JourneyEffect): boolean {
  return effect.type === 'send' || effect.type === 'scheduleTimer' || effect.type === 'cancelTimer';
}

/** Carries out a write's effects: messages to the outbound queue, timers scheduled and deleted. */
async function carryOut(
  effects: readonly JourneyEffect[],
  address: RunAddress,
  ports: JourneyEnginePorts,
): Promise<void> {
  const requests: MessageRequest[] = [];
  const work: Promise<void>[] = [];
  for (const effect of effects) {
    if (effect.type === 'send') requests.push(effect.request);
    if (effect.type === 'scheduleTimer') {
      work.push(
        ports.timers.schedule({ ...address, runId: effect.runId, token: effect.token, at: effect.at }),
      );
    }
    if (effect.type === 'cancelTimer') work.push(ports.timers.cancel(effect.token));
  }
  if (requests.length > 0) work.push(ports.sends.send(requests));
  await Promise.all(work);
}

/**
 * Applies an event to every journey it concerns: as an entry (a run starts, per the re-entry
 * policy) and as a goal or what a waitFor waits for (the customer's runs of the key it carries,
 * each read by key; every run of the journey only for a match with `key: false`).
 */
export async function applyEvent(event: JourneyEvent, ports: JourneyEnginePorts): Promise<ApplyOutcome[]> {
  const perJourney = await Promise.all(
    ports.catalog.current().map(async (journey) => {
      const outcomes: ApplyOutcome[] = [];
      if (matchesEntry(journey, event)) {
        const key = entryKeyOf(journey, event) ?? NO_KEY;
        const address = { customerId: event.customerId, journeyId: journey.id, key };
        outcomes.push(await applyInput(address, { kind: 'entry', event }, journey, ports));
      }
      for (const address of await reactingRuns(journey, event, ports)) {
        outcomes.push(await applyInput(address, { kind: 'event', event }, journey, ports));
      }
      return outcomes;
    }),
  );
  return perJourney.flat();
}

async function reactingRuns(journey: Journey, event: JourneyEvent, ports: JourneyEnginePorts) {
  const keys = new Set<string>();
  for (const match of reactionsOf(journey)) {
    const found = runKeysOfMatch(match, journey, event);
    if (found === 'every-run') {
      const runs = await ports.runs.ofCustomer(event.customerId, journey.id);
      for (const stored of runs) if (stored.run.status === 'active') keys.add(stored.run.key);
    } else if (found !== undefined) {
      keys.add(found.key);
    }
  }
  return [...keys].map((key) => ({ customerId: event.customerId, journeyId: journey.id, key }));
}

/** The journey a run item names, among the deployed ones; undefined when it is no longer deployed. */
export function deployedJourney(ports: JourneyEnginePorts, journeyId: string): Journey | undefined {
  return ports.catalog.current().find((journey) => journey.id === journeyId);
}

/** Applies a fired timer to its run. */
export async function applyTimer(
  timer: RunAddress & { readonly token: string },
  ports: JourneyEnginePorts,
): Promise<ApplyOutcome> {
  const journey = deployedJourney(ports, timer.journeyId);
  if (journey === undefined) return { kind: 'ignored', why: `journey ${timer.journeyId} is not deployed` };
  return applyInput(timer, { kind: 'timer', token: timer.token }, journey, ports);
}

/** Applies a status of a message a run sent (its metadata names the run) to that run. */
export async function applyMessageStatus(
  status: RunAddress & { readonly requestId: string; readonly status: MessageStatus },
  ports: JourneyEnginePorts,
): Promise<ApplyOutcome> {
  const journey = deployedJourney(ports, status.journeyId);
  if (journey === undefined) return { kind: 'ignored', why: `journey ${status.journeyId} is not deployed` };
  if (!readsOutcomes(journey))
    return { kind: 'ignored', why: `journey ${journey.id} branches on no outcome` };
  const { requestId } = status;
  return applyInput(status, { kind: 'messageStatus', requestId, status: status.status }, journey, ports);
}

/** A request to cancel a customer's runs of a journey: every active run, or the run of one key. */
export interface CancelRunsRequest {
  readonly journeyId: string;
  readonly customerId: string;
  readonly key?: string;
  /** Why, for the timeline (`cancelled: <detail>`). */
  readonly detail?: string;
}

/**
 * Cancels a customer's active runs of a journey (by business key when one is given); returns how
 * many were cancelled. Throws JourneyDefinitionError when the journey is not deployed.
 */
export async function cancelJourneyRuns(
  request: CancelRunsRequest,
  ports: JourneyEnginePorts,
): Promise<number> {
  const journey = deployedJourney(ports, request.journeyId);
  if (journey === undefined) throw new JourneyDefinitionError(request.journeyId, 'is not deployed');
  const keys =
    request.key !== undefined
      ? [request.key]
      : (await ports.runs.ofCustomer(request.customerId, journey.id))
          .filter((stored) => stored.run.status === 'active')
          .map((stored) => stored.run.key);
  let cancelled = 0;
  for (const key of keys) {
    const address = { customerId: request.customerId, journeyId: journey.id, key };
    const input = {
      kind: 'cancel',
      ...(request.detail === undefined ? {} : { detail: request.detail }),
    } as const;
    const outcome = await applyInput(address, input, journey, ports);
    if (outcome.kind === 'advanced') cancelled += 1;
  }
  return cancelled;
}

/** Applies what one ledger change gives journeys (journey-inputs.ts): its events, then its message statuses. */
export async function applyJourneyInputs(
  inputs: JourneyInputs,
  ports: JourneyEnginePorts,
): Promise<ApplyOutcome[]> {
  const outcomes: ApplyOutcome[] = [];
  for (const event of inputs.events) outcomes.push(...(await applyEvent(event, ports)));
  for (const status of inputs.statuses) outcomes.push(await applyMessageStatus(status, ports));
  return outcomes;
}
