/**
 * Cost of webhook authentication per request: `npx tsx bench/webhook-signatures.ts`.
 * Compares `@sendgrid/eventwebhook` (pure-JavaScript ECDSA, starkbank-ecdsa) with node:crypto's
 * native P-256 verify on the same signed batch, and Twilio's HMAC check.
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';

function timePerCall(runs: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(runs, 5); i++) fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - start) / runs;
}

const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const body = JSON.stringify(
  Array.from({ length: 100 }, (_, i) => ({
    event: 'delivered',
    sg_event_id: `e${i}`,
    sg_message_id: `m${i}`,
    timestamp: 1,
  })),
);
const timestamp = '1700000000';
const signature = sign('sha256', Buffer.from(timestamp + body), pair.privateKey).toString('base64');

const webhook = new EventWebhook();
const key = webhook.convertPublicKeyToECDSA(publicKey);
const nativeKey = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
const sendgridLibrary = timePerCall(50, () => webhook.verifySignature(key, body, signature, timestamp));
const sendgridNative = timePerCall(2000, () =>
  verify('sha256', Buffer.from(timestamp + body), nativeKey, Buffer.from(signature, 'base64')),
);

const params = {
  MessageSid: `SM${'a'.repeat(32)}`,
  MessageStatus: 'delivered',
  To: '+15558675310',
  From: '+15017250604',
};
const url = 'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/twilio/status';
const twilioSignature = getExpectedTwilioSignature('t'.repeat(32), url, params);
const twilio = timePerCall(2000, () => validateRequest('t'.repeat(32), twilioSignature, url, params));

console.log(`SendGrid batch of 100 events, ${body.length} bytes`);
console.log(`  @sendgrid/eventwebhook verifySignature: ${sendgridLibrary.toFixed(2)} ms/request`);
console.log(`  node:crypto verify (same key, same bytes): ${sendgridNative.toFixed(3)} ms/request`);
console.log(`Twilio validateRequest: ${twilio.toFixed(3)} ms/request`);
