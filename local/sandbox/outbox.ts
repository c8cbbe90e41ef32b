/**
 * The sandbox outbox: what the sandbox providers were asked to send, as the person would see it,
 * with every status the sandbox reported back and how each signed callback was answered. Kept in
 * the local runtime's memory (bounded, newest first) for the console; never used on AWS.
 */
import type { Channel, MessageStatus, Provider, RenderedContent } from '../../functions/contract';

/** One status the sandbox reported (or a refusal at send time). */
export interface OutboxStatus {
  readonly status: MessageStatus | 'throttled';
  readonly at: string;
  /** Provider error code, e.g. Twilio `30003`, SendGrid `5.1.1`. */
  readonly errorCode?: string;
  readonly detail?: string;
}

/** How one signed callback was answered by the webhook. */
export interface OutboxCallback {
  /** Path of the webhook called, e.g. `/webhooks/twilio/status`. */
  readonly path: string;
  /** What the callback said, e.g. `delivered`. */
  readonly reports: string;
  readonly at: string;
  /** The webhook's HTTP status, or undefined when the request itself failed. */
  readonly httpStatus?: number;
  readonly error?: string;
  readonly attempt: number;
}

/** One message the sandbox accepted or refused. */
export interface OutboxEntry {
  /** The provider message id the sandbox returned (or made up for a refusal). */
  readonly id: string;
  readonly channel: Channel;
  readonly provider: Provider;
  readonly messageId: string;
  readonly customerId: string;
  readonly attempt: number;
  /** Who it went to: a phone number, an email address, or push device labels. */
  readonly to: string;
  /** Who it came from, where the channel has a sender (SMS/WhatsApp number, email address). */
  readonly from?: string;
  readonly content: RenderedContent;
  /** `accepted`, or `refused` when the send itself failed (invalid number, throttled, …). */
  readonly outcome: 'accepted' | 'refused';
  readonly acceptedAt: string;
  readonly statuses: OutboxStatus[];
  readonly callbacks: OutboxCallback[];
}

/** What changed, for live updates. */
export type OutboxChange = { readonly kind: 'added' | 'updated'; readonly entry: OutboxEntry };

/** Bounded in-memory store of sandbox sends. */
export class SandboxOutbox {
  readonly #entries: OutboxEntry[] = [];
  readonly #listeners = new Set<(change: OutboxChange) => void>();
  readonly #limit: number;

  constructor(limit = 500) {
    this.#limit = limit;
  }

  /** Adds a send; the oldest entry goes when the outbox is full. */
  add(entry: OutboxEntry): void {
    this.#entries.unshift(entry);
    if (this.#entries.length > this.#limit) this.#entries.length = this.#limit;
    this.#emit({ kind: 'added', entry });
  }

  /** Appends a status to an entry (no-op if it has been pushed out). */
  addStatus(id: string, status: OutboxStatus): void {
    const entry = this.get(id);
    if (!entry) return;
    entry.statuses.push(status);
    this.#emit({ kind: 'updated', entry });
  }

  /** Appends a callback outcome to an entry. */
  addCallback(id: string, callback: OutboxCallback): void {
    const entry = this.get(id);
    if (!entry) return;
    entry.callbacks.push(callback);
    this.#emit({ kind: 'updated', entry });
  }

  /** One entry by provider message id. */
  get(id: string): OutboxEntry | undefined {
    return this.#entries.find((entry) => entry.id === id);
  }

  /** Entries, newest first, optionally for one channel or customer. */
  list(filter: { channel?: Channel; customerId?: string; limit?: number } = {}): OutboxEntry[] {
    return this.#entries
      .filter((e) => (filter.channel ? e.channel === filter.channel : true))
      .filter((e) => (filter.customerId ? e.customerId === filter.customerId : true))
      .slice(0, filter.limit ?? this.#limit);
  }

  /** Calls the listener on every change; returns the function that unsubscribes it. */
  subscribe(listener: (change: OutboxChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(change: OutboxChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A broken console stream must not break a send.
      }
    }
  }
}
