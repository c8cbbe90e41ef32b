/**
 * How `switchboard journeys stats ID` prints a journey's counts (`GET /v1/journeys/{journeyId}/stats`):
 * a summary line, then each step with how many runs took it, wait in it now, and what happened there.
 */
import type { JourneyStats } from '../functions/contract';

const HEADINGS = ['step', 'type', 'taken', 'waiting', 'outcomes'];

/** The stats as aligned text lines. */
export function journeyStatsLines(stats: JourneyStats): string[] {
  const percent = (part: number) =>
    stats.entered === 0 ? '' : ` (${Math.round((part / stats.entered) * 1000) / 10}%)`;
  const rows = stats.steps.map((step) => [
    step.stepId,
    step.type,
    String(step.taken),
    String(step.waiting),
    Object.entries(step.outcomes)
      .sort(([, a], [, b]) => b - a)
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(', ') || '-',
  ]);
  const widths = HEADINGS.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = (column: number) => column === 2 || column === 3;
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const { exited } = stats;
  return [
    `${stats.journeyId} v${stats.version} (all versions counted)`,
    `entered ${stats.entered}, holdout ${stats.heldOut}${percent(stats.heldOut)}, waiting ${stats.waiting}`,
    `exited: completed ${exited.completed}, goal ${exited.goal}, cancelled ${exited.cancelled}`,
    `converted ${stats.converted}${percent(stats.converted)}, of them held out ${stats.heldOutConverted}`,
    `lift over the holdout: ${stats.lift === null ? 'not measurable yet (no holdout conversion)' : liftText(stats.lift)}`,
    '',
    line(HEADINGS),
    ...rows.map(line),
  ];
}

/** A lift over the holdout as a signed percentage with one decimal (`+50%`, `-66.7%`). */
export function liftText(lift: number): string {
  return `${lift >= 0 ? '+' : ''}${Math.round(lift * 1000) / 10}%`;
}
