/**
 * One HTTP request to a provider's REST API (Twilio, SendGrid), sent by the AWS SDK's own Node
 * handler, `@smithy/node-http-handler`, which every function bundles already for its SDK clients.
 *
 * Why not fetch: Node's fetch is its bundled undici, which Node loads and sets up the first time
 * fetch is called. A fresh process's first POST to a local server took 61–74 ms through fetch and
 * 30–32 ms through this module, loading the handler included (`npm run bench:cold`, the "first
 * request" rows), and a sender's first call is the message a cold start delays. The handler is
 * node:http(s) with timeouts and keep-alive; what is ours is only turning a URL and a string body
 * into its request and collecting the answer.
 */

import type { Readable } from 'node:stream';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** A request: a string body (JSON or form) and its content type in `headers`. */
export interface ProviderRequest {
  readonly url: string;
  /** An HTTP method in upper case. */
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Milliseconds the whole exchange may take before it is given up (a `TimeoutError`). */
  readonly timeoutMs: number;
}

/** The answer, header names in lower case. */
export interface ProviderResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** One handler per container: its agents keep connections to the provider alive between messages. */
let handler: NodeHttpHandler | undefined;

/** The error a request past its deadline fails with (transient: adapters/http/transient-faults.ts). */
function timeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`The provider did not answer within ${timeoutMs} ms`), {
    name: 'TimeoutError',
  });
}

/**
 * Sends one request; network faults reject as node:http raised them, and a request not fully
 * answered (headers and body) within `timeoutMs` rejects with a `TimeoutError`.
 */
export async function providerRequest(request: ProviderRequest): Promise<ProviderResponse> {
  handler ??= new NodeHttpHandler({ connectionTimeout: 5_000 });
  const url = new URL(request.url);
  const query: Record<string, string[]> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
  const body = request.body;
  // One deadline for the whole exchange, as fetch's AbortSignal.timeout gives: the handler's own
  // requestTimeout stops at the response headers, and a provider can stall in the body too.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(timeoutError(request.timeoutMs)), request.timeoutMs);
  try {
    const { response } = await handler
      .handle(
        new HttpRequest({
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port ? Number(url.port) : undefined,
          path: url.pathname,
          query,
          method: request.method,
          headers: {
            host: url.host,
            ...request.headers,
            ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          },
          body,
        }),
        { abortSignal: deadline.signal },
      )
      .catch((error: unknown) => {
        // The handler reports an abort as an AbortError; ours is always the deadline.
        throw deadline.signal.aborted ? deadline.signal.reason : error;
      });
    const stream = response.body as Readable;
    const stop = () => stream.destroy(deadline.signal.reason);
    if (deadline.signal.aborted) stop();
    deadline.signal.addEventListener('abort', stop, { once: true });
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } finally {
      deadline.signal.removeEventListener('abort', stop);
    }
    return {
      status: response.statusCode,
      statusText: response.reason ?? '',
      headers: response.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
  } finally {
    clearTimeout(timer);
  }
}
