/**
 * How an address is named in a stored key, in both tables: the customers table's address index and
 * suppression entries, and the messages table's anonymous-contact partitions. Every name is the
 * {@link AddressKeyer}'s keyed hash (HMAC-SHA-256 under the pepper), so a key cannot be reversed by
 * hashing every phone number.
 *
 * The `legacy…` forms are the plain SHA-256 names written before keying. They are read only while
 * a stage migrates (`readsLegacy`, docs/deploy.md "Keyed address hashes") and are never written.
 * A legacy suppression entry cannot be re-keyed from its address (an erased customer's address is
 * gone), so the migration (address-key-migration.ts) re-keys it from its digest instead: the
 * {@link wrappedSuppressionKey}, an HMAC of the plain digest, which lookups always try as well.
 */
import { createHash } from 'node:crypto';
import type { Channel } from '../../contract';
import type { AddressKeyer } from '../../domain/ports';

/** The address index key of a normalised address. */
export async function addressKey(keyer: AddressKeyer, channel: Channel, normalised: string): Promise<string> {
  return `address#${channel}#${await keyer.key(channel, normalised)}`;
}

/** The suppression key of a normalised address. */
export async function suppressionKey(
  keyer: AddressKeyer,
  channel: Channel,
  normalised: string,
): Promise<string> {
  return `suppression#${await keyer.key(channel, normalised)}`;
}

/** Marks items named by a keyed hash, so the migration tells them from plain-hash ones. */
export const KEYED_BY = { attribute: 'keyedBy', value: 'hmac-sha256' } as const;

/**
 * The suppression key of a legacy entry re-keyed from its plain digest: the keyer's hash of
 * `sha256:<digest>` (no normalised address starts with `sha256:`, so it names no real address).
 */
export function wrappedSuppressionKey(
  keyer: AddressKeyer,
  channel: Channel,
  legacyDigest: string,
): Promise<string> {
  return suppressionKey(keyer, channel, `sha256:${legacyDigest}`);
}

/**
 * Every key a suppression of this address may be stored under: keyed, re-keyed from a legacy
 * digest, and (only while migrating) the plain legacy key itself.
 */
export async function suppressionKeysToRead(
  keyer: AddressKeyer,
  channel: Channel,
  normalised: string,
): Promise<string[]> {
  const keys = [
    await suppressionKey(keyer, channel, normalised),
    await wrappedSuppressionKey(keyer, channel, legacyDigest(channel, normalised)),
  ];
  if (keyer.readsLegacy) keys.push(legacySuppressionKey(channel, normalised));
  return keys;
}

/** The id an unknown sender's messages are kept under, for a normalised address. */
export async function contactIdOf(
  keyer: AddressKeyer,
  channel: Channel,
  normalised: string,
): Promise<string> {
  return `anon_${(await keyer.key(channel, normalised)).slice(0, 32)}`;
}

/** The address index key written before keying (a plain SHA-256 of the address). */
export function legacyAddressKey(channel: Channel, normalised: string): string {
  return `address#${channel}#${sha256(normalised)}`;
}

/** The suppression key written before keying (a plain SHA-256 of `channel:address`). */
export function legacySuppressionKey(channel: Channel, normalised: string): string {
  return `suppression#${legacyDigest(channel, normalised)}`;
}

/** The anonymous-contact id written before keying (a plain SHA-256 of `channel:address`, cut to 32). */
export function legacyContactId(channel: Channel, normalised: string): string {
  return `anon_${legacyDigest(channel, normalised).slice(0, 32)}`;
}

/** The plain SHA-256 of `channel:address` that legacy suppression keys and contact ids were made of. */
function legacyDigest(channel: Channel, normalised: string): string {
  return sha256(`${channel}:${normalised}`);
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
