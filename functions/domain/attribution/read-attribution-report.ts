/**
 * The attribution report (`GET /v1/reports/attribution`): rows per group of one dimension over a
 * range of UTC days, under one model, summed from the aggregates alone — every shard of every day
 * of the dimension, a handful of Queries whatever the number of events (docs/attribution.md).
 */
import {
  type AttributionModel,
  type AttributionReport,
  AttributionReportQuerySchema,
  type AttributionRow,
  ContractValidationError,
  MAX_REPORT_DAYS,
  parseWith,
} from '../../contract';
import {
  ActivityCounter,
  clientConversionsCounter,
  conversionsCounter,
  dayOf,
  revenueCurrencyOf,
} from './attribution-aggregates';
import type { AttributionAggregates, StoredAggregate } from './attribution-ports';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Days a report covers when the query names no `from`. */
export const DEFAULT_REPORT_DAYS = 30;

/** What the report needs. */
export interface ReadAttributionReportPorts {
  readonly aggregates: Pick<AttributionAggregates, 'read'>;
  readonly now: () => Date;
}

/** Reads the report; throws ContractValidationError for a bad query (a field issue per bad field). */
export async function readAttributionReport(
  rawQuery: Readonly<Record<string, string | undefined>>,
  ports: ReadAttributionReportPorts,
): Promise<AttributionReport> {
  const query = parseWith(AttributionReportQuerySchema, rawQuery, 'attribution report query');
  const to = query.to ?? dayOf(ports.now().getTime());
  const from = query.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_REPORT_DAYS - 1) * DAY_MS);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1 || days > MAX_REPORT_DAYS) {
    throw new ContractValidationError('attribution report query', [
      { field: 'from', message: `must be on or before \`to\`, at most ${MAX_REPORT_DAYS} days before it` },
    ]);
  }
  const stored = await ports.aggregates.read(query.groupBy, from, to);
  return { from, to, groupBy: query.groupBy, model: query.model, rows: reportRows(stored, query.model) };
}

/** Sums stored aggregates into one row per group, most conversions first. */
export function reportRows(stored: readonly StoredAggregate[], model: AttributionModel): AttributionRow[] {
  const rows = new Map<string, AttributionRow & { revenue: Record<string, number> }>();
  for (const aggregate of stored) {
    const row = rows.get(aggregate.group) ?? {
      group: aggregate.group,
      sent: 0,
      delivered: 0,
      engaged: 0,
      conversions: 0,
      conversionRate: null,
      revenue: {},
      clientReportedConversions: 0,
    };
    const counter = (name: string) => aggregate.counters[name] ?? 0;
    row.sent += counter(ActivityCounter.SENT);
    row.delivered += counter(ActivityCounter.DELIVERED);
    row.engaged += counter(ActivityCounter.ENGAGED);
    row.conversions += counter(conversionsCounter(model));
    row.clientReportedConversions += counter(clientConversionsCounter(model));
    for (const [name, amount] of Object.entries(aggregate.counters)) {
      const currency = revenueCurrencyOf(name, model);
      if (currency) row.revenue[currency] = (row.revenue[currency] ?? 0) + amount;
    }
    rows.set(aggregate.group, row);
  }
  return [...rows.values()]
    .map((row) => rounded(row))
    .sort((a, b) => b.conversions - a.conversions || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

// Linear credit is a fraction (1/3 …): sums are rounded so 0.9999999999999999 reads 1.
const round = (value: number) => Math.round(value * 1e6) / 1e6;

function rounded(row: AttributionRow): AttributionRow {
  const conversions = round(row.conversions);
  return {
    ...row,
    conversions,
    clientReportedConversions: round(row.clientReportedConversions),
    conversionRate: row.sent > 0 ? round(conversions / row.sent) : null,
    revenue: Object.fromEntries(
      Object.entries(row.revenue).map(([currency, amount]) => [currency, round(amount)]),
    ),
  };
}
