/**
 * Write keys: how a source (a web shop, an app, a store terminal, a backend) proves which source it
 * is on the public ingest. A key is `<sourceId>.<43 characters of base64url randomness>`: the
 * source id in front lets the ingest read the one source item by key (no index, no scan), and the
 * 256 random bits behind it are what proves the sender holds the key.
 *
 * Only a hash of the key is stored. A plain SHA-256 is enough here (no salt, no slow KDF): those
 * exist to make guessing low-entropy passwords expensive, and a 256-bit random key cannot be
 * guessed whatever the hash costs. Comparison is constant-time all the same.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** What a source is: `client` keys are public (in a page or an app), `server` keys are secret. */
export const SourceKind = { CLIENT: 'client', SERVER: 'server' } as const;
/** What a source is. */
export type SourceKind = (typeof SourceKind)[keyof typeof SourceKind];
/** Every source kind. */
export const SOURCE_KINDS: readonly SourceKind[] = Object.values(SourceKind);

/** A source as stored: never its key, only the key's hash. */
export interface Source {
  readonly sourceId: string;
  readonly name: string;
  readonly kind: SourceKind;
  /** SHA-256 (hex) of the write key. */
  readonly keyHash: string;
  /** The `userHash` secret of a client source (identity verification); absent for server sources. */
  readonly userHashSecret?: string;
  readonly createdAt: string;
  /** When the key was revoked; a revoked key is refused like an unknown one. */
  readonly revokedAt?: string;
}

/** A new source with its key and secret in clear: shown once, at creation, never stored in clear. */
export interface NewSource {
  readonly source: Source;
  readonly writeKey: string;
}

const SOURCE_ID = /^src_[0-9a-f]{32}$/;
const KEY_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A source name: what people call it in `switchboard sources list`. */
export const SOURCE_NAME = /^[\p{L}\p{N} _.:@/-]{1,100}$/u;

/** Makes a new source with a fresh write key (and, for a client source, a fresh userHash secret). */
export function newSource(name: string, kind: SourceKind, now: Date = new Date()): NewSource {
  const sourceId = `src_${randomUUID().replaceAll('-', '')}`;
  const writeKey = `${sourceId}.${randomBytes(32).toString('base64url')}`;
  return {
    writeKey,
    source: {
      sourceId,
      name,
      kind,
      keyHash: hashWriteKey(writeKey),
      ...(kind === SourceKind.CLIENT ? { userHashSecret: randomBytes(32).toString('hex') } : {}),
      createdAt: now.toISOString(),
    },
  };
}

/** The stored hash of a write key. */
export function hashWriteKey(writeKey: string): string {
  return createHash('sha256').update(writeKey, 'utf8').digest('hex');
}

/** The source id a well-formed write key names; undefined for anything else. */
export function sourceIdOfKey(writeKey: string): string | undefined {
  const [sourceId, secret, ...rest] = writeKey.split('.');
  if (rest.length > 0 || !sourceId || !secret) return undefined;
  return SOURCE_ID.test(sourceId) && KEY_SECRET.test(secret) ? sourceId : undefined;
}

/** Whether a write key is the source's live key (the right hash, not revoked). */
export function keyOpensSource(writeKey: string, source: Source | undefined): source is Source {
  if (!source || source.revokedAt !== undefined) return false;
  const expected = Buffer.from(source.keyHash, 'hex');
  const actual = Buffer.from(hashWriteKey(writeKey), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
