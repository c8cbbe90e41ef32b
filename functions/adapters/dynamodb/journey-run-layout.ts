/**
 * How a run is laid out in its item. DynamoDB bills a write per started KB of the whole item and
 * the engine writes the item on every advance, so the run and the last write's input and effects
 * are kept as one compressed attribute, `state`: their JSON, deflated (zlib, raw DEFLATE) with a
 * preset dictionary of what every run item says — field names, step outcomes, the shape of a send.
 * A run repeats itself (its id in every requestId and timer token, the cart in the entry and in the
 * reminder's data), which DEFLATE removes, and the dictionary lets even a name's first occurrence
 * be a back-reference, so a cart-recovery run stays under 1 KB to its end (docs/BENCHMARKS.md,
 * "Journeys"). What DynamoDB itself must read — the dispatch fence's condition, the timeline's
 * query — stays in plain top-level attributes (journey-run-store.ts), and the `run` map leaves
 * those out of the state (they are put back when read).
 *
 * The first byte of `state` names its codec. The dictionary of a codec can never change once items
 * are written with it: a better dictionary is a new codec beside it, and both stay readable.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { JourneyEffect, JourneyRun } from '../../domain/journeys/journey-run';

/** What the `state` attribute holds. */
export interface RunState {
  readonly run: JourneyRun;
  readonly lastInputId?: string;
  readonly lastEffects: readonly JourneyEffect[];
}

/** The top-level attributes of a run item that the state leaves out of the run, by run field. */
export interface RunItemIds {
  readonly runId: string;
  readonly journeyId: string;
  readonly journeyVersion: number;
  readonly customerId: string;
  readonly runKey: string;
  readonly status: JourneyRun['status'];
  /** The item's version is the truth: the dispatch fence raises it without touching the state. */
  readonly version: number;
}

/**
 * Codec 1's dictionary: a run item's JSON with its values left out, the most frequent strings last
 * (DEFLATE reaches near ones in fewer bits). Never edit it: items written with it must stay readable.
 */
const DICTIONARY_1 = Buffer.from(
  [
    '"matched":{},"seenEventIds":[],"sends":{},"heldOut":true,"cancelled","goal","journey',
    '"type":"cancelTimer","type":"exit","reason":"completed","detail":"reminders sent"',
    '"content":{"text":"","title":"","template":"order-thank-you","category":"transactional"',
    '"type":"track","context":{"channel":"web"},"properties":{"cartId":"cart-","orderId":"',
    '"products":[{"name":"","quantity":1,"price":"image_url":"https://","total":"currency":"EUR"',
    '"routing":{"strategy":"preferred","channels":["push","whatsapp","sms","email"],"fallback":true}',
    '"schemaVersion":1,"requestId":"jr_","customerId":"","category":"marketing","template":"cart-',
    '"metadata":{"journeyId":"","journeyVersion":"1","journeyRunId":"jr_","journeyKey":"","journeyStepId":""}',
    '{"type":"send","stepId":"","request":{"data":{"items":"imageUrl":"discountCode":"discountPercent":',
    '"exit":{"reason":"goal","at":"2026-12-0","detail":"purchased"},"status":"sent","delivered","read"',
    '"lastInputId":"event:","timer:jr_","status:jr_","lastEffects":[{"type":"scheduleTimer","at":"2026-12-',
    '"position":{"stepId":"wait-for-order","since":"2026-12-0","until":"2026-12-0","timerToken":"jr_',
    '"path":[{"stepId":"wait-for-order","at":"2026-12-0T","outcome":"timeout"},{"stepId":"","at":"',
    '"outcome":"sent cart-reminder"},{"stepId":"reminder","outcome":"exit"}],"sends":{"reminder":{"requestId":"jr_',
    '{"run":{"heldOut":false,"enteredAt":"2026-12-0T00:00:00.000Z","entry":{"id":"","name":"Product Added"',
    '"customerId":"","at":"2026-12-0T00:00:00.000Z","body":{"type":"track","event":"Product Added","userId":"',
    '"messageId":"","timestamp":"2026-12-0T00:00:00.000Z","context":{"channel":"web"},"properties":{"cartId":"',
  ].join(''),
);

/** The codecs `state` can be written in, by its first byte. */
const CODEC_1 = 1;

/** The run's fields that the item's top level holds. */
const TOP_LEVEL = ['runId', 'journeyId', 'journeyVersion', 'customerId', 'key', 'status', 'version'] as const;

/** The `state` attribute of a run item. */
export function encodeRunState(state: RunState): Uint8Array {
  const run: Record<string, unknown> = { ...state.run };
  for (const field of TOP_LEVEL) delete run[field];
  const json = JSON.stringify({ ...state, run });
  const deflated = deflateRawSync(json, { level: 9, dictionary: DICTIONARY_1 });
  return Buffer.concat([Buffer.from([CODEC_1]), deflated]);
}

/** The state of a run item, with the run's ids put back from the item's top level. */
export function decodeRunState(state: Uint8Array, ids: RunItemIds): RunState {
  const [codec] = state;
  if (codec !== CODEC_1) throw new Error(`run item ${ids.runId}: unknown state codec ${codec}`);
  const json = inflateRawSync(state.subarray(1), { dictionary: DICTIONARY_1 }).toString('utf8');
  const stored = JSON.parse(json) as { run: Record<string, unknown> } & Omit<RunState, 'run'>;
  const { runKey, ...rest } = ids;
  return { ...stored, run: { ...stored.run, ...rest, key: runKey } as unknown as JourneyRun };
}
