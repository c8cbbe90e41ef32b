/**
 * A local HTTP server on 127.0.0.1 that records every request and answers with a chosen response:
 * for checking exactly what an adapter sends and how it reads a provider's answer.
 */

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listenOnLoopback } from './loopback';

/** A request as the server received it. */
export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What to answer. */
export interface CannedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** A running capture server. */
export interface CaptureServer {
  readonly url: string;
  readonly requests: CapturedRequest[];
  /** Sets the answer to the next requests. */
  respondWith(response: CannedResponse | ((request: CapturedRequest) => CannedResponse)): void;
  stop(): Promise<void>;
}

/** Starts a capture server on a free port. */
export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  let answer: CannedResponse | ((request: CapturedRequest) => CannedResponse) = { status: 200, body: {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const response = typeof answer === 'function' ? answer(request) : answer;
      const body = response.body === undefined ? '' : JSON.stringify(response.body);
      res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
      res.end(body);
    });
  });
  const { url, stop } = await listenOnLoopback(server);
  return {
    url,
    requests,
    respondWith: (response) => {
      answer = response;
    },
    stop,
  };
}
