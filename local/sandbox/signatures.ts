/**
 * Signs requests the way Twilio and SendGrid sign their webhooks, so that the sandbox's simulated
 * callbacks (and simulated inbound messages) pass the same verification as the real ones.
 */
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import twilio from 'twilio';

/** Headers of a Twilio webhook request with form parameters `params` posted to `url`. */
export function twilioWebhookHeaders(
  authToken: string,
  url: string,
  params: Readonly<Record<string, string>>,
  idempotencyToken: string = randomUUID(),
): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'TwilioProxy/1.1',
    'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, { ...params }),
    // Twilio keeps this token when it retries a callback, so that receivers can drop repeats.
    'i-twilio-idempotency-token': idempotencyToken,
  };
}

/** The SendGrid Event Webhook signature headers for a JSON payload: ECDSA P-256 over timestamp + payload. */
export function sendgridEventWebhookHeaders(
  privateKeyBase64Der: string,
  payload: string,
  timestamp: string = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  const key = createPrivateKey({
    key: Buffer.from(privateKeyBase64Der, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  // Node signs EC keys as DER (r, s) by default, which is what SendGrid sends, base64-encoded.
  const signature = sign('sha256', Buffer.from(timestamp + payload, 'utf8'), key).toString('base64');
  return {
    'content-type': 'application/json',
    'user-agent': 'SendGrid Event API',
    'x-twilio-email-event-webhook-signature': signature,
    'x-twilio-email-event-webhook-timestamp': timestamp,
  };
}
