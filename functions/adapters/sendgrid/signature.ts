/**
 * SendGrid Signed Event Webhook: SendGrid signs `timestamp + raw body` with ECDSA (P-256, SHA-256)
 * and sends the signature (base64 DER) and the timestamp (Unix seconds) in headers. Checked with
 * `@sendgrid/eventwebhook` against the verification key shown in the SendGrid console. A valid
 * signature on an old timestamp is a replay: rejected beyond a tolerance (default 5 minutes), and a
 * timestamp from the future beyond a small clock skew is rejected too.
 */
import { EventWebhook, EventWebhookHeader } from '@sendgrid/eventwebhook';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { WebhookAuthenticationError } from '../../domain/webhook-errors';
import { header } from '../http/api-gateway-request';

/** Header carrying SendGrid's signature. */
export const SENDGRID_SIGNATURE_HEADER = EventWebhookHeader.SIGNATURE();
/** Header carrying the signed timestamp. */
export const SENDGRID_TIMESTAMP_HEADER = EventWebhookHeader.TIMESTAMP();
/** Default age beyond which a signed request is a replay. */
export const DEFAULT_SENDGRID_TOLERANCE_SECONDS = 300;
/** Default allowance for SendGrid's clock running ahead of ours. */
export const DEFAULT_SENDGRID_CLOCK_SKEW_SECONDS = 30;

/** How to check SendGrid signatures. */
export interface SendGridSignatureOptions {
  /** The verification key from Settings → Mail Settings → Event Webhook (base64 DER or PEM). */
  readonly publicKey: string;
  readonly toleranceSeconds?: number;
  readonly clockSkewSeconds?: number;
  readonly now?: () => Date;
}

/** Checks one request; throws {@link WebhookAuthenticationError} when it is not authentic or stale. */
export type SendGridSignatureVerifier = (
  event: Pick<APIGatewayProxyEventV2, 'headers'>,
  body: Buffer,
) => void;

/** Builds a verifier for one verification key (parsed once, at set-up). */
export function createSendGridSignatureVerifier(
  options: SendGridSignatureOptions,
): SendGridSignatureVerifier {
  const webhook = new EventWebhook();
  const key = webhook.convertPublicKeyToECDSA(options.publicKey);
  const tolerance = options.toleranceSeconds ?? DEFAULT_SENDGRID_TOLERANCE_SECONDS;
  const skew = options.clockSkewSeconds ?? DEFAULT_SENDGRID_CLOCK_SKEW_SECONDS;
  const now = options.now ?? (() => new Date());

  return (event, body) => {
    const signature = header(event, SENDGRID_SIGNATURE_HEADER);
    const timestamp = header(event, SENDGRID_TIMESTAMP_HEADER);
    if (!signature) throw new WebhookAuthenticationError(`no ${SENDGRID_SIGNATURE_HEADER} header`);
    if (!timestamp) throw new WebhookAuthenticationError(`no ${SENDGRID_TIMESTAMP_HEADER} header`);
    if (!/^\d{1,12}$/.test(timestamp)) {
      throw new WebhookAuthenticationError(`${SENDGRID_TIMESTAMP_HEADER} is not a Unix time in seconds`);
    }
    const age = Math.floor(now().getTime() / 1000) - Number(timestamp);
    if (age > tolerance) throw new WebhookAuthenticationError(`signed ${age} s ago, beyond ${tolerance} s`);
    if (age < -skew) throw new WebhookAuthenticationError('signed in the future');
    let valid: boolean;
    try {
      valid = webhook.verifySignature(key, body, signature, timestamp);
    } catch (error) {
      // starkbank-ecdsa throws on a signature that is not base64 DER.
      throw new WebhookAuthenticationError('malformed signature', { cause: error });
    }
    if (!valid) throw new WebhookAuthenticationError(`${SENDGRID_SIGNATURE_HEADER} does not match`);
  };
}
