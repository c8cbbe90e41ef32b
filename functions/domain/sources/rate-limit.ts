/**
 * The per-key rate limit of the public ingest: a fixed-window counter per source, kept in the
 * memory of each running instance.
 *
 * Why in memory, not a DynamoDB counter: a conditional UpdateItem per request would add one write
 * unit to every event batch (more than the events' own cost on a small batch) and a hot item per busy
 * key. The price is precision: each instance counts on its own, so a key gets at most
 * `limit × instances` per window, and the number of instances is capped by the function's reserved
 * concurrency (infra: `ingest.reservedConcurrency`). Locally there is one instance: the limit is
 * exact. Windows are aligned to the clock, so a burst straddling a boundary may pass twice the
 * limit within one window's length.
 */

/** What the limiter decided for one request. */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Options of {@link FixedWindowRateLimiter}. */
export interface RateLimitOptions {
  /** Requests allowed per key per window. */
  readonly limit: number;
  readonly windowSeconds: number;
  readonly now?: () => number;
}

/** Most keys remembered before old windows are dropped (bounds the memory a flood can take). */
const MAX_TRACKED_KEYS = 10_000;

/** A fixed-window request counter per key, in this instance's memory. */
export class FixedWindowRateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(options: RateLimitOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowSeconds * 1000;
    this.#now = options.now ?? Date.now;
  }

  /** Counts one request of `key`; refused once the window's limit is reached. */
  take(key: string): RateDecision {
    const now = this.#now();
    const start = now - (now % this.#windowMs);
    const window = this.#windows.get(key);
    if (!window || window.start !== start) {
      if (this.#windows.size >= MAX_TRACKED_KEYS) this.#forgetBefore(start);
      this.#windows.set(key, { start, count: 1 });
      return { allowed: true };
    }
    if (window.count >= this.#limit) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((start + this.#windowMs - now) / 1000)),
      };
    }
    window.count++;
    return { allowed: true };
  }

  #forgetBefore(start: number): void {
    for (const [key, window] of this.#windows) if (window.start < start) this.#windows.delete(key);
  }
}
