/**
 * A journey document: when a customer does something, send this, wait for that, branch, exit on a
 * goal. Files in `journeys/` (YAML or JSON) are parsed through this schema; the interpreter
 * (functions/domain/journeys) runs them. The document says nothing about the engine, so that it
 * could compile to another one (Step Functions) later.
 */
import { Duration } from 'luxon';
import { z } from 'zod';
import { CONSENT_CHANGED_EVENT_TYPE } from './consent-changed-event';
import { DELIVERY_EVENT_TYPES } from './delivery-event';
import { timeOfDay } from './fields';
import { ContentSchema, RoutingSchema, TemplateNameSchema } from './message-request';
import { CategorySchema } from './vocabulary';

/** Switchboard's own events a journey can start on, wait for or exit on (the others are touchpoints). */
export const SWITCHBOARD_JOURNEY_EVENTS = [
  ...DELIVERY_EVENT_TYPES,
  'message.inbound',
  CONSENT_CHANGED_EVENT_TYPE,
] as readonly string[];

/** Whether an event name is one of Switchboard's own (`message.clicked`), not a touchpoint's. */
export function isSwitchboardEventName(name: string): boolean {
  return /^(message|customer)\./.test(name);
}

/**
 * An ISO-8601 duration such as `PT1H`, `P1D` or `P30D`, parsed by luxon. Zero and negative
 * durations are refused: a wait of nothing is a mistake in the document.
 */
export const isoDuration = z
  .string({ error: 'must be an ISO-8601 duration, such as PT1H or P1D' })
  .refine(
    (value) => {
      const duration = Duration.fromISO(value);
      return duration.isValid && duration.toMillis() > 0;
    },
    {
      error: (issue) =>
        `must be a positive ISO-8601 duration, such as PT1H, P1D or P30D (got ${JSON.stringify(issue.input)})`,
    },
  )
  .meta({ format: 'duration', description: 'A positive ISO-8601 duration, such as PT1H, P1D or P30D' });

/** A step's id: lower-case words separated by `-`, unique in its journey. */
export const StepIdSchema = z
  .string({ error: 'must be a step id' })
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be 1 to 64 characters of a-z 0-9 - (a step id)' });

/** A journey's id: the file's name without extension, such as `cart-recovery`. */
export const JourneyIdSchema = z
  .string({ error: 'must be a journey id' })
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be 1 to 64 characters of a-z 0-9 - (a journey id)' });

/** A dotted path into an event or a run's context, such as `properties.cartId`. */
export const FieldPathSchema = z
  .string({ error: 'must be a dotted path such as properties.cartId' })
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, {
    error: 'must be a dotted path such as properties.cartId',
  });

/** The name of an event: a touchpoint's `event` (`Product Added`) or Switchboard's (`message.clicked`). */
export const JourneyEventNameSchema = z
  .string({ error: 'must be an event name, such as "Order Completed" or "message.clicked"' })
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' })
  .refine((name) => !isSwitchboardEventName(name) || SWITCHBOARD_JOURNEY_EVENTS.includes(name), {
    error: `names a Switchboard event that does not exist (known: message.<status>, message.inbound, ${CONSENT_CHANGED_EVENT_TYPE})`,
  });

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'must be a string, number, true, false or null',
});

/** What a send step's outcome can be tested for, from the message's status. */
export const STEP_OUTCOMES = ['sent', 'delivered', 'read', 'clicked', 'failed'] as const;
/** A send step's outcome, as a branch tests it. */
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

const OPERATORS = ['equals', 'notEquals', 'in', 'exists', 'gt', 'gte', 'lt', 'lte', 'contains'] as const;

/**
 * One test. Either `path` with exactly one operator (`equals`, `notEquals`, `in`, `exists`, `gt`,
 * `gte`, `lt`, `lte`, `contains`), or `step` + `outcome` (an earlier send step's message status).
 */
