/**
 * HTTP API events (payload format 2.0) as API Gateway builds them, and a fetch that hands requests
 * to a handler in-process, so the typed client can be tested against the real handler.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { API_ROUTE_KEYS } from '../../infra/routes';
import { RouteTable } from '../../local/http-server';

/** The API's routes, matched the way API Gateway (and the local HTTP server) matches them. */
const apiRoutes = new RouteTable();
for (const key of API_ROUTE_KEYS) {
  const [method = '', path = ''] = key.split(' ');
  apiRoutes.add({
    method,
    path,
    functionName: 'api',
    handler: () => Promise.reject(new Error('not called')),
  });
}

/**
 * An API Gateway HTTP API v2 event, with the `routeKey` and `pathParameters` API Gateway sets for
 * the API's routes (`$default` for a request none of them takes).
 */
export function anApiEvent(method: string, pathWithQuery: string, body?: unknown): APIGatewayProxyEventV2 {
  const url = new URL(pathWithQuery, 'http://127.0.0.1');
  const query = Object.fromEntries(url.searchParams);
  const match = apiRoutes.match(method, url.pathname);
  const routeKey = match?.routeKey ?? '$default';
  return {
    version: '2.0',
    routeKey,
    ...(match?.pathParameters ? { pathParameters: match.pathParameters } : {}),
    rawPath: url.pathname,
    rawQueryString: url.searchParams.toString(),
    headers: { 'content-type': 'application/json' },
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: 'req',
      routeKey,
      stage: '$default',
      time: '23/Nov/2026:13:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  };
}

/** A fetch that turns each request into an event for `handler` and its result into a Response. */
export function fetchThrough(
  handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>,
): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const result = await handler(anApiEvent(init?.method ?? 'GET', `${url.pathname}${url.search}`, body));
    return new Response(result.statusCode === 204 ? null : (result.body ?? null), {
      status: result.statusCode ?? 200,
      headers: (result.headers ?? {}) as Record<string, string>,
    });
  }) as typeof fetch;
}
