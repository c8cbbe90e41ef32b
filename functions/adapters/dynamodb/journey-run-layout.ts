/**
 * How a run is laid out in its item, compactly: DynamoDB bills a write per started KB of the whole
 * item, and the engine writes the item on every advance, so every byte the item repeats is paid
 * for on every step (docs/BENCHMARKS.md, "Journeys"). What the item holds twice is stored once and
 * put back when read, losslessly:
 *
 * - the `run` map leaves out what the item's top level holds (`runId`, `journeyId`,
 *   `journeyVersion`, `customerId`, `runKey`, `status`, `version`); the timeline and the dispatch
 *   fence read those at the top level;
 * - a timer token that is the run id and the step (`timerTokenFor`) is stored as `.<stepId>`, in
 *   the position, in timer effects and in `lastInputId`; a send's requestId that is the run id and
 *   the step (`requestIdFor`) is left out of `run.sends` (the top-level `sendIds` keeps them all);
 * - the entry event's body leaves out `event`, `userId`, `messageId` and `timestamp` when they
 *   repeat the event's name, customer, id and time, as every touchpoint's do (`bodyRepeats: true`);
 * - in `lastEffects`, an effect's `runId` equal to the run's is left out, and a send's request
 *   leaves out its requestId, customerId, schema version and journey metadata when they are exactly
 *   what the run derives (`derived: true`), and the entry event's properties it copies unchanged
 *   (`entryData: true`).
 * Items written before this layout read back unchanged (every restored field is only filled in
 * when absent).
 */
import type { MessageRequest } from '../../contract';
import type {
  JourneyEffect,
  JourneyEvent,
  JourneyRun,
  RunPosition,
  RunSend,
} from '../../domain/journeys/journey-run';
import { requestIdFor } from '../../domain/journeys/run-draft';

/** The top-level attributes the `run` map leaves out. */
const TOP_LEVEL = ['runId', 'journeyId', 'journeyVersion', 'customerId', 'key', 'status', 'version'] as const;

/** The `run` map as stored. */
export function storedRun(run: JourneyRun): Record<string, unknown> {
  const stored: Record<string, unknown> = { ...run };
  for (const field of TOP_LEVEL) delete stored[field];
  if (run.position !== undefined) {
    stored.position = { ...run.position, timerToken: shortToken(run.position.timerToken, run.runId) };
  }
  stored.entry = storedEvent(run.entry);
  stored.sends = Object.fromEntries(
    Object.entries(run.sends).map(([stepId, send]) => [
      stepId,
      send.requestId === requestIdFor(run.runId, stepId) ? withoutRequestId(send) : send,
    ]),
  );
  return stored;
}

/** The run of an item: its `run` map with what the top level holds put back. */
export function runOfItem(item: Record<string, unknown>): JourneyRun {
  const stored = (item.run ?? {}) as Record<string, unknown>;
  const runId = String(stored.runId ?? item.runId);
  const position = stored.position as RunPosition | undefined;
  const sends = (stored.sends ?? {}) as Record<string, Partial<RunSend>>;
  return {
    ...(stored as unknown as JourneyRun),
    entry: eventOfItem(stored.entry as Record<string, unknown>),
    sends: Object.fromEntries(
      Object.entries(sends).map(([stepId, send]) => [
        stepId,
        { ...send, requestId: requestIdOfStoredSend(runId, stepId, send) } as RunSend,
      ]),
    ),
    runId,
    journeyId: String(stored.journeyId ?? item.journeyId),
    journeyVersion: Number(stored.journeyVersion ?? item.journeyVersion),
    customerId: String(stored.customerId ?? item.customerId),
    key: String(stored.key ?? item.runKey ?? ''),
    status: (stored.status ?? item.status) as JourneyRun['status'],
    // The item's version is the truth: the dispatch fence raises it without touching the map.
    version: Number(item.version),
    ...(position === undefined
      ? {}
      : { position: { ...position, timerToken: fullToken(position.timerToken, runId) } }),
  };
}

/** A stored send's requestId: left out when it is the run id and the step, as it nearly always is. */
export function requestIdOfStoredSend(
  runId: string,
  stepId: string,
  send: { readonly requestId?: unknown },
): string {
  return typeof send.requestId === 'string' ? send.requestId : requestIdFor(runId, stepId);
}

/** An input id as stored (a timer's carries its token). */
export function storedInputId(inputId: string, runId: string): string {
  return inputId.startsWith('timer:') ? `timer:${shortToken(inputId.slice(6), runId)}` : inputId;
}

/** An input id as read back. */
export function inputIdOfItem(stored: string, runId: string): string {
  return stored.startsWith('timer:') ? `timer:${fullToken(stored.slice(6), runId)}` : stored;
}

