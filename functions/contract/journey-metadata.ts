/**
 * The metadata a journey's message carries (echoed on every delivery event of it): which journey,
 * version, run and step sent it, and the run's business key. One home for the names, because the
 * engine writes them (run-draft.ts), the router's dispatch fence and the journey inputs read them
 * back to find the run, the stream filter matches them (infra/journey-stream-filter.ts), and the
 * timeline, the CLI and the demo read them to say why a message was sent.
 */

/** The metadata keys of a journey's message. */
export const JourneyMetadataKey = {
  JOURNEY_ID: 'journeyId',
  JOURNEY_VERSION: 'journeyVersion',
  RUN_ID: 'journeyRunId',
  /** The run's business key, as the run holds it. */
  KEY: 'journeyKey',
  STEP_ID: 'journeyStepId',
} as const;

/** What a journey's message says about the run that sent it; every field as a send step wrote it. */
export interface JourneyMessageOrigin {
  readonly journeyId: string;
  readonly journeyVersion: number;
  readonly runId: string;
  readonly key: string;
  readonly stepId: string;
}

/** The metadata of a message a run's send step asks for. */
export function journeyMetadata(origin: JourneyMessageOrigin): Record<string, string> {
  return {
    [JourneyMetadataKey.JOURNEY_ID]: origin.journeyId,
    [JourneyMetadataKey.JOURNEY_VERSION]: String(origin.journeyVersion),
    [JourneyMetadataKey.RUN_ID]: origin.runId,
    [JourneyMetadataKey.KEY]: origin.key,
    [JourneyMetadataKey.STEP_ID]: origin.stepId,
  };
}

/**
 * What a message's metadata says about a journey run, field by field (each undefined when missing:
 * a publisher's own message says nothing; the caller decides what it needs).
 */
export function journeyOriginOf(metadata: Readonly<Record<string, string>> | undefined): {
  readonly journeyId?: string;
  readonly journeyVersion?: string;
  readonly runId?: string;
  readonly key?: string;
  readonly stepId?: string;
} {
  const m = metadata ?? {};
  return {
    journeyId: m[JourneyMetadataKey.JOURNEY_ID],
    journeyVersion: m[JourneyMetadataKey.JOURNEY_VERSION],
    runId: m[JourneyMetadataKey.RUN_ID],
    key: m[JourneyMetadataKey.KEY],
    stepId: m[JourneyMetadataKey.STEP_ID],
  };
}
