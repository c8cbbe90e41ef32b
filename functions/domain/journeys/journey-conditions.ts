/**
 * Journey conditions: reading a dotted path, testing a condition list, and deciding whether an
 * event is a journey's entry, one of its goals, or what a waitFor step waits for — matched on the
 * run's key, so that a wait never matches another cart (dittofeed#1596).
 */
import type { Condition, EventMatch, Journey, MessageStatus, StepOutcome } from '../../contract';
import { MessageStatus as Status } from '../../contract';
import { isTerminal, statusRank } from '../status-rank';
import type { JourneyEvent } from './journey-run';

/** The key of a journey without `entry.key`: one run per customer. */
export const NO_KEY = '-';

/** The value at a dotted path (`properties.cartId`), or `undefined` when any part is missing. */
export function readPath(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Whether a message status shows the outcome a branch tests (`read` includes `opened` and `clicked`). */
export function hasOutcome(status: MessageStatus | undefined, outcome: StepOutcome): boolean {
  if (status === undefined) return false;
  if (outcome === 'failed') return isTerminal(status);
  if (isTerminal(status)) return false;
  const floor = {
    sent: Status.SENT,
    delivered: Status.DELIVERED,
    read: Status.READ,
    clicked: Status.CLICKED,
  }[outcome];
  return statusRank(status) >= statusRank(floor);
}

/** Whether every condition holds; `source` is what paths read, `statusOf` gives a send step's status. */
export function conditionsHold(
  conditions: readonly Condition[] | undefined,
  source: unknown,
  statusOf: (stepId: string) => MessageStatus | undefined = () => undefined,
): boolean {
  return (conditions ?? []).every((condition) => conditionHolds(condition, source, statusOf));
}

function conditionHolds(
  condition: Condition,
  source: unknown,
  statusOf: (stepId: string) => MessageStatus | undefined,
): boolean {
  if (condition.step !== undefined && condition.outcome !== undefined) {
    return hasOutcome(statusOf(condition.step), condition.outcome);
  }
  const value = readPath(source, condition.path ?? '');
  if (condition.exists !== undefined) return (value !== undefined && value !== null) === condition.exists;
  if (condition.equals !== undefined) return value === condition.equals;
  if (condition.notEquals !== undefined) return value !== condition.notEquals;
  if (condition.in !== undefined) return condition.in.some((candidate) => candidate === value);
  if (condition.contains !== undefined) {
    if (typeof value === 'string')
      return typeof condition.contains === 'string' && value.includes(condition.contains);
    return Array.isArray(value) && value.includes(condition.contains);
  }
  if (typeof value !== 'number') return false;
  if (condition.gt !== undefined) return value > condition.gt;
  if (condition.gte !== undefined) return value >= condition.gte;
  if (condition.lt !== undefined) return value < condition.lt;
  if (condition.lte !== undefined) return value <= condition.lte;
  return false;
}

/** The run key an event carries at a path, as a string; `undefined` when it has none. */
function keyAt(event: JourneyEvent, path: string): string | undefined {
  const value = readPath(event.body, path);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Whether an event starts the journey (name, keyword, conditions, and a key when one is declared). */
export function matchesEntry(journey: Journey, event: JourneyEvent): boolean {
  const { entry } = journey;
  if (event.name !== entry.event) return false;
  if (entry.keyword !== undefined) {
    const text = readPath(event.body, 'text');
    const firstWord = typeof text === 'string' ? (text.trim().split(/\s+/)[0] ?? '') : '';
    if (firstWord.toUpperCase() !== entry.keyword.toUpperCase()) return false;
  }
  if (!conditionsHold(entry.where, event.body)) return false;
  return entry.key === undefined || keyAt(event, entry.key) !== undefined;
}

/** The run key of an entry event: the value at `entry.key`, or {@link NO_KEY}. */
export function entryKeyOf(journey: Journey, event: JourneyEvent): string | undefined {
  return journey.entry.key === undefined ? NO_KEY : keyAt(event, journey.entry.key);
}

/**
 * Whether an event is the one a goal or a waitFor describes, for a run with key `runKey`: same
 * name, conditions hold, and the event carries the run's key at the match's key path (default the
 * entry's), unless the match says `key: false` or the journey has no key.
 */
export function matchesEvent(
  match: EventMatch,
  journey: Journey,
  event: JourneyEvent,
  runKey: string,
): boolean {
  if (event.name !== match.event) return false;
  if (!conditionsHold(match.where, event.body)) return false;
  if (match.key === false) return true;
  const path = match.key ?? journey.entry.key;
  if (path === undefined) return true;
  return keyAt(event, path) === runKey;
}

/**
 * Which runs of a journey an event that a goal or waitFor describes can be for: the run of the key
 * it carries at the match's key path, every run of the customer (`key: false`), or none (it
 * carries no key). Lets the engine read one run item by key instead of every run of the customer.
 */
export function runKeysOfMatch(
  match: EventMatch,
  journey: Journey,
  event: JourneyEvent,
): { readonly key: string } | 'every-run' | undefined {
  if (event.name !== match.event) return undefined;
  if (match.key === false) return 'every-run';
  const path = match.key ?? journey.entry.key;
  if (path === undefined) return { key: NO_KEY };
  const key = keyAt(event, path);
  return key === undefined ? undefined : { key };
}

/** Every event match a journey reacts to after entry: its goals and its waitFor steps. */
export function reactionsOf(journey: Journey): readonly EventMatch[] {
  return [...journey.exitOn, ...journey.steps.filter((step) => step.type === 'waitFor')];
}

/** Whether the interpreter reads the customer's profile for this journey (attributes, time zone). */
export function readsCustomer(journey: Journey): boolean {
  const fromCustomer = (path: string | undefined) => path?.startsWith('customer.') === true;
  return journey.steps.some((step) => {
    if (step.type === 'wait') return step.until !== undefined;
    if (step.type === 'branch') return step.cases.some((c) => c.when.some((w) => fromCustomer(w.path)));
    if (step.type === 'send') return Object.values(step.dataFrom ?? {}).some(fromCustomer);
    return false;
  });
}

/**
 * Whether a journey branches on what became of its messages (`{ step, outcome }`): only then do
 * their statuses need to reach its runs. Each status of a journey message is otherwise a read and
 * a write of the run that change nothing the journey looks at.
 */
export function readsOutcomes(journey: Journey): boolean {
  return journey.steps.some(
    (step) => step.type === 'branch' && step.cases.some((c) => c.when.some((w) => w.outcome !== undefined)),
  );
}
