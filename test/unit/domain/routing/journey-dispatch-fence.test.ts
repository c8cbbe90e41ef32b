import { RetryLaterError } from '../../../../functions/domain/errors';
import {
  applyJourneyFence,
  type FencedRun,
  type FenceWrite,
  fenceVerdict,
  journeySendOf,
  UNRECORDED_SEND_GRACE_MS,
} from '../../../../functions/domain/routing/journey-dispatch-fence';
import { aRequest } from '../../../helpers/factories';
import {
  anOutboundRecord,
  inMemoryRouterPorts,
  routingContextFor,
} from '../../../helpers/in-memory-routing-ports';
import { aJourneyMessage, aTestRun, ScriptedJourneyFence } from '../../../helpers/journey-fence';

const run = aTestRun('camille', { runId: 'jr_1', key: 'c-1234' });
const send = journeySendOf(aJourneyMessage(run, 'push-reminder'))!;
const requestId = send.requestId;

/** A refused write that found this run. */
const found = (overrides: Partial<FencedRun> = {}): FenceWrite => ({
  written: false,
  run: { runId: 'jr_1', status: 'active', sendIds: [requestId], dispatched: {}, ...overrides },
});

describe('Function: journeySendOf', () => {
  it('addresses the run item from the metadata a send step writes', () => {
    // Act
    const address = journeySendOf(aJourneyMessage(run, 'push-reminder'));

    // Assess
    expect(address).toEqual({
      customerId: 'camille',
      journeyId: 'cart-recovery',
      key: 'c-1234',
      runId: 'jr_1',
      requestId: 'jr_1.push-reminder',
    });
  });

  it('says a request without a journeyRunId belongs to no run', () => {
    // Act
    const address = journeySendOf(aRequest('camille', { metadata: { journeyId: 'cart-recovery' } }));

    // Assess
    expect(address).toBeUndefined();
  });
});

describe('Function: fenceVerdict', () => {
  const first = { dispatch: 'first', waitedMs: 0 } as const;

  it.each<[string, FenceWrite, ReturnType<typeof fenceVerdict>]>([
    ['the write was made', { written: true }, { kind: 'dispatch' }],
    ['there is no run item', { written: false }, { kind: 'cancel', reason: 'journey run not found' }],
    [
      'the item holds a newer run',
      found({ runId: 'jr_2' }),
      { kind: 'cancel', reason: 'journey run replaced by a newer run' },
    ],
    [
      'the run exited on a goal',
      found({ status: 'exited', exitReason: 'goal' }),
      { kind: 'cancel', reason: 'journey exited: goal' },
    ],
    [
      'the run was cancelled',
      found({ status: 'exited', exitReason: 'cancelled' }),
      { kind: 'cancel', reason: 'journey exited: cancelled' },
    ],
    [
      'the run exited on a goal after the fence let this request through',
      found({ status: 'exited', exitReason: 'goal', dispatched: { [requestId]: '2026-11-23T10:00:00Z' } }),
      { kind: 'dispatch' },
    ],
    [
      'the active run has not recorded the request yet',
      found({ sendIds: [] }),
      { kind: 'retry', reason: 'the journey has not recorded the send yet' },
    ],
    [
      'the run completed without recording the request',
      found({ status: 'exited', exitReason: 'completed', sendIds: [] }),
      { kind: 'cancel', reason: 'journey never recorded the send' },
    ],
    [
      'the run is in a state the fence does not know',
      found({ status: 'paused' }),
      { kind: 'cancel', reason: 'journey run in an unknown state (paused)' },
    ],
  ])('decides for a first dispatch when %s', (_case, write, expected) => {
    // Act
    const verdict = fenceVerdict(write, send, first);

    // Assess
    expect(verdict).toEqual(expected);
  });

  it('cancels a request the active run still misses once it has waited longer than the grace', () => {
    // Act
    const verdict = fenceVerdict(found({ sendIds: [] }), send, {
      dispatch: 'first',
      waitedMs: UNRECORDED_SEND_GRACE_MS + 1,
    });

    // Assess
    expect(verdict).toEqual({ kind: 'cancel', reason: 'journey never recorded the send' });
  });

  it('retries a request the active run misses while it is within the grace', () => {
    // Act
    const verdict = fenceVerdict(found({ sendIds: [] }), send, {
      dispatch: 'first',
      waitedMs: UNRECORDED_SEND_GRACE_MS,
    });

    // Assess
    expect(verdict.kind).toBe('retry');
  });

  it('cancels a fallback after a goal even though the first dispatch was let through', () => {
    // Act
    const verdict = fenceVerdict(
      found({ status: 'exited', exitReason: 'goal', dispatched: { [requestId]: '2026-11-23T10:00:00Z' } }),
      send,
      { dispatch: 'fallback', waitedMs: 0 },
    );

    // Assess
    expect(verdict).toEqual({ kind: 'cancel', reason: 'journey exited: goal' });
  });
});

