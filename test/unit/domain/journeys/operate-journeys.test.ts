import type { Journey } from '../../../../functions/contract';
import { ContractValidationError } from '../../../../functions/contract';
import { JourneyNotFoundError } from '../../../../functions/domain/journeys/journey-errors';
import {
  type CancelRunsCommand,
  cancelJourneyRunsRequest,
  journeyLiftRows,
  listJourneys,
  readJourneyStats,
} from '../../../../functions/domain/journeys/operate-journeys';
import { aJourney } from '../../../helpers/journeys';

/** A catalog of deployed journeys, and the earlier versions it has kept. */
function aCatalog(deployed: readonly Journey[], earlier: readonly Journey[] = []) {
  return {
    current: () => deployed,
    version: async (journeyId: string, version: number) =>
      [...deployed, ...earlier].find((journey) => journey.id === journeyId && journey.version === version),
  };
}

describe('Function: listJourneys', () => {
  it('lists each deployed journey with its version, name and steps', () => {
    // Act
    const list = listJourneys(aCatalog([aJourney({ version: 3, name: 'Test' })]));

    // Assess
    expect(list).toEqual({
      journeys: [
        {
          journeyId: 'test-journey',
          version: 3,
          name: 'Test',
          steps: [
            { id: 'remind', type: 'send' },
            { id: 'done', type: 'exit' },
          ],
        },
      ],
    });
  });
});

describe('Function: journeyLiftRows', () => {
  it('gives the lift of each journey with a holdout, and leaves out those without one', async () => {
    // Prepare
    const withHoldout = aJourney({ id: 'measured', holdout: 10 });
    const without = aJourney({ id: 'unmeasured' });
    const counters = new Map<string, Record<string, number>>([
      ['measured', { entered: 1000, heldOut: 100, converted: 98, 'converted#heldOut': 8 }],
      ['unmeasured', { entered: 50, converted: 5 }],
    ]);
    const stats = { read: async (journeyId: string) => new Map([[1, counters.get(journeyId) ?? {}]]) };

    // Act
    const rows = await journeyLiftRows({ catalog: aCatalog([withHoldout, without]), stats });

    // Assess
    expect(rows).toEqual([
      { journeyId: 'measured', entered: 1000, heldOut: 100, converted: 98, heldOutConverted: 8, lift: 0.25 },
    ]);
  });
});

describe('Function: readJourneyStats', () => {
  it('sums every version, listing the steps only an earlier version had after the current ones', async () => {
    // Prepare
    const v1 = aJourney({
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT1H' },
        { id: 'done', type: 'exit' },
      ],
    });
    const v2 = aJourney({ version: 2 });
    const counts = new Map<number, Record<string, number>>([
      [1, { entered: 4, 'waiting#pause': 2, 'taken#done': 2 }],
      [2, { entered: 3, 'taken#done': 1, 'taken#remind': 1 }],
    ]);

    // Act
    const stats = await readJourneyStats('test-journey', {
      catalog: aCatalog([v2], [v1]),
      stats: { read: async () => counts },
    });

    // Assess
    expect(stats).toMatchObject({ journeyId: 'test-journey', version: 2, entered: 7, waiting: 2 });
    expect(stats.steps.map((step) => `${step.stepId}:${step.taken}:${step.waiting}`)).toEqual([
      'remind:1:0',
      'done:3:0',
      'pause:0:2',
    ]);
  });

  it.each([
    ['not deployed', 'other-journey', JourneyNotFoundError],
    ['not a journey id', 'Not An Id', ContractValidationError],
    ['missing', undefined, ContractValidationError],
  ])('refuses a journey id that is %s', async (_case, journeyId, error) => {
    // Act
    const reading = readJourneyStats(journeyId, {
      catalog: aCatalog([aJourney()]),
      stats: { read: async () => new Map() },
    });

    // Assess
    await expect(reading).rejects.toBeInstanceOf(error);
  });
});

describe('Function: cancelJourneyRunsRequest', () => {
  it("asks the engine to cancel the customer's run of the key, saying it came from the API", async () => {
    // Prepare
    const asked: CancelRunsCommand[] = [];
    const ports = {
      catalog: aCatalog([aJourney()]),
      cancelRuns: async (command: CancelRunsCommand) => {
        asked.push(command);
        return 1;
      },
    };

    // Act
    const answer = await cancelJourneyRunsRequest('test-journey', { customerId: 'ada', key: 'c-1' }, ports);

    // Assess
    expect(answer).toEqual({ cancelled: 1 });
    expect(asked).toEqual([
      { journeyId: 'test-journey', customerId: 'ada', key: 'c-1', detail: 'by the API' },
    ]);
  });

  it('asks nothing of the engine for a bad body or a journey not deployed', async () => {
    // Prepare
    const asked: CancelRunsCommand[] = [];
    const ports = {
      catalog: aCatalog([aJourney()]),
      cancelRuns: async (command: CancelRunsCommand) => {
        asked.push(command);
        return 0;
      },
    };

    // Act
    const badBody = cancelJourneyRunsRequest('test-journey', { key: 'c-1' }, ports);
    const unknown = cancelJourneyRunsRequest('other', { customerId: 'ada' }, ports);

    // Assess
    await expect(badBody).rejects.toBeInstanceOf(ContractValidationError);
    await expect(unknown).rejects.toBeInstanceOf(JourneyNotFoundError);
    expect(asked).toEqual([]);
  });
});
