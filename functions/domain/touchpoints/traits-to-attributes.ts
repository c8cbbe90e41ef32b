/**
 * Which identify `traits` become customer `attributes`: scalar values under identifier keys, as the
 * Customer contract's attributes allow. Traits never touch addresses or consent — an email or phone
 * trait from a web form proves nothing about who owns the address or what they agreed to — so the
 * traits that name an address are left out, as are nested ones (Segment's `address`, `company`).
 */
import { AttributesSchema } from '../../contract';

/** Traits that are addresses in Segment's reserved traits; never copied onto the profile. */
export const ADDRESS_TRAITS: ReadonlySet<string> = new Set(['email', 'phone', 'address']);

/** The most attributes a profile holds (the Customer contract's limit). */
export const MAX_ATTRIBUTES = 50;

/** The attributes that `traits` set, each checked on its own against the Customer contract. */
export function traitsToAttributes(
  traits: Readonly<Record<string, unknown>>,
): Record<string, string | number | boolean | null> {
  const attributes: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (ADDRESS_TRAITS.has(key)) continue;
    const one = AttributesSchema.safeParse({ [key]: value });
    if (one.success) attributes[key] = one.data[key] as string | number | boolean | null;
  }
  return attributes;
}

/**
 * `current` with `updates` applied; a new key that would take the profile past
 * {@link MAX_ATTRIBUTES} is left out, an existing key is always updated.
 */
export function mergeAttributes(
  current: Readonly<Record<string, string | number | boolean | null>>,
  updates: Readonly<Record<string, string | number | boolean | null>>,
): Record<string, string | number | boolean | null> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(updates)) {
    if (!(key in merged) && Object.keys(merged).length >= MAX_ATTRIBUTES) continue;
    merged[key] = value;
  }
  return merged;
}
