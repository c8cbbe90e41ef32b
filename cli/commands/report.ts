/**
 * `switchboard report attribution [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--group-by channel|template|campaign]
 * [--model last|first|linear] [--json]`: the attribution report (`GET /v1/reports/attribution`) as
 * a table — per group: sent, delivered, engaged, conversions, conversion rate, revenue, and how
 * many conversions client sources reported (not verified).
 */
import { parseArgs } from 'node:util';
import type { AttributionReport, AttributionReportQuery } from '../../functions/contract';
import type { Command } from '../command';
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

/** The report as aligned text lines: a heading, one line per group. */
export function attributionReportLines(report: AttributionReport): string[] {
  const number = (value: number) => String(Math.round(value * 100) / 100);
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
  const widths = HEADINGS.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    `attribution by ${report.groupBy}, ${report.model} touch, ${report.from} to ${report.to}`,
    line(HEADINGS),
    ...(rows.length > 0 ? rows.map(line) : ['(nothing sent or converted in this period)']),
  ];
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