/** The last write's effects as stored. */
export function storedEffects(effects: readonly JourneyEffect[], run: JourneyRun): Record<string, unknown>[] {
  return effects.map((effect) => {
    const stored: Record<string, unknown> = { ...effect };
    if ('runId' in effect && effect.runId === run.runId) delete stored.runId;
    if ('token' in effect) stored.token = shortToken(effect.token, run.runId);
    if (effect.type === 'send') Object.assign(stored, storedSend(effect.request, effect.stepId, run));
    return stored;
  });
}

/** The last write's effects as read back. */
export function effectsOfItem(stored: readonly Record<string, unknown>[], run: JourneyRun): JourneyEffect[] {
  return stored.map((raw) => {
    const effect: Record<string, unknown> = { ...raw };
    if (effect.type !== 'send' && effect.runId === undefined) effect.runId = run.runId;
    if (typeof effect.token === 'string') effect.token = fullToken(effect.token, run.runId);
    if (effect.type === 'send') {
      effect.request = sendOfItem(raw, String(raw.stepId), run);
      delete effect.derived;
      delete effect.entryData;
    }
    return effect as unknown as JourneyEffect;
  });
}

/** What a send's request holds that the run derives (run-draft.ts `sendRequest`). */
function derivedOfSend(stepId: string, run: JourneyRun) {
  return {
    schemaVersion: 1,
    requestId: `${run.runId}.${stepId}`,
    customerId: run.customerId,
    metadata: {
      journeyId: run.journeyId,
      journeyVersion: String(run.journeyVersion),
      journeyRunId: run.runId,
      journeyKey: run.key,
      journeyStepId: stepId,
    },
  };
}

function storedSend(request: MessageRequest, stepId: string, run: JourneyRun): Record<string, unknown> {
  const derived = derivedOfSend(stepId, run);
  const stored: Record<string, unknown> = { ...request };
  const isDerived =
    request.schemaVersion === derived.schemaVersion &&
    request.requestId === derived.requestId &&
    request.customerId === derived.customerId &&
    sameJson(request.metadata, derived.metadata);
  if (isDerived) {
    delete stored.schemaVersion;
    delete stored.requestId;
    delete stored.customerId;
    delete stored.metadata;
  }
  const entry = entryProperties(run);
  const data = 'data' in request ? (request.data as Record<string, unknown> | undefined) : undefined;
  const entryData =
    data !== undefined &&
    Object.keys(entry).length > 0 &&
    Object.entries(entry).every(([name, value]) => sameJson(data[name], value));
  if (entryData) {
    stored.data = Object.fromEntries(Object.entries(data).filter(([name]) => !(name in entry)));
  }
  return {
    request: stored,
    ...(isDerived ? { derived: true } : {}),
    ...(entryData ? { entryData: true } : {}),
  };
}

function sendOfItem(raw: Record<string, unknown>, stepId: string, run: JourneyRun): MessageRequest {
  const request: Record<string, unknown> = { ...(raw.request as Record<string, unknown>) };
  if (raw.entryData === true) {
    request.data = { ...entryProperties(run), ...(request.data as Record<string, unknown>) };
  }
  return (raw.derived === true ? { ...derivedOfSend(stepId, run), ...request } : request) as MessageRequest;
}

function entryProperties(run: JourneyRun): Record<string, unknown> {
  const properties = run.entry?.body?.properties;
  return properties !== null && typeof properties === 'object' ? (properties as Record<string, unknown>) : {};
}

/** The fields of a touchpoint's body that repeat the event's own (journey-inputs.ts `touchpointEventOf`). */
function repeatedInBody(event: JourneyEvent): Record<string, unknown> {
  return { event: event.name, userId: event.customerId, messageId: event.id, timestamp: event.at };
}

function storedEvent(event: JourneyEvent): Record<string, unknown> {
  const repeated = repeatedInBody(event);
  if (!Object.entries(repeated).every(([name, value]) => event.body[name] === value)) return { ...event };
  const body = Object.fromEntries(Object.entries(event.body).filter(([name]) => !(name in repeated)));
  return { ...event, body, bodyRepeats: true };
}

function eventOfItem(stored: Record<string, unknown>): JourneyEvent {
  const { bodyRepeats, ...event } = stored;
  if (bodyRepeats !== true) return event as unknown as JourneyEvent;
  const read = event as unknown as JourneyEvent;
  return { ...read, body: { ...repeatedInBody(read), ...read.body } };
}

function withoutRequestId(send: RunSend): Partial<RunSend> {
  const { requestId: _derived, ...rest } = send;
  return rest;
}

function shortToken(token: string, runId: string): string {
  return token.startsWith(`${runId}.`) ? token.slice(runId.length) : token;
}

function fullToken(token: string, runId: string): string {
  return token.startsWith('.') ? `${runId}${token}` : token;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
