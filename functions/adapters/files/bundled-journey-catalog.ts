/**
 * The journey catalog from the journey files that deploy with the stack (journey-files.ts): the
 * documents of a folder (`JOURNEYS_DIR`, default the repository's journeys/), read and checked
 * once. It knows only the deployed version of each journey: `version()` of an earlier one is
 * undefined (the `journeydoc#` items of the messages table are where earlier versions are kept).
 */
import type { Journey } from '../../contract';
import type { JourneyCatalog } from '../../domain/journeys/journey-ports';
import { defaultJourneysLocation, listJourneyFiles, readJourneyFile } from './journey-files';

/**
 * The journeys of a folder, read on first use (so that a function whose other routes never ask
 * does not read them); a broken document fails that use, naming its file and problems.
 */
export class BundledJourneyCatalog implements JourneyCatalog {
  readonly #dir: string;
  #journeys: readonly Journey[] | undefined;

  constructor(dir: string = process.env.JOURNEYS_DIR || defaultJourneysLocation()) {
    this.#dir = dir;
  }

  current(): readonly Journey[] {
    this.#journeys ??= listJourneyFiles(this.#dir).map((file) => {
      const { journey, issues } = readJourneyFile(file);
      if (journey !== undefined) return journey;
      const problems = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
      throw new Error(`journey file ${file} is broken (run switchboard journeys check): ${problems}`);
    });
    return this.#journeys;
  }

  async version(journeyId: string, version: number): Promise<Journey | undefined> {
    return this.current().find((journey) => journey.id === journeyId && journey.version === version);
  }
}
