import { RetryLaterError } from '../../../../functions/domain/errors';
import { JourneyDefinitionError } from '../../../../functions/domain/journeys';
import { JourneySendBuffer } from '../../../../functions/domain/journeys/journey-send-buffer';
import { aRequest } from '../../../helpers/factories';
import { RecordingSendQueue } from '../../../helpers/journey-engine';

/** A journey's reminder as the engine asks for it: requestId `<runId>.<stepId>`. */
const reminder = (runId: string) => aRequest('camille', { requestId: `${runId}.push-reminder` });

describe('Class: JourneySendBuffer', () => {
  it('publishes nothing while inputs send, then every request in one call at the flush', async () => {
    // Prepare
    const queue = new RecordingSendQueue();
    const buffer = new JourneySendBuffer(queue);
    const runs = Array.from({ length: 12 }, (_, index) => `jr_${index}`);

    // Act
    for (const runId of runs) await buffer.portFor(`m-${runId}`).send([reminder(runId)]);
    const before = queue.calls.length;
    const unsent = await buffer.flush();

    // Assess
    expect(before).toBe(0);
    expect(queue.calls).toHaveLength(1);
    expect(queue.published).toEqual(runs.map((runId) => `${runId}.push-reminder`));
    expect(unsent).toEqual([]);
  });

  it('publishes a request collected by two inputs once (the same timer delivered twice)', async () => {
    // Prepare
    const queue = new RecordingSendQueue();
    const buffer = new JourneySendBuffer(queue);

    // Act
    await buffer.portFor('m-first').send([reminder('jr_1')]);
    await buffer.portFor('m-again').send([reminder('jr_1')]);
    const unsent = await buffer.flush();

    // Assess
    expect(queue.published).toEqual(['jr_1.push-reminder']);
    expect(unsent).toEqual([]);
  });

  it('names only the inputs whose requests did not all go out, with the requests and why', async () => {
    // Prepare
    const queue = new RecordingSendQueue();
    const buffer = new JourneySendBuffer(queue);
    const refused = new RetryLaterError('outbound queue refused jr_2.whatsapp-reminder', {
      code: 'Throttled',
    });
    queue.refusals.set('jr_2.whatsapp-reminder', refused);
    await buffer.portFor('m-1').send([reminder('jr_1')]);
    await buffer
      .portFor('m-2')
      .send([reminder('jr_2'), aRequest('camille', { requestId: 'jr_2.whatsapp-reminder' })]);
    await buffer.portFor('m-3').send([reminder('jr_3')]);

    // Act
    const unsent = await buffer.flush();

    // Assess
    expect(unsent).toEqual([{ inputId: 'm-2', requestIds: ['jr_2.whatsapp-reminder'], error: refused }]);
    expect(queue.published).toEqual(['jr_1.push-reminder', 'jr_2.push-reminder', 'jr_3.push-reminder']);
  });

  it('fails every input that asked for a refused request, and keeps a broken document as the reason', async () => {
    // Prepare
    const queue = new RecordingSendQueue();
    const buffer = new JourneySendBuffer(queue);
    const broken = new JourneyDefinitionError(
      'cart-recovery',
      'its message jr_1.push-reminder breaks the contract',
    );
    queue.refusals.set('jr_1.push-reminder', broken);
    await buffer.portFor('m-first').send([reminder('jr_1')]);
    await buffer.portFor('m-again').send([reminder('jr_1')]);

    // Act
    const unsent = await buffer.flush();

    // Assess
    expect(unsent).toEqual([
      { inputId: 'm-first', requestIds: ['jr_1.push-reminder'], error: broken },
      { inputId: 'm-again', requestIds: ['jr_1.push-reminder'], error: broken },
    ]);
  });

  it('fails every input that sent something when the queue throws', async () => {
    // Prepare
    const queue = new RecordingSendQueue();
    const buffer = new JourneySendBuffer(queue);
    queue.unavailable = new Error('socket hang up');
    await buffer.portFor('m-1').send([reminder('jr_1')]);
    await buffer.portFor('m-quiet').send([]);
    await buffer.portFor('m-2').send([reminder('jr_2')]);

    // Act
    const unsent = await buffer.flush();

    // Assess
    expect(unsent.map((input) => input.inputId)).toEqual(['m-1', 'm-2']);
    expect(unsent.every((input) => input.error === queue.unavailable)).toBe(true);
  });

  it('counts a request the queue gave no result for as not sent', async () => {
    // Prepare
    const buffer = new JourneySendBuffer({ sendEach: async () => [] });
    await buffer.portFor('m-1').send([reminder('jr_1')]);

    // Act
    const unsent = await buffer.flush();

    // Assess
    expect(unsent).toEqual([
      { inputId: 'm-1', requestIds: ['jr_1.push-reminder'], error: expect.any(Error) },
    ]);
  });

  it('starts empty after a flush: a second flush publishes nothing', async () => {
    // Prepare
    const queue = new RecordingSendQueue();
    const buffer = new JourneySendBuffer(queue);
    await buffer.portFor('m-1').send([reminder('jr_1')]);
    await buffer.flush();

    // Act
    const unsent = await buffer.flush();

    // Assess
    expect(unsent).toEqual([]);
    expect(queue.calls).toHaveLength(1);
  });
});
