/**
 * SigV4 signing for the IAM-authorised API in AWS, for {@link SwitchboardApiClient}'s `sign` option.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { OutgoingRequest } from './api-client';

/** A signer for API Gateway (`execute-api`) in a region, with the caller's credentials. */
export function sigV4Signer(options: {
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}) {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    // The signer takes a hash constructor (SHA-256, or HMAC-SHA-256 when given a secret); the AWS
    // SDK's own is @aws-crypto/sha256-js, pure JavaScript, so the client also runs outside Node.
    sha256: Sha256,
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
