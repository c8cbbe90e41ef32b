/**
 * The one line the timeline, the CLI and the console show for a learned choice: the chosen channel's
 * engaged share and sends against the best alternative's, and both costs, e.g.
 * `whatsapp: 0.62 engaged over 14 sends vs email 0.18 over 22; cost 0.025 vs 0.0004`.
 * Shares are the posterior means the choice used (prior included), sends the decayed counts rounded.
 */
import type { Channel } from '../../contract';

/** What the explanation needs about a channel. */
export interface ExplainedChannel {
  readonly channel: Channel;
  readonly sends: number;
  readonly engagementRate: number;
  readonly conversionRate: number;
  readonly cost: number;
}

/** How the choice was made. */
export interface ExplanationContext {
  /** The chosen channel was not the greedy one. */
  readonly explored: boolean;
  /** Probability with which it was chosen. */
  readonly propensity: number;
  /** Whether conversions count in the objective (then their shares are shown too). */
  readonly showConversions: boolean;
}

/** A cost as a short decimal (0.0083, 0.025, 0). */
export function formatCost(cost: number): string {
  return String(Number(cost.toPrecision(2)));
}

// The chosen channel says "engaged"; the alternative after "vs" reads as the same measure without it.
function rates(item: ExplainedChannel, showConversions: boolean, label: string): string {
  const engaged = `${item.engagementRate.toFixed(2)}${label}`;
  return showConversions ? `${engaged}, ${item.conversionRate.toFixed(3)} converted` : engaged;
}

/** The line for a choice; `ranked[0]` is the chosen channel, `ranked[1]` the best alternative. */
export function explainChoice(ranked: readonly ExplainedChannel[], context: ExplanationContext): string {
  const [chosen, runnerUp] = ranked;
  if (!chosen) return 'no channel allowed';
  const head = `${chosen.channel}: ${rates(chosen, context.showConversions, ' engaged')} over ${Math.round(chosen.sends)} sends`;
  const tail = context.explored ? `; exploring (p ${context.propensity.toFixed(2)})` : '';
  if (!runnerUp) return `${head}; only channel allowed; cost ${formatCost(chosen.cost)}`;
  const other = `${runnerUp.channel} ${rates(runnerUp, context.showConversions, '')} over ${Math.round(runnerUp.sends)}`;
  return `${head} vs ${other}; cost ${formatCost(chosen.cost)} vs ${formatCost(runnerUp.cost)}${tail}`;
}
