import { SandboxCallbacks } from '../../../local/sandbox/callbacks';
import { SandboxOutbox } from '../../../local/sandbox/outbox';

describe('Class: SandboxCallbacks', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps each pending callback on its own abort signal, so thousands never pile listeners on one', async () => {
    // Prepare: count abort listeners per signal as they are added and removed
    const listeners = new Map<EventTarget, number>();
    let most = 0;
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    jest.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (
      this: EventTarget,
      ...args
    ) {
      if (this instanceof AbortSignal && args[0] === 'abort') {
        const count = (listeners.get(this) ?? 0) + 1;
        listeners.set(this, count);
        most = Math.max(most, count);
      }
      return add.apply(this, args);
    });
    jest.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(function (
      this: EventTarget,
      ...args
    ) {
      if (this instanceof AbortSignal && args[0] === 'abort')
        listeners.set(this, (listeners.get(this) ?? 1) - 1);
      return remove.apply(this, args);
    });
    const callbacks = new SandboxCallbacks({
      webhookBaseUrl: 'http://127.0.0.1:9',
      outbox: new SandboxOutbox(),
    });

    // Act: 2,000 callbacks waiting at once, then a stop
    for (let index = 0; index < 2000; index++) {
      callbacks.schedule(`outbox-${index}`, [
        {
          delayMs: 60_000,
          status: { status: 'delivered', at: '2026-11-23T00:00:00Z' },
          request: () => ({ path: '/webhooks/twilio/status', headers: {}, body: '' }),
        },
      ]);
    }
    await callbacks.stop();

    // Assess: one waiting listener per signal at most, and stop cancelled every wait at once
    expect(most).toBe(1);
    expect(listeners.size).toBe(2000);
  });

  it('posts nothing scheduled after stop', async () => {
    const request = jest.fn(() => ({ path: '/x', headers: {}, body: '' }));
    const callbacks = new SandboxCallbacks({
      webhookBaseUrl: 'http://127.0.0.1:9',
      outbox: new SandboxOutbox(),
    });

    await callbacks.stop();
    callbacks.schedule('late', [
      { delayMs: 0, status: { status: 'delivered', at: '2026-11-23T00:00:00Z' }, request },
    ]);
    await callbacks.idle();

    expect(request).not.toHaveBeenCalled();
  });
});