export const ConditionSchema = z
  .strictObject(
    {
      path: FieldPathSchema.optional(),
      equals: scalar.optional(),
      notEquals: scalar.optional(),
      in: z.array(scalar, { error: 'must be a list of values' }).min(1).optional(),
      exists: z.boolean({ error: 'must be true or false' }).optional(),
      gt: z.number({ error: 'must be a number' }).optional(),
      gte: z.number({ error: 'must be a number' }).optional(),
      lt: z.number({ error: 'must be a number' }).optional(),
      lte: z.number({ error: 'must be a number' }).optional(),
      contains: scalar.optional(),
      step: StepIdSchema.optional(),
      outcome: z.enum(STEP_OUTCOMES, { error: `must be one of ${STEP_OUTCOMES.join(', ')}` }).optional(),
    },
    { error: 'must be a condition: { path, <operator> } or { step, outcome }' },
  )
  .superRefine((condition, ctx) => {
    const operators = OPERATORS.filter((operator) => condition[operator] !== undefined);
    if (condition.step !== undefined || condition.outcome !== undefined) {
      if (condition.step === undefined || condition.outcome === undefined || condition.path !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: 'an outcome test needs step and outcome, and no path',
        });
      }
      if (operators.length > 0) {
        ctx.addIssue({ code: 'custom', path: [operators[0]!], message: 'is not used with step and outcome' });
      }
      return;
    }
    if (condition.path === undefined) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'is required (or step and outcome)' });
    } else if (operators.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `needs exactly one of ${OPERATORS.join(', ')} (found ${operators.length})`,
      });
    }
  });
/** One test of a condition list; every test of a list must hold. */
export type Condition = z.infer<typeof ConditionSchema>;

const conditions = z.array(ConditionSchema, { error: 'must be a list of conditions' }).max(20);

/** When the same customer × key may enter again once a run has ended. */
export const ReentrySchema = z.union(
  [z.literal('never'), z.literal('always'), z.strictObject({ after: isoDuration })],
  { error: 'must be "never", "always" or { after: <ISO-8601 duration> }' },
);
/** A re-entry policy. */
export type Reentry = z.infer<typeof ReentrySchema>;

/** What starts a run. */
export const JourneyEntrySchema = z.strictObject(
  {
    event: JourneyEventNameSchema,
    /** For `message.inbound`: the reply's first word, case-insensitive (`JOIN`). */
    keyword: z
      .string()
      .regex(/^\S{1,32}$/, { error: 'must be one word' })
      .optional(),
    where: conditions.optional(),
    /** Where the run's business key is in the entry event; absent: one run per customer. */
    key: FieldPathSchema.optional(),
    reentry: ReentrySchema.default('never'),
  },
  { error: 'must be an object with event, where, key and reentry' },
);
/** What starts a run. */
export type JourneyEntry = z.infer<typeof JourneyEntrySchema>;

/**
 * An event a run reacts to after entry. `key`: where the run's key is in this event (default: the
 * entry's key path); `false` matches any such event of the customer, whatever its key.
 */
export const EventMatchSchema = z.strictObject(
  {
    event: JourneyEventNameSchema,
    where: conditions.optional(),
    key: z.union([FieldPathSchema, z.literal(false)]).optional(),
  },
  { error: 'must be an object with event, where and key' },
);
/** An event a run reacts to. */
export type EventMatch = z.infer<typeof EventMatchSchema>;

const next = StepIdSchema.optional();

/** Send a message; `next` defaults to the following step. */
export const SendStepSchema = z
  .strictObject({
    id: StepIdSchema,
    type: z.literal('send'),
    template: TemplateNameSchema.optional(),
    content: ContentSchema.optional(),
    /** Template data added to the entry's and matched events' properties (wins over them). */
    data: z.record(z.string(), z.unknown(), { error: 'must be an object of template variables' }).optional(),
    /**
     * Template variables read from the run by path (`{ total: entry.properties.revenue }`), for
     * events whose property names are not the template's; after the properties, before `data`.
     */
    dataFrom: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'must be a template variable name' }),
        FieldPathSchema,
        { error: 'must be an object of template variable names to paths' },
      )
      .optional(),
    category: CategorySchema,
    routing: RoutingSchema.optional(),
    next,
  })
  .superRefine((step, ctx) => {
    if ((step.template === undefined) === (step.content === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['template'],
        message: 'a send step needs a template or content, not both',
      });
    }
    for (const field of ['data', 'dataFrom'] as const) {
      if (step[field] !== undefined && step.template === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'is only used with a template' });
      }
    }
  });

