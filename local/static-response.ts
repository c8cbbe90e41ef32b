/** The one answer the local pages give for a static file: the headers every page of theirs needs. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Sends a file's bytes (no body for HEAD) with its type, no caching and the page's content policy. */
export function sendStatic(
  request: IncomingMessage,
  response: ServerResponse,
  file: { readonly type: string; readonly body: Buffer; readonly contentSecurityPolicy: string },
): true {
  response.writeHead(200, {
    'content-type': file.type,
    'content-length': file.body.length,
    'cache-control': 'no-cache',
    'content-security-policy': file.contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
  return true;
}
