/**
 * Local-only provider credentials for the sandbox: a Twilio auth token and a SendGrid Event Webhook
 * ECDSA P-256 key pair, made fresh for each local run. The sandbox signs its simulated callbacks
 * with them; the webhooks verify with them; `.switchboard/local.json` publishes them so that any
 * local tool can sign a webhook too. They open nothing outside this machine.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** The sandbox's credentials. */
export interface SandboxCredentials {
  /** The Twilio account the sandbox pretends to be (`AC` + 32 hex). */
  readonly twilioAccountSid: string;
  /** Signs `X-Twilio-Signature` (HMAC-SHA1), as a Twilio auth token does. */
  readonly twilioAuthToken: string;
  /** Base64 DER (SPKI) public key, the form SendGrid shows under "Signed Event Webhook". */
  readonly sendgridPublicKey: string;
  /** Base64 DER (PKCS#8) private key that signs the simulated Event Webhook posts. */
  readonly sendgridPrivateKey: string;
}

/** The account SID in every sandbox callback; Twilio's test credentials look the same. */
export const SANDBOX_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000000';

/** Makes a fresh set of sandbox credentials. */
export function generateSandboxCredentials(): SandboxCredentials {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    twilioAccountSid: SANDBOX_TWILIO_ACCOUNT_SID,
    twilioAuthToken: randomBytes(16).toString('hex'),
    sendgridPublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    sendgridPrivateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}