/** Wait a duration, or until a time of day on the customer's clock. */
export const WaitStepSchema = z
  .strictObject({
    id: StepIdSchema,
    type: z.literal('wait'),
    duration: isoDuration.optional(),
    /** `HH:MM` in the customer's time zone: the next such instant after the step starts. */
    until: timeOfDay.optional(),
    next,
  })
  .refine((step) => (step.duration === undefined) !== (step.until === undefined), {
    path: ['duration'],
    message: 'a wait step needs a duration or an until time of day, not both',
  });

/** Wait for an event matched on the run's key, at most `timeout`. */
export const WaitForStepSchema = z.strictObject({
  id: StepIdSchema,
  type: z.literal('waitFor'),
  ...EventMatchSchema.shape,
  timeout: isoDuration,
  onEvent: StepIdSchema,
  onTimeout: StepIdSchema,
});

/** The first case whose conditions all hold is taken; else `otherwise` (default: the following step). */
export const BranchStepSchema = z.strictObject({
  id: StepIdSchema,
  type: z.literal('branch'),
  cases: z
    .array(z.strictObject({ when: conditions.min(1), next: StepIdSchema }), {
      error: 'must be a list of cases',
    })
    .min(1),
  otherwise: next,
});

/** Random paths by percentage, the same path every time for the same customer. */
export const SplitStepSchema = z.strictObject({
  id: StepIdSchema,
  type: z.literal('split'),
  paths: z
    .array(z.strictObject({ percent: z.number().gt(0).max(100), next: StepIdSchema }), {
      error: 'must be a list of { percent, next }',
    })
    .min(2)
    .refine((paths) => Math.abs(paths.reduce((sum, path) => sum + path.percent, 0) - 100) < 1e-9, {
      error: 'percentages must add up to 100',
    }),
});

/** The run ends here. */
export const ExitStepSchema = z.strictObject({
  id: StepIdSchema,
  type: z.literal('exit'),
  reason: z.string().min(1).max(128).optional(),
});

/** One step of a journey. */
export const JourneyStepSchema = z.discriminatedUnion(
  'type',
  [SendStepSchema, WaitStepSchema, WaitForStepSchema, BranchStepSchema, SplitStepSchema, ExitStepSchema],
  { error: 'must be a step whose type is send, wait, waitFor, branch, split or exit' },
);
/** One step of a journey. */
export type JourneyStep = z.infer<typeof JourneyStepSchema>;
/** A step of one type. */
export type JourneyStepOf<T extends JourneyStep['type']> = Extract<JourneyStep, { type: T }>;

/** A journey document. Runs start at the first step. */
export const JourneySchema = z
  .strictObject(
    {
      id: JourneyIdSchema,
      /** Raised on every change that deploys; each run keeps the version it started on. */
      version: z.number({ error: 'must be a whole number' }).int().min(1),
      name: z.string().min(1).max(128).optional(),
      description: z.string().max(1024).optional(),
      entry: JourneyEntrySchema,
      /** Goals: any of these ends a run wherever it is. */
      exitOn: z.array(EventMatchSchema, { error: 'must be a list of events' }).max(20).default([]),
      /** Percentage of entrants who run the journey but are sent nothing (for measuring lift). */
      holdout: z.number({ error: 'must be a percentage' }).min(0).max(100).default(0),
      steps: z.array(JourneyStepSchema, { error: 'must be a list of steps' }).min(1).max(100),
    },
    { error: 'must be a journey document (id, version, entry, steps)' },
  )
  .superRefine((journey, ctx) => {
    const seen = new Set<string>();
    journey.steps.forEach((step, index) => {
      if (seen.has(step.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'id'],
          message: `repeats the step id "${step.id}"`,
        });
      }
      seen.add(step.id);
    });
    if (journey.entry.keyword !== undefined && journey.entry.event !== 'message.inbound') {
      ctx.addIssue({
        code: 'custom',
        path: ['entry', 'keyword'],
        message: 'is only used with message.inbound',
      });
    }
  });
/** A validated journey document, defaults applied. */
export type Journey = z.infer<typeof JourneySchema>;
/** A journey document as written. */
export type JourneyDocumentInput = z.input<typeof JourneySchema>;
