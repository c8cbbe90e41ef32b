/**
 * Errors of the journey interpreter. Both mean "do not retry as is": a document that `journeys
 * check` would have refused, or an adapter that loaded the wrong version of the document.
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
