/**
 * Link tokens: the `{token}` of `/c/{token}`. 128 random bits (16 bytes from the operating
 * system's CSPRNG), written base64url without padding: 22 characters, so a token cannot be guessed
 * and the short link stays short. A token names a link item; nothing else about the link is in it.
 */
import { randomBytes } from 'node:crypto';

/** Random bytes in a token (128 bits). */
export const LINK_TOKEN_BYTES = 16;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A fresh, unguessable link token. */
export function newLinkToken(): string {
  return randomBytes(LINK_TOKEN_BYTES).toString('base64url');
}

/** Whether a string has the shape of a link token (checked before any table read). */
export function isLinkToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}
