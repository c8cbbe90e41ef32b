import { recordTouchpoints } from '../../../../functions/domain/touchpoints/record-touchpoints';
import type { TouchpointStore } from '../../../../functions/domain/touchpoints/touchpoint-ports';
import { aTrackEvent } from '../../../helpers/touchpoints';

/** Touchpoints kept in memory; every event is new. */
function memoryStore(): TouchpointStore {
  return {
    put: async () => 'stored',
    stitchedCustomer: async () => undefined,
    link: async () => ({ outcome: 'linked' }),
    eraseLinkedAnonymousProfiles: async () => 0,
    moveAnonymousHistory: async () => ({ copied: 0, alreadyThere: 0 }),
    moveTouchpoint: async () => 'stored',
  };
}

describe('Function: recordTouchpoints', () => {
  it('asks once per customer of a batch whether they were erased, not once per event', async () => {
    // Prepare
    const asked: string[] = [];
    const deps = {
      touchpoints: memoryStore(),
      attributes: {
        isErased: async (customerId: string) => {
          asked.push(customerId);
          return customerId === 'gone';
        },
        applyTraits: async () => 'unchanged' as const,
      },
    };
    const batch = [
      aTrackEvent({ userId: 'ada' }),
      aTrackEvent({ userId: 'ada' }),
      aTrackEvent({ userId: 'gone' }),
      aTrackEvent({ userId: 'ada' }),
    ];

    // Act
    const outcome = await recordTouchpoints({ batch }, deps);

    // Assess
    expect(asked.sort()).toEqual(['ada', 'gone']);
    expect(outcome.ok && outcome.answer.results.map((result) => result.status)).toEqual([
      'accepted',
      'accepted',
      'rejected',
      'accepted',
    ]);
  });
});
