/**
 * The SendGrid Inbound Parse secret of a local run. Inbound Parse carries a secret in its URL (no
 * signature); locally it is derived from the run's sandbox Twilio auth token, so any tool that reads
 * `.switchboard/local.json` can post a simulated inbound email without a further local.json key.
 */
import { createHash } from 'node:crypto';

/** The Inbound Parse secret for a run whose sandbox auth token is `twilioAuthToken`. */
export function localInboundParseSecret(twilioAuthToken: string): string {
  return createHash('sha256').update(`inbound-parse:${twilioAuthToken}`).digest('hex');
}
