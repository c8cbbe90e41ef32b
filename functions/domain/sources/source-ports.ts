/**
 * Where sources (./write-keys.ts) are kept: created and revoked by `switchboard sources`, read by
 * the public ingest on every request.
 */
import type { Source } from './write-keys';

/** The sources of write keys. */
export interface SourceStore {
  /** Stores a new source (its key only as a hash). */
  create(source: Source): Promise<void>;
  /** One source by id, revoked or not; undefined when there is none. */
  get(sourceId: string): Promise<Source | undefined>;
  /** Every source, revoked ones included, oldest first. */
  list(): Promise<Source[]>;
  /** Revokes a source's key (once: the first revocation time stays); undefined when there is none. */
  revoke(sourceId: string, at: Date): Promise<Source | undefined>;
}
