/**
 * Delivers the sandbox's simulated provider callbacks: after a short delay each, in order, posted
 * to the real webhook routes with real signatures, retried a few times when the webhook is down or
 * answers 5xx. Every outcome is written to the outbox so the console can show it.
 */
import type { OutboxStatus, SandboxOutbox } from './outbox';

/** One simulated callback. */
export interface CallbackStep {
  /** Wait this long after the previous step (or the send) before reporting it. */
  readonly delayMs: number;
  /** The status the provider reports at this step. */
  readonly status: OutboxStatus;
  /** Builds the request when it is due (signatures carry a timestamp). */
  readonly request: () => {
    readonly path: string;
    readonly headers: Record<string, string>;
    readonly body: string;
  };
}

/** Options for {@link SandboxCallbacks}. */
export interface SandboxCallbacksOptions {
  /** Where the webhook routes are served, e.g. `http://127.0.0.1:4000` (no trailing slash). */
  readonly webhookBaseUrl: string;
  readonly outbox: SandboxOutbox;
  /** Attempts per callback when the webhook cannot be reached or answers 5xx. */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
}

/** Schedules and posts simulated callbacks; stop() cancels what has not been sent. */
export class SandboxCallbacks {
  readonly #options: SandboxCallbacksOptions;
  // One controller per callback chain, all aborted on stop: a single shared signal would collect a
  // listener per pending callback (thousands under load) and trip Node's MaxListeners warning.
  readonly #controllers = new Set<AbortController>();
  readonly #running = new Set<Promise<void>>();
  #stopped = false;

  constructor(options: SandboxCallbacksOptions) {
    this.#options = options;
  }

  /** The base URL callbacks are posted to. */
  get webhookBaseUrl(): string {
    return this.#options.webhookBaseUrl;
  }

  /** Runs the steps for one outbox entry, one after the other, in the background. */
  schedule(outboxId: string, steps: readonly CallbackStep[]): void {
    if (this.#stopped) return;
    const controller = new AbortController();
    this.#controllers.add(controller);
    const chain = this.#run(outboxId, steps, controller.signal).finally(() => {
      this.#running.delete(chain);
      this.#controllers.delete(controller);
    });
    this.#running.add(chain);
  }

  /** Resolves when every scheduled callback has been posted (for tests and a clean stop). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  /** Cancels callbacks not yet due and waits for those being posted. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const controller of this.#controllers) controller.abort();
    await this.idle();
  }

  async #run(outboxId: string, steps: readonly CallbackStep[], signal: AbortSignal): Promise<void> {
    for (const step of steps) {
      if (!(await sleep(step.delayMs, signal))) return;
      this.#options.outbox.addStatus(outboxId, { ...step.status, at: new Date().toISOString() });
      await this.#post(outboxId, step, signal);
    }
  }

  async #post(outboxId: string, step: CallbackStep, signal: AbortSignal): Promise<void> {
    const { path, headers, body } = step.request();
    const maxAttempts = this.#options.maxAttempts ?? 3;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const at = new Date().toISOString();
      const reports = step.status.status;
      try {
        const response = await fetch(`${this.#options.webhookBaseUrl}${path}`, {
          method: 'POST',
          headers,
          body,
          signal,
        });
        await response.arrayBuffer();
        this.#options.outbox.addCallback(outboxId, {
          path,
          reports,
          at,
          httpStatus: response.status,
          attempt,
        });
        if (response.status < 500) return;
      } catch (error) {
        if (signal.aborted) return;
        this.#options.outbox.addCallback(outboxId, { path, reports, at, error: String(error), attempt });
      }
      if (!(await sleep((this.#options.retryDelayMs ?? 1_000) * attempt, signal))) return;
    }
  }
}

/** Waits, or returns false at once when stopped. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
