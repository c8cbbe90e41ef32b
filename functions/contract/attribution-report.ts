/**
 * `GET /v1/reports/attribution`: its query and its answer (docs/attribution.md). The report is read
 * from aggregates per day × group, so its rows are sums, never events.
 */
import { z } from 'zod';

/** The attribution models (domain/attribution/attribution-models.ts splits the credit). */
export const ATTRIBUTION_MODELS = ['last', 'first', 'linear'] as const;
/** One attribution model. */
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** What a report groups by. */
export const ATTRIBUTION_DIMENSIONS = ['channel', 'template', 'campaign'] as const;
/** One grouping dimension. */
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number];

/** Most days one report covers. */
export const MAX_REPORT_DAYS = 366;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a UTC date, YYYY-MM-DD' })
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    error: 'must be a real date',
  });

/** The report's query string; `from` and `to` are inclusive UTC days (default: the last 30 days). */
export const AttributionReportQuerySchema = z
  .object({
    from: day.optional().meta({ description: 'First UTC day, inclusive (default: 29 days before `to`).' }),
    to: day.optional().meta({ description: 'Last UTC day, inclusive (default: today).' }),
    groupBy: z
      .enum(ATTRIBUTION_DIMENSIONS, { error: `must be one of ${ATTRIBUTION_DIMENSIONS.join(', ')}` })
      .default('channel')
      .meta({ description: 'The dimension of the rows.' }),
    model: z
      .enum(ATTRIBUTION_MODELS, { error: `must be one of ${ATTRIBUTION_MODELS.join(', ')}` })
      .default('last')
      .meta({ description: 'How a conversion is split between its touches.' }),
  })
  .meta({ description: 'Which days, grouped how, under which model.' });
/** The report's query, parsed. */
export type AttributionReportQuery = z.infer<typeof AttributionReportQuerySchema>;

/** One group's row. */
export const AttributionRowSchema = z.strictObject({
  group: z
    .string()
    .meta({ description: 'The channel, template or campaign; `(none)` for messages without one.' }),
  sent: z.number().min(0),
  delivered: z.number().min(0),
  engaged: z.number().min(0).meta({ description: 'Attempts read, opened by a person, or clicked.' }),
  conversions: z
    .number()
    .min(0)
    .meta({ description: 'Conversions credited to the group under the model (fractions under `linear`).' }),
  conversionRate: z
    .number()
    .min(0)
    .nullable()
    .meta({ description: 'conversions / sent; null when nothing was sent in the period.' }),
  revenue: z.record(z.string().regex(/^[A-Z]{3}$/), z.number()).meta({
    description: 'Credited revenue per ISO 4217 currency (`XXX`: revenue sent without a currency).',
  }),
  clientReportedConversions: z.number().min(0).meta({
    description: 'The part of `conversions` reported by client sources (public write keys: not verified).',
  }),
});
/** One group's row. */
export type AttributionRow = z.infer<typeof AttributionRowSchema>;

/** A journey with a holdout: its runs' conversions against the holdout's, and the lift. */
export const JourneyLiftRowSchema = z
  .strictObject({
    journeyId: z.string(),
    entered: z.number().int().min(0).meta({ description: 'Runs started, every version.' }),
    heldOut: z.number().int().min(0).meta({ description: 'Of them, in the holdout (sent nothing).' }),
    converted: z.number().int().min(0).meta({ description: 'Runs ended by a goal.' }),
    heldOutConverted: z.number().int().min(0).meta({ description: 'Of them, in the holdout.' }),
    lift: z.number().nullable().meta({
      description:
        "The sent-to runs' conversion rate over the holdout's, minus 1; null without a holdout conversion.",
    }),
  })
  .meta({
    description:
      "A journey's lift over its holdout, counted since it was deployed (the journey's counts are not kept per day).",
  });
/** A journey's lift row. */
export type JourneyLiftRow = z.infer<typeof JourneyLiftRowSchema>;

/** The report. */
export const AttributionReportSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(ATTRIBUTION_DIMENSIONS),
  model: z.enum(ATTRIBUTION_MODELS),
  rows: z.array(AttributionRowSchema),
  journeys: z.array(JourneyLiftRowSchema).optional().meta({
    description: 'Each deployed journey with a holdout, and its lift (since deployed, not per day).',
  }),
});
/** The report. */
export type AttributionReport = z.infer<typeof AttributionReportSchema>;
