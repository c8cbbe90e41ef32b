/**
 * A stand-in for API Gateway's IAM authorisation on 127.0.0.1: every request must carry a SigV4
 * signature (service `execute-api`) that this server recomputes with the one set of test
 * credentials it knows; a request that is unsigned, signed with another key or secret, or changed
 * after signing is answered 403 as AWS would. Good requests are forwarded to `upstream` (the local
 * runtime's HTTP server, running the real api handler on the emulators).
 */

import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { listenOnLoopback } from './loopback';

/** A running gateway. */
export interface SigV4Gateway {
  readonly url: string;
  /** Requests that passed and were forwarded, as `METHOD /path`. */
  readonly forwarded: string[];
  /** Requests refused, with why. */
  readonly rejected: { request: string; reason: string }[];
  stop(): Promise<void>;
}

/** Starts a gateway that accepts only requests signed with `credentials` for `region`. */
export async function startSigV4Gateway(options: {
  readonly upstream: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity;
}): Promise<SigV4Gateway> {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const forwarded: string[] = [];
  const rejected: { request: string; reason: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const name = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`;
      verify(signer, options, req, body).then(
        async (reason) => {
          if (reason) {
            rejected.push({ request: name, reason });
            res.writeHead(403, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ message: reason }));
            return;
          }
          forwarded.push(name);
          const upstream = await fetch(`${options.upstream}${req.url}`, {
            method: req.method ?? 'GET',
            headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
            ...(body.length > 0 ? { body } : {}),
          });
          res.writeHead(upstream.status, {
            'content-type': upstream.headers.get('content-type') ?? 'text/plain',
          });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
  });
  const { url, stop } = await listenOnLoopback(server);
  return {
    url,
    forwarded,
    rejected,
    stop,
  };
}

/** Undefined when the request is correctly signed; otherwise why not. */
async function verify(
  signer: SignatureV4,
  options: { region: string; credentials: AwsCredentialIdentity },
  req: IncomingMessage,
  body: Buffer,
): Promise<string | undefined> {
  const authorization = req.headers.authorization;
  const amzDate = req.headers['x-amz-date'];
  if (!authorization || typeof amzDate !== 'string') return 'Missing Authentication Token';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return 'Malformed Authorization header';
  const [, accessKeyId, , region, service, signedHeaders] = match;
  if (accessKeyId !== options.credentials.accessKeyId)
    return 'The security token included in the request is invalid';
  if (region !== options.region || service !== 'execute-api')
    return 'Credential should be scoped to execute-api in the right region';
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders ?? '').split(';')) {
    const value = req.headers[name];
    if (value === undefined) return `Signed header ${name} is missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    query[key] = value;
  });
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const expected = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers,
      ...(body.length > 0 ? { body: body.toString('utf8') } : {}),
    },
    { signingDate },
  );
  if (expected.headers.authorization !== authorization) {
    return 'The request signature we calculated does not match the signature you provided';
  }
  return undefined;
}
