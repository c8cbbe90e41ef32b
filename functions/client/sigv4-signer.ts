/**
 * SigV4 signing for the IAM-authorised API in AWS, for {@link SwitchboardApiClient}'s `sign` option.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { OutgoingRequest } from './api-client';

type Data = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 (or HMAC-SHA-256 with a secret) as the signer wants it, on node:crypto. */
class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: Data) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: Data): void {
    this.#hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {}
}

function toBuffer(data: Data): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** A signer for API Gateway (`execute-api`) in a region, with the caller's credentials. */
export function sigV4Signer(options: {
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}) {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
  });
  return async (request: OutgoingRequest): Promise<Record<string, string>> => {
    const query: Record<string, string> = {};
    request.url.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const signed = await signer.sign({
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port ? { port: Number(request.url.port) } : {}),
      path: request.url.pathname,
      query,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    return signed.headers;
  };
}
