/**
 * `switchboard report attribution [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--group-by channel|template|campaign]
 * [--model last|first|linear] [--json]`: the attribution report (`GET /v1/reports/attribution`) as
 * a table — per group: sent, delivered, engaged, conversions, conversion rate, revenue, and how
 * many conversions client sources reported (not verified) — then, for each journey with a holdout,
 * its lift over the holdout (counted since the journey was deployed, not in the period).
 */
import { parseArgs } from 'node:util';
import type { AttributionReport, AttributionReportQuery, JourneyLiftRow } from '../../functions/contract';
import type { Command } from '../command';
import { liftText } from '../journey-stats-lines';
import { resolveTarget, TARGET_OPTIONS, UsageError } from '../target';

const HEADINGS = [
  'group',
  'sent',
  'delivered',
  'engaged',
  'conversions',
  'rate',
  'revenue',
  'client-reported',
];

const JOURNEY_HEADINGS = ['journey', 'entered', 'held-out', 'converted', 'held-out-converted', 'lift'];

const number = (value: number) => String(Math.round(value * 100) / 100);

/** The report as aligned text lines: a heading, one line per group, then the journeys' lift. */
export function attributionReportLines(report: AttributionReport): string[] {
  const rows = report.rows.map((row) => [
    row.group,
    number(row.sent),
    number(row.delivered),
    number(row.engaged),
    number(row.conversions),
    row.conversionRate === null ? '-' : `${number(row.conversionRate * 100)}%`,
    Object.entries(row.revenue)
      .map(([currency, amount]) => `${number(amount)} ${currency}`)
      .join(', ') || '-',
    number(row.clientReportedConversions),
  ]);
  return [
    `attribution by ${report.groupBy}, ${report.model} touch, ${report.from} to ${report.to}`,
    ...alignedTable(HEADINGS, rows),
    ...(rows.length === 0 ? ['(nothing sent or converted in this period)'] : []),
    ...journeyLiftLines(report.journeys ?? []),
  ];
}

/** The journeys with a holdout and their lift, after a blank line; nothing when there are none. */
function journeyLiftLines(journeys: readonly JourneyLiftRow[]): string[] {
  if (journeys.length === 0) return [];
  const rows = journeys.map((journey) => [
    journey.journeyId,
    String(journey.entered),
    String(journey.heldOut),
    String(journey.converted),
    String(journey.heldOutConverted),
    journey.lift === null ? '-' : liftText(journey.lift),
  ]);
  return ['', 'journeys against their holdout, since deployed', ...alignedTable(JOURNEY_HEADINGS, rows)];
}

/** A heading line and one line per row: the first column left-aligned, the others right-aligned. */
function alignedTable(headings: readonly string[], rows: readonly string[][]): string[] {
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headings), ...rows.map(line)];
}

/** The `report` command (one report so far: `attribution`). */
export const reportCommand: Command = {
  summary: 'print a report: attribution (conversions and revenue per channel, template or campaign)',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...TARGET_OPTIONS,
        from: { type: 'string' },
        to: { type: 'string' },
        'group-by': { type: 'string' },
        model: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals[0] !== 'attribution') {
      throw new UsageError(
        'report attribution [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--group-by channel|template|campaign] [--model last|first|linear] [--json]',
      );
    }
    const query = {
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
      ...(values['group-by'] ? { groupBy: values['group-by'] as AttributionReportQuery['groupBy'] } : {}),
      ...(values.model ? { model: values.model as AttributionReportQuery['model'] } : {}),
    };
    const report = await resolveTarget(values).api.attributionReport(query);
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else for (const line of attributionReportLines(report)) io.out(line);
    return 0;
  },
};
