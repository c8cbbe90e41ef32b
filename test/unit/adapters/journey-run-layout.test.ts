import {
  decodeRunState,
  encodeRunState,
  type RunState,
} from '../../../functions/adapters/dynamodb/journey-run-layout';
import type { JourneyRun } from '../../../functions/domain/journeys';

/** A run waiting in wait-again after its push reminder, and the last write's input and effects. */
function aWaitingRun(): RunState {
  const run: JourneyRun = {
    runId: 'jr_1',
    journeyId: 'cart-recovery',
    journeyVersion: 1,
    customerId: 'c-1',
    key: 'cart-1',
    status: 'active',
    version: 2,
    heldOut: false,
    enteredAt: '2026-12-05T09:00:00.000Z',
    entry: {
      id: 'pa-1',
      name: 'Product Added',
      customerId: 'c-1',
      at: '2026-12-05T09:00:00.000Z',
      body: { properties: { cartId: 'cart-1' } },
    },
    matched: {},
    sends: { 'push-reminder': { requestId: 'jr_1.push-reminder' } },
    seenEventIds: ['pa-1'],
    path: [{ stepId: 'wait-for-order', at: '2026-12-05T10:00:00.000Z', outcome: 'timeout' }],
    position: {
      stepId: 'wait-again',
      since: '2026-12-05T10:00:00.000Z',
      until: '2026-12-06T10:00:00.000Z',
      timerToken: 'jr_1.wait-again',
    },
  };
  return {
    run,
    lastInputId: 'timer:jr_1.wait-for-order',
    lastEffects: [
      { type: 'scheduleTimer', runId: 'jr_1', at: '2026-12-06T10:00:00.000Z', token: 'jr_1.wait-again' },
    ],
  };
}

const IDS = {
  runId: 'jr_1',
  journeyId: 'cart-recovery',
  journeyVersion: 1,
  customerId: 'c-1',
  runKey: 'cart-1',
  status: 'active',
  version: 2,
} as const;

/** The state above as codec 1 wrote it on 2026-12-05: what every item written since holds. */
const WRITTEN_BY_CODEC_1 =
  'ASMt1ExDDCzxBVtBoq4hrqBDK5GSwSoTCRgPCz98hbqhUm1trY4SWvUITTCgolUXT6ox1ENVUYtZt0J8FatDelYxDTFEiyEsGQdkMM4snpiemJmHLXtjGo2R280wlKBnfkM9JEtAPkct0ODlGFQdskeJLMqKELUCZnRjcSAut8XWAgA=';

describe('Function: decodeRunState', () => {
  it('reads a state codec 1 wrote, so a changed dictionary cannot go unnoticed', () => {
    // Act
    const state = decodeRunState(Buffer.from(WRITTEN_BY_CODEC_1, 'base64'), IDS);

    // Assess
    expect(state).toEqual(aWaitingRun());
  });

  it('puts the ids back from the item: the version the dispatch fence raised wins', () => {
    // Prepare
    const encoded = encodeRunState(aWaitingRun());

    // Act
    const state = decodeRunState(encoded, { ...IDS, version: 3 });

    // Assess
    expect(state.run).toEqual({ ...aWaitingRun().run, version: 3 });
  });

  it('refuses a state in a codec it does not know', () => {
    // Prepare
    const encoded = Buffer.from(encodeRunState(aWaitingRun()));
    encoded[0] = 9;

    // Act
    const decode = () => decodeRunState(encoded, IDS);

    // Assess
    expect(decode).toThrow(/unknown state codec 9/);
  });
});

describe('Function: encodeRunState', () => {
  it('compresses a run to well under its JSON, leaving out what the item holds at its top level', () => {
    // Prepare
    const state = aWaitingRun();

    // Act
    const encoded = encodeRunState(state);

    // Assess
    expect(encoded.byteLength).toBeLessThan(JSON.stringify(state).length / 2);
    expect(decodeRunState(encoded, IDS)).toEqual(state);
  });
});
