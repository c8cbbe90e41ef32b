/**
 * JourneyTimer: the internal message on the journey-timers queue that wakes a waiting run. Internal,
 * so it may change between releases; the journey-timers handler parses it.
 */
import { z } from 'zod';
import { identifier, timestamp } from './fields';
import { JourneyIdSchema } from './journey';

/** A timer of one run: a wait's end or a waitFor's timeout. */
export const JourneyTimerMessageSchema = z.strictObject({
  kind: z.literal('journey-timer'),
  customerId: identifier('customer id'),
  journeyId: JourneyIdSchema,
  key: z.string().min(1).max(512),
  runId: z.string().min(1).max(128),
  /** The run's pending timer token; a run that has moved on ignores it. */
  token: z.string().min(1).max(256),
  /** When the journey wakes, in journey time (what the document said). */
  at: timestamp,
  /** When it should fire in real time (`at`, compressed by SWITCHBOARD_TIME_SCALE); earlier copies are delayed again. */
  fireAt: timestamp,
});
/** A journey timer message. */
export type JourneyTimerMessage = z.infer<typeof JourneyTimerMessageSchema>;
