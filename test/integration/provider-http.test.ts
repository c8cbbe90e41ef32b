import { createServer, type IncomingMessage } from 'node:http';
import { providerRequest } from '../../functions/adapters/http/provider-http';
import { transientFaultCode } from '../../functions/adapters/http/transient-faults';
import { listenOnLoopback } from '../helpers/loopback';

describe('Function: providerRequest', () => {
  it('sends the method, path, query, headers and body, and returns the whole answer', async () => {
    // Prepare: a server that records what it receives and answers with a reason phrase and a header
    const received: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } =
      {};
    const server = await listenOnLoopback(
      createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          Object.assign(received, {
            method: request.method,
            url: request.url,
            headers: request.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          response.statusMessage = 'Created Here';
          response.writeHead(201, { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' });
          response.end('{"sid":"SM1","text":"é"}');
        });
      }),
    );

    try {
      // Act
      const answer = await providerRequest({
        url: `${server.url}/2010-04-01/Accounts/AC1/Messages.json?a=1&a=2&b=x%20y`,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Basic abc' },
        body: 'To=%2B15550001111&Body=h%C3%A9',
        timeoutMs: 2_000,
      });

      // Assess
      expect(received).toMatchObject({
        method: 'POST',
        url: '/2010-04-01/Accounts/AC1/Messages.json?a=1&a=2&b=x%20y',
        body: 'To=%2B15550001111&Body=h%C3%A9',
      });
      expect(received.headers).toMatchObject({
        host: server.url.replace('http://', ''),
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'Basic abc',
        'content-length': String(Buffer.byteLength('To=%2B15550001111&Body=h%C3%A9')),
      });
      expect(answer).toMatchObject({
        status: 201,
        statusText: 'Created Here',
        headers: expect.objectContaining({ 'content-type': 'application/json', 'x-request-id': 'r-1' }),
        body: '{"sid":"SM1","text":"é"}',
      });
    } finally {
      await server.stop();
    }
  });

  it('sends a GET without a body', async () => {
    // Prepare
    let seen: IncomingMessage['headers'] = {};
    const server = await listenOnLoopback(
      createServer((request, response) => {
        seen = request.headers;
        response.end('ok');
      }),
    );

    try {
      // Act
      const answer = await providerRequest({
        url: `${server.url}/x`,
        method: 'GET',
        headers: {},
        timeoutMs: 2_000,
      });

      // Assess
      expect(answer).toMatchObject({ status: 200, body: 'ok' });
      expect(seen['content-length']).toBeUndefined();
    } finally {
      await server.stop();
    }
  });

  it('gives up with a TimeoutError on a provider that never answers', async () => {
    // Prepare: accepts the connection, never answers
    const server = await listenOnLoopback(createServer(() => {}));

    try {
      // Act
      const sending = providerRequest({
        url: `${server.url}/x`,
        method: 'POST',
        headers: {},
        body: '{}',
        timeoutMs: 150,
      });

      // Assess
      await expect(sending).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(transientFaultCode(await sending.catch((error: unknown) => error))).toBe('TimeoutError');
    } finally {
      await server.stop();
    }
  });

  it('gives up with a TimeoutError on a provider that stalls in the middle of its body', async () => {
    // Prepare: headers and half a body, then silence
    const server = await listenOnLoopback(
      createServer((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        response.write('{"sid":');
      }),
    );

    try {
      // Act
      const sending = providerRequest({ url: `${server.url}/x`, method: 'GET', headers: {}, timeoutMs: 150 });

      // Assess
      await expect(sending).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      await server.stop();
    }
  });

  it('rejects with the network code when nothing listens, which the adapters retry', async () => {
    // Prepare: a port that was free a moment ago
    const server = await listenOnLoopback(createServer(() => {}));
    await server.stop();

    // Act
    const error = await providerRequest({
      url: `${server.url}/x`,
      method: 'GET',
      headers: {},
      timeoutMs: 2_000,
    }).catch((caught: unknown) => caught);

    // Assess
    expect(transientFaultCode(error)).toBe('ECONNREFUSED');
  });

  it('rejects when the provider resets the connection, with a code the adapters retry', async () => {
    // Prepare: destroys every connection as the request arrives
    const server = await listenOnLoopback(createServer((request) => request.socket.destroy()));

    try {
      // Act
      const error = await providerRequest({
        url: `${server.url}/x`,
        method: 'POST',
        headers: {},
        body: '{}',
        timeoutMs: 2_000,
      }).catch((caught: unknown) => caught);

      // Assess
      expect(transientFaultCode(error)).toBe('ECONNRESET');
    } finally {
      await server.stop();
    }
  });
});
