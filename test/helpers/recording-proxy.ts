/**
 * A forwarding HTTP proxy on 127.0.0.1 that records each request (method, path, headers, body)
 * and passes it on to `upstream` unchanged — e.g. in front of a Prism mock, to see which provider
 * calls a system made while Prism checks them against the provider's contract.
 */

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listenOnLoopback } from './loopback';

/** A request as the proxy forwarded it, with the upstream's answer. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

/** A running proxy. */
export interface RecordingProxy {
  readonly url: string;
  readonly requests: ProxiedRequest[];
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/** Starts a proxy to `upstream` on a free port. */
export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const requests: ProxiedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name))
          headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      fetch(`${upstream}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      }).then(
        async (answer) => {
          const answerBody = Buffer.from(await answer.arrayBuffer());
          requests.push({
            method: req.method ?? '',
            path: req.url ?? '',
            headers: req.headers,
            body: body.toString('utf8'),
            status: answer.status,
          });
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/json',
          });
          res.end(answerBody);
        },
        (error: unknown) => {
          res.writeHead(502);
          res.end(String(error));
        },
      );
    });
  });
  const { url, stop } = await listenOnLoopback(server);
  return {
    url,
    requests,
    stop,
  };
}
