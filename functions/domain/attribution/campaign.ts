/**
 * Where a message's campaign comes from: the `campaign` key of the MessageRequest's `metadata` (the
 * string map echoed on every event "for attribution"), so publishers tag campaigns without a new
 * contract field. The router copies `metadata` onto the message and every attempt, so the touch
 * query and the ledger stream read it from the item they already have.
 */

/** The campaign a message's metadata names, or undefined. */
export function campaignOf(metadata: unknown): string | undefined {
  const campaign = (metadata as Record<string, unknown> | undefined)?.campaign;
  return typeof campaign === 'string' && campaign.trim() !== '' ? campaign : undefined;
}
