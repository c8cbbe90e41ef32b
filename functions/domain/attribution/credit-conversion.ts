/**
 * Crediting one conversion: which of the customer's message touches it is attributed to, and with
 * what weight under each model.
 *
 * A touch is a message the provider took (an attempt reached `sent` or later) no later than the
 * conversion and no earlier than its category's window before it (attribution-window.ts). A message
 * is credited by at most one conversion: a touch an earlier conversion claimed is not a touch any
 * more, so two purchases in a week after one push credit it once. At most
 * {@link MAX_CREDITED_TOUCHES} touches are credited, the latest ones, so that recording a conversion
 * stays one transaction (docs/attribution.md).
 */
import type { Channel } from '../../contract';
import { inSendOrder, type ModelWeights, modelWeights, type OrderedTouch } from './attribution-models';
import type { AttributionSettings } from './attribution-settings';
import { isWithinWindow } from './attribution-window';
import type { Conversion } from './conversion';

/** Most touches one conversion credits (the latest ones in its window). */
export const MAX_CREDITED_TOUCHES = 10;

/** A sent message of the customer that may be a touch of a conversion. */
export interface Touch extends OrderedTouch {
  /** The channel of its first attempt the provider took. */
  readonly channel: Channel;
  readonly category?: string;
  readonly template?: string;
  readonly campaign?: string;
  /** Whether an earlier conversion already credited it. */
  readonly claimed: boolean;
}

/** One message's share of a conversion, as the conversion item keeps it. */
export interface Credit {
  readonly messageId: string;
  readonly channel: Channel;
  readonly sentAt: string;
  readonly template?: string;
  readonly campaign?: string;
  readonly weight: ModelWeights;
}

/** The credits of a conversion among the customer's sent messages; none when no touch is in its window. */
export function creditConversion(
  conversion: Pick<Conversion, 'occurredAt'>,
  touches: readonly Touch[],
  settings: AttributionSettings,
): Credit[] {
  const eligible = touches.filter(
    (touch) => !touch.claimed && isWithinWindow(touch, conversion.occurredAt, settings),
  );
  const latest = inSendOrder(eligible).slice(-MAX_CREDITED_TOUCHES);
  return modelWeights(latest).map(({ touch, weight }) => ({
    messageId: touch.messageId,
    channel: touch.channel,
    sentAt: touch.sentAt,
    ...(touch.template === undefined ? {} : { template: touch.template }),
    ...(touch.campaign === undefined ? {} : { campaign: touch.campaign }),
    weight,
  }));
}
