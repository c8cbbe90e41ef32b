/**
 * How an address is named in a stored key, in both tables: the customers table's address index and
 * suppression entries, and the messages table's anonymous-contact partitions. Every name is the
 * {@link AddressKeyer}'s keyed hash (HMAC-SHA-256 under the pepper), so a key cannot be reversed by
 * hashing every phone number.
 *
 * The `legacy…` forms are the plain SHA-256 names written before keying. They are read only while
 * a stage migrates (`readsLegacy`, docs/deploy.md "Keyed address hashes") and are never written.
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
  return `suppression#${sha256(`${channel}:${normalised}`)}`;
}

/** The anonymous-contact id written before keying (a plain SHA-256 of `channel:address`, cut to 32). */
export function legacyContactId(channel: Channel, normalised: string): string {
  return `anon_${sha256(`${channel}:${normalised}`).slice(0, 32)}`;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
