/**
 * Factories for write-key sources and requests to the public ingest.
 */

import type { SourceStore } from '../../functions/domain/sources/source-ports';
import { type NewSource, newSource, type SourceKind } from '../../functions/domain/sources/write-keys';

/** A new source stored in `store`, with its write key in clear. */
export async function aStoredSource(
  store: SourceStore,
  kind: SourceKind,
  name = `${kind} source`,
): Promise<NewSource> {
  const created = newSource(name, kind);
  await store.create(created.source);
  return created;
}

/** The HTTP Basic header Segment's clients send: the write key as the user, an empty password. */
export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