describe('Function: applyJourneyFence', () => {
  const now = new Date('2026-11-23T10:00:00Z');

  const contextWith = (fence?: ScriptedJourneyFence) => {
    const ports = inMemoryRouterPorts([], now);
    const context = routingContextFor(ports);
    return { ...context, deps: { ...context.deps, ...(fence ? { journeyFence: fence } : {}) } };
  };

  it('lets any other message through without asking the fence', async () => {
    // Prepare
    const fence = new ScriptedJourneyFence({ written: false });

    // Act
    const verdict = await applyJourneyFence(
      aRequest('camille'),
      anOutboundRecord({}),
      'first',
      contextWith(fence),
    );

    // Assess
    expect(verdict).toEqual({ kind: 'dispatch' });
    expect(fence.asked).toEqual([]);
  });

  it("asks the fence once with the message's run and returns its verdict", async () => {
    // Prepare
    const fence = new ScriptedJourneyFence(found({ status: 'exited', exitReason: 'goal' }));

    // Act
    const verdict = await applyJourneyFence(
      aJourneyMessage(run),
      anOutboundRecord({}),
      'first',
      contextWith(fence),
    );

    // Assess
    expect(verdict).toEqual({ kind: 'cancel', reason: 'journey exited: goal' });
    expect(fence.asked).toEqual([send]);
  });

  it('throws a retry-later error while the run has not recorded the send, measured from the first receive', async () => {
    // Prepare
    const fence = new ScriptedJourneyFence(found({ sendIds: [] }));
    const record = { ...anOutboundRecord({}), firstReceivedAt: new Date(now.getTime() - 60_000) };

    // Act
    const fenced = applyJourneyFence(aJourneyMessage(run), record, 'first', contextWith(fence));

    // Assess
    await expect(fenced).rejects.toBeInstanceOf(RetryLaterError);
    await expect(fenced).rejects.toMatchObject({ code: 'JOURNEY_SEND_UNRECORDED' });
  });

  it('cancels the send the run never recorded once the record was first received too long ago', async () => {
    // Prepare
    const fence = new ScriptedJourneyFence(found({ sendIds: [] }));
    const firstReceivedAt = new Date(now.getTime() - UNRECORDED_SEND_GRACE_MS - 1000);

    // Act
    const verdict = await applyJourneyFence(
      aJourneyMessage(run),
      { ...anOutboundRecord({}), firstReceivedAt },
      'first',
      contextWith(fence),
    );

    // Assess
    expect(verdict).toEqual({ kind: 'cancel', reason: 'journey never recorded the send' });
  });

  it('refuses to dispatch a journey message when the router has no fence', async () => {
    // Act
    const fenced = applyJourneyFence(aJourneyMessage(run), anOutboundRecord({}), 'first', contextWith());

    // Assess
    await expect(fenced).rejects.toThrow('no journey dispatch fence');
  });
});
