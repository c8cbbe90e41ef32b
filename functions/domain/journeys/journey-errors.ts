/**
 * Errors of journeys. The interpreter's two mean "do not retry as is": a document that `journeys
 * check` would have refused, or an adapter that loaded the wrong version of the document; the
 * API's means the journey asked about is not deployed.
 */

/** A journey document is broken in a way the schema alone does not catch (unknown step, no exit). */
export class JourneyDefinitionError extends Error {
  constructor(
    readonly journeyId: string,
    problem: string,
  ) {
    super(`journey ${journeyId}: ${problem}`);
    this.name = 'JourneyDefinitionError';
  }
}

/** A run was advanced with another version of its journey than the one it started on. */
export class JourneyVersionMismatchError extends Error {
  constructor(
    readonly journeyId: string,
    readonly runVersion: number,
    readonly documentVersion: number,
  ) {
    super(
      `journey ${journeyId}: the run started on version ${runVersion}, not ${documentVersion}; load that version`,
    );
    this.name = 'JourneyVersionMismatchError';
  }
}

/** A journey the API was asked about is not deployed (the API answers 404). */
export class JourneyNotFoundError extends Error {
  constructor(readonly journeyId: string) {
    super(`No journey ${journeyId}`);
    this.name = 'JourneyNotFoundError';
  }
}
