import { request as httpRequest } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { type HttpRoute, type LocalHttpServer, startHttpServer } from '../../../local/http-server';
import { ingestCorsPolicy } from '../../../local/ingest-cors';

/** A route that records the event it received and answers with `answer`. */
function recordingRoute(method: string, path: string, answer: APIGatewayProxyResultV2 = { statusCode: 204 }) {
  const events: APIGatewayProxyEventV2[] = [];
  const route: HttpRoute = {
    method,
    path,
    functionName: 'test-fn',
    handler: async (event) => {
      events.push(event);
      return answer;
    },
  };
  return { events, route };
}

describe('Function: startHttpServer', () => {
  let server: LocalHttpServer;
  const logged: unknown[] = [];
  afterEach(async () => {
    await server?.stop();
    logged.length = 0;
  });
  const start = (routes: HttpRoute[], maxBodyBytes?: number) =>
    startHttpServer({
      routes,
      ...(maxBodyBytes ? { maxBodyBytes } : {}),
      log: { error: (_message, error) => logged.push(error) },
    }).then((started) => {
      server = started;
      return started;
    });

  it('answers CORS only for the ingest paths and only to the allowed origins, never calling the function for a preflight', async () => {
    // Prepare
    const ingest = recordingRoute('POST', '/ingest/v1/track', { statusCode: 202, body: '{}' });
    const api = recordingRoute('POST', '/v1/events', { statusCode: 202, body: '{}' });
    server = await startHttpServer({
      routes: [ingest.route, api.route],
      cors: ingestCorsPolicy(['https://shop.example']),
      log: { error: (_message, error) => logged.push(error) },
    });
    const preflight = (path: string, origin: string) =>
      fetch(`${server.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const postFrom = (path: string, origin: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: '{}',
      });

    // Act
    const allowed = await preflight('/ingest/v1/track', 'https://shop.example');
    const refused = await preflight('/ingest/v1/track', 'https://evil.example');
    const notIngest = await preflight('/v1/events', 'https://shop.example');
    const answered = await postFrom('/ingest/v1/track', 'https://shop.example');
    const answeredElsewhere = await postFrom('/ingest/v1/track', 'https://evil.example');
    const apiAnswer = await postFrom('/v1/events', 'https://shop.example');

    // Assess
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('vary')).toBe('origin');
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(notIngest.status).toBe(404);
    expect(answered.status).toBe(202);
    expect(answered.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(answeredElsewhere.headers.get('access-control-allow-origin')).toBeNull();
    expect(apiAnswer.headers.get('access-control-allow-origin')).toBeNull();
    expect(ingest.events).toHaveLength(2);
  });

  it('turns a form post into a payload 2.0 event with a base64 body and path parameters', async () => {
    // Prepare
    const { events, route } = recordingRoute('POST', '/v1/customers/{customerId}/consent');
    await start([route]);
    const form = 'Body=STOP&From=%2B15551234567';

    // Act
    const response = await fetch(`${server.url}/v1/customers/c%2042/consent?a=1&a=2&b=x%20y`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': 'sig' },
      body: form,
    });

    // Assess
    expect(response.status).toBe(204);
    const event = events[0] as APIGatewayProxyEventV2;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/customers/{customerId}/consent',
      rawPath: '/v1/customers/c%2042/consent',
      rawQueryString: 'a=1&a=2&b=x%20y',
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { customerId: 'c 42' },
      isBase64Encoded: true,
      requestContext: {
        http: { method: 'POST', path: '/v1/customers/c%2042/consent', sourceIp: '127.0.0.1' },
        routeKey: 'POST /v1/customers/{customerId}/consent',
        stage: '$default',
        domainName: `127.0.0.1:${server.port}`,
      },
    });
    expect(event.headers['x-twilio-signature']).toBe('sig');
    expect(event.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(event.headers['x-forwarded-proto']).toBe('http');
    expect(Buffer.from(event.body ?? '', 'base64').toString('utf8')).toBe(form);
  });

  it('passes a JSON body as text and leaves body out when there is none', async () => {
    // Prepare
    const post = recordingRoute('POST', '/v1/messages', { statusCode: 202, body: '{"messageId":"m-1"}' });
    const get = recordingRoute('GET', '/v1/customers/{customerId}');
    await start([post.route, get.route]);

    // Act
    const posted = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"requestId":"r-1"}',
    });
    await fetch(`${server.url}/v1/customers/c-1`);

    // Assess
    expect(posted.status).toBe(202);
    expect(await posted.json()).toEqual({ messageId: 'm-1' });
    expect(post.events[0]).toMatchObject({ body: '{"requestId":"r-1"}', isBase64Encoded: false });
    expect(get.events[0]?.body).toBeUndefined();
    expect(get.events[0]?.isBase64Encoded).toBe(false);
    expect(get.events[0]?.queryStringParameters).toBeUndefined();
    expect(get.events[0]?.rawQueryString).toBe('');
  });

  it('joins repeated headers with commas and moves cookies to their own field', async () => {
    // Prepare
    const { events, route } = recordingRoute('GET', '/x');
    await start([route]);

    // Act: fetch cannot send repeated headers, so use node:http.
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${server.url}/x`, {
        headers: { 'X-Multi': ['one', 'two'], Cookie: 'a=1; b=2' },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });

    // Assess
    expect(events[0]?.headers['x-multi']).toBe('one,two');
    expect(events[0]?.cookies).toEqual(['a=1', 'b=2']);
    expect(events[0]?.headers.cookie).toBeUndefined();
  });

  it('writes status, headers, cookies and a base64 body from the result', async () => {
    // Prepare
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const { route } = recordingRoute('GET', '/file', {
      statusCode: 200,
      headers: { 'Content-Type': 'application/octet-stream', 'X-Custom': 'yes' },
      cookies: ['session=abc; HttpOnly'],
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });
    await start([route]);

    // Act
    const response = await fetch(`${server.url}/file`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('x-custom')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBe('session=abc; HttpOnly');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('answers 200 with JSON when the handler returns an object without statusCode', async () => {
    // Prepare
    const { route } = recordingRoute('GET', '/plain', { ok: true } as unknown as APIGatewayProxyResultV2);
    await start([route]);

    // Act
    const response = await fetch(`${server.url}/plain`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('prefers an exact route over a parameter and a parameter over a greedy one', async () => {
    // Prepare
    const exact = recordingRoute('GET', '/v1/customers/search', { statusCode: 200, body: '"exact"' });
    const param = recordingRoute('GET', '/v1/customers/{customerId}', { statusCode: 200, body: '"param"' });
    const greedy = recordingRoute('ANY', '/v1/{proxy+}', { statusCode: 200, body: '"greedy"' });
    await start([greedy.route, param.route, exact.route]);

    // Act
    const bodies = await Promise.all(
      ['/v1/customers/search', '/v1/customers/c-9', '/v1/other/deep/path'].map(async (path) =>
        (await fetch(`${server.url}${path}`)).json(),
      ),
    );

    // Assess
    expect(bodies).toEqual(['exact', 'param', 'greedy']);
    expect(greedy.events[0]?.pathParameters).toEqual({ proxy: 'other/deep/path' });
  });

  it.each([
    { what: 'an unknown path', method: 'GET', path: '/nope', status: 404 },
    { what: 'a known path with another method', method: 'DELETE', path: '/v1/messages', status: 404 },
  ])('answers $status for $what', async ({ method, path, status }) => {
    // Prepare
    const { route } = recordingRoute('POST', '/v1/messages');
    await start([route]);

    // Act
    const response = await fetch(`${server.url}${path}`, { method });

    // Assess
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('answers 413 to a body over the limit without calling the handler', async () => {
    // Prepare
    const { events, route } = recordingRoute('POST', '/v1/messages');
    await start([route], 1024);

    // Act
    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(5000) }),
    });

    // Assess
    expect(response.status).toBe(413);
    expect(events).toHaveLength(0);
  });

  it.each([
    {
      what: 'throws',
      handler: async (): Promise<APIGatewayProxyResultV2> => {
        throw new Error('boom');
      },
    },
    { what: 'returns a malformed status', handler: async () => ({ statusCode: 42 }) },
  ])('answers 500 when the handler $what, and keeps serving', async ({ handler }) => {
    // Prepare
    const ok = recordingRoute('GET', '/ok');
    await start([{ method: 'GET', path: '/bad', functionName: 'bad', handler }, ok.route]);

    // Act
    const bad = await fetch(`${server.url}/bad`);
    const after = await fetch(`${server.url}/ok`);

    // Assess
    expect(bad.status).toBe(500);
    expect(await bad.json()).toEqual({ message: 'Internal Server Error' });
    expect(after.status).toBe(204);
    expect(logged).toHaveLength(1);
  });

  it('lets local listeners answer before the API routes', async () => {
    // Prepare
    const { events, route } = recordingRoute('ANY', '/{proxy+}');
    await start([route]);
    server.addListener((_request, response, url) => {
      if (!url.pathname.startsWith('/console/')) return false;
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('console');
      return true;
    });

    // Act
    const consolePage = await (await fetch(`${server.url}/console/`)).text();
    await fetch(`${server.url}/elsewhere`);

    // Assess
    expect(consolePage).toBe('console');
    expect(events.map((e) => e.rawPath)).toEqual(['/elsewhere']);
  });
});
