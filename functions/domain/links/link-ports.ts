/**
 * The ports of link tracking: where the link items live (the messages table, `link#<token>`) and
 * how a click is recorded on the attempt and the customer's timeline.
 */
import type { Channel } from '../../contract';
import type { AttemptKey } from '../ledger-model';

/** One tracked link of an attempt: the token of its short link and the URL it stands for. */
export interface LinkToSave {
  readonly token: string;
  readonly url: string;
}

/** A link item as stored: the attempt it credits and the URL a click is sent to. */
export interface StoredLink extends AttemptKey {
  readonly token: string;
  readonly url: string;
  readonly channel: Channel;
}

/** What recording a click did. */
export type ClickRecord =
  /** The click is on the attempt (`clicked`) and on the timeline (first click of the link). */
  | 'recorded'
  /** The attempt is gone (its customer was erased): nothing was written. */
  | 'gone';

/** The link items and clicks on the messages table. */
export interface LinkStore {
  /**
   * Writes an attempt's link items (a repeat rewrites the same items and keeps their clicks), in
   * one transaction with a check that the attempt is still there; `erased` when it was replaced
   * by an erasure tombstone, and nothing was written.
   */
  saveLinks(key: AttemptKey, links: readonly LinkToSave[]): Promise<'saved' | 'erased'>;
  /** The link of a token, read strongly consistent, or undefined. */
  findLink(token: string): Promise<StoredLink | undefined>;
  /**
   * Counts a click on the link item, puts the link's click item on the customer's timeline (keyed
   * by the first click's time, so later clicks rewrite the same item) and moves the attempt to
   * `clicked` (monotonic, attempt-status-write.ts). Repeating it is harmless.
   */
  recordClick(link: StoredLink, at: Date): Promise<ClickRecord>;
}
