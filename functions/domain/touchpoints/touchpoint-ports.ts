/**
 * The ports the touchpoint use cases work through: where touchpoints and anonymous profiles are
 * kept, and the customer attributes identify traits update.
 */
import type { FieldIssue, TouchpointEvent } from '../../contract';
import type { ClientContextPolicy, ProfileRef, Touchpoint, TouchpointSource } from './touchpoint';

/** What a conditional write of one touchpoint found. */
export type StoreOutcome = 'stored' | 'duplicate';

/** What recording one event did: stored, already there, or dropped because its customer was erased. */
export type RecordOutcome = StoreOutcome | 'erased';

/** What linking an anonymous profile to a customer found. */
export type LinkOutcome =
  | { readonly outcome: 'linked' | 'already-linked' }
  /** The anonymous profile was already stitched to another customer; its history stays there. */
  | { readonly outcome: 'linked-elsewhere'; readonly customerId: string };

/** Touchpoints on customer and anonymous profiles. */
export interface TouchpointStore {
  /** Stores a touchpoint on a profile unless one with its messageId is there (conditional write). */
  put(profile: ProfileRef, touchpoint: Touchpoint): Promise<StoreOutcome>;
  /** The customer an anonymous profile was stitched to, read consistently; undefined if none. */
  stitchedCustomer(anonymousId: string): Promise<string | undefined>;
  /**
   * Points an anonymous profile at a customer, once: the first customer it is linked to stays.
   * The customer's partition keeps a reference back, so that erasing the customer finds the
   * anonymous profiles stitched to them.
   */
  link(anonymousId: string, customerId: string): Promise<LinkOutcome>;
  /**
   * Deletes every anonymous profile stitched to a customer, with what is left on it (erasure).
   * Returns how many profiles went; the references back go with the customer's partition.
   */
  eraseLinkedAnonymousProfiles(customerId: string): Promise<number>;
  /**
   * Moves what is left on an anonymous profile onto the customer: copies each touchpoint with a
   * create-if-absent write, then deletes it from the anonymous profile, so a repeat or a crash
   * part-way neither loses nor doubles one. Returns how many were copied and how many were there.
   */
  moveAnonymousHistory(
    anonymousId: string,
    customerId: string,
  ): Promise<{ readonly copied: number; readonly alreadyThere: number }>;
  /**
   * Moves one touchpoint of an anonymous profile onto the customer, as `moveAnonymousHistory`
   * moves each (create-if-absent copy, then delete): what an anonymous event stored just before
   * or while its visitor was stitched does for itself. Returns whether the copy was created.
   */
  moveTouchpoint(anonymousId: string, customerId: string, touchpoint: Touchpoint): Promise<StoreOutcome>;
}

/** What applying traits to a customer's attributes did. */
export type TraitsOutcome = 'updated' | 'unchanged' | 'no-customer' | 'stale';

/** The customer attributes that identify traits update, and whether the customer was erased. */
export interface CustomerAttributes {
  /** Whether the customer was erased (a live erasure tombstone, and no profile made again since): nothing of theirs is written. */
  isErased(customerId: string): Promise<boolean>;
  /**
   * Sets attributes on a customer's profile unless a later identify already did (`at` is the
   * identify's time); never creates a profile.
   */
  applyTraits(
    customerId: string,
    attributes: Readonly<Record<string, string | number | boolean | null>>,
    at: string,
  ): Promise<TraitsOutcome>;
}

/** The touchpoint ports: where events are stored and where identify traits land. */
export interface TouchpointPorts {
  readonly touchpoints: TouchpointStore;
  readonly attributes: CustomerAttributes;
  /** The personal context fields the deployment keeps (none unless configured). */
  readonly clientContext?: ClientContextPolicy;
}

/** Whether an event may be recorded as sent, as changed (e.g. a userId dropped), or not at all. */
export type Admission =
  | { readonly ok: true; readonly event: TouchpointEvent }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/** The source a body came from on the public ingest: what it may say, and the mark its touchpoints carry. */
export interface SourceGate {
  readonly mark: TouchpointSource;
  admit(event: TouchpointEvent): Admission;
}
