/**
 * Identity verification for client sources (the pattern Intercom and others call "identity
 * verification"): a client source's key is public, so anyone can send events naming any userId.
 * The shop's backend, which knows who is logged in, computes `userHash` = HMAC-SHA256(userId, the
 * source's secret) in hex and hands it to the page; an event whose userHash matches is trusted with
 * its userId. Without a valid one the userId is dropped and the event stays on its anonymousId.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The userHash of a userId under a source's secret: HMAC-SHA256, lower-case hex. */
export function userHashOf(userId: string, secret: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Whether `userHash` proves `userId` under the secret (constant-time). */
export function userHashMatches(userId: string, userHash: string | undefined, secret: string): boolean {
  if (userHash === undefined || !/^[0-9a-fA-F]{64}$/.test(userHash)) return false;
  const expected = Buffer.from(userHashOf(userId, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(userHash, 'hex'));
}
