/**
 * The attribution models: how one conversion's credit is split between the message touches before
 * it. Every model's weights are computed for every conversion and kept side by side, so a report
 * can switch models without recounting.
 *
 * - `last` (the report's default): the latest touch gets all the credit.
 * - `first`: the earliest touch gets all the credit.
 * - `linear`: each touch gets an equal share (1/n).
 */
import type { AttributionModel } from '../../contract';

/** A touch's share of one conversion under each model (each model's shares sum to 1). */
export type ModelWeights = Readonly<Record<AttributionModel, number>>;

/** What a model needs of a touch: its id and when it was sent. */
export interface OrderedTouch {
  readonly messageId: string;
  /** When the message was sent (UTC ISO). */
  readonly sentAt: string;
}

/** Touches oldest first; equal times in message id order, so the split never depends on read order. */
export function inSendOrder<T extends OrderedTouch>(touches: readonly T[]): T[] {
  return [...touches].sort(
    (a, b) =>
      Date.parse(a.sentAt) - Date.parse(b.sentAt) ||
      (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0),
  );
}

/** The weights of each touch under every model, in send order (oldest first). */
export function modelWeights<T extends OrderedTouch>(
  touches: readonly T[],
): { touch: T; weight: ModelWeights }[] {
  const ordered = inSendOrder(touches);
  const last = ordered.length - 1;
  return ordered.map((touch, index) => ({
    touch,
    weight: {
      last: index === last ? 1 : 0,
      first: index === 0 ? 1 : 0,
      linear: 1 / ordered.length,
    },
  }));
}
