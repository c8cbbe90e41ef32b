/**
 * Operating journeys over the API (docs/journeys.md, "Operating journeys: stats and cancel"):
 * `GET /v1/journeys` (the deployed journeys), `GET /v1/journeys/{journeyId}/stats` (their counts,
 * every version summed) and `POST /v1/journeys/{journeyId}/cancel` (a customer's runs, by key).
 */
import { z } from 'zod';
import { identifier } from './fields';
import { JourneyIdSchema, JourneyStepSchema, StepIdSchema } from './journey';

/** The kinds of step, as the document names them. */
export const JOURNEY_STEP_TYPES = JourneyStepSchema.options.map((step) => step.shape.type.value);
/** A kind of step. */
export type JourneyStepType = (typeof JOURNEY_STEP_TYPES)[number];

const stepType = z.enum(JOURNEY_STEP_TYPES as [JourneyStepType, ...JourneyStepType[]]);
const count = z.number().int().min(0);

/** One deployed journey: its current version and its steps. */
export const JourneySummarySchema = z.strictObject({
  journeyId: JourneyIdSchema,
  version: z.number().int().min(1).meta({ description: 'The deployed version; new runs start on it.' }),
  name: z.string().optional(),
  description: z.string().optional(),
  steps: z.array(z.strictObject({ id: StepIdSchema, type: stepType })),
});
/** One deployed journey. */
export type JourneySummary = z.infer<typeof JourneySummarySchema>;

/** `GET /v1/journeys`: the deployed journeys. */
export const JourneyListSchema = z.strictObject({ journeys: z.array(JourneySummarySchema) });
/** The deployed journeys. */
export type JourneyList = z.infer<typeof JourneyListSchema>;

/** One step's counts. */
export const JourneyStepStatsSchema = z.strictObject({
  stepId: StepIdSchema,
  type: stepType,
  taken: count.meta({ description: 'Times a run took the step (a wait or waitFor: left it).' }),
  waiting: count.meta({ description: 'Runs waiting in the step now (wait and waitFor steps).' }),
  outcomes: z.record(z.string(), count).meta({
    description:
      'Taken, by what happened: `sent <template>`, `held-out: not sent`, `event <name>`, `timeout`, `waited`, `case 1`, `otherwise`, `path 2`, `exit`.',
    example: { timeout: 12, 'event Order Completed': 30 },
  }),
});
/** One step's counts. */
export type JourneyStepStats = z.infer<typeof JourneyStepStatsSchema>;

/** `GET /v1/journeys/{journeyId}/stats`: a journey's counts, every version summed. */
export const JourneyStatsSchema = z.strictObject({
  journeyId: JourneyIdSchema,
  version: z.number().int().min(1).meta({ description: 'The deployed version (counts include all).' }),
  entered: count.meta({ description: 'Runs started.' }),
  heldOut: count.meta({ description: 'Runs started in the holdout group (sent nothing).' }),
  waiting: count.meta({ description: 'Runs waiting in a step now.' }),
  exited: z.strictObject({
    completed: count.meta({ description: 'Runs that reached an exit step.' }),
    goal: count.meta({ description: 'Runs ended by a goal (`exitOn`).' }),
    cancelled: count.meta({ description: 'Runs cancelled through the API.' }),
  }),
  converted: count.meta({ description: 'Runs ended by a goal: conversions.' }),
  heldOutConverted: count.meta({ description: 'Of `converted`, the runs in the holdout group.' }),
  lift: z.number().nullable().meta({
    description:
      "The journey's lift: the conversion rate of the runs that were sent messages over the holdout's, minus 1 (0.25: a quarter more conversions). Null without a holdout conversion to compare with.",
  }),
  steps: z.array(JourneyStepStatsSchema).meta({ description: "In the document's order." }),
});
/** A journey's counts. */
export type JourneyStats = z.infer<typeof JourneyStatsSchema>;

/** `POST /v1/journeys/{journeyId}/cancel`: whose runs to cancel — every active one, or one key's. */
export const JourneyCancelRequestSchema = z.strictObject({
  customerId: identifier('customer id'),
  key: z
    .string({ error: 'must be a string (the run key, e.g. the cartId)' })
    .min(1, { error: 'must not be empty' })
    .max(512, { error: 'must be at most 512 characters' })
    .optional()
    .meta({ description: 'The business key of the run (e.g. the cartId); every active run when absent.' }),
});
/** A cancel request. */
export type JourneyCancelRequest = z.infer<typeof JourneyCancelRequestSchema>;

/** The answer to a cancel: how many active runs it ended (0 when there were none). */
export const JourneyRunsCancelledSchema = z.strictObject({ cancelled: count });
/** How many runs a cancel ended. */
export type JourneyRunsCancelled = z.infer<typeof JourneyRunsCancelledSchema>;
