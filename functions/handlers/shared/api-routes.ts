/**
 * The API's routes as API Gateway names them (`routeKey`, from infra/routes.ts, which also builds
 * the HTTP API), and the answer for a request that reached the function under no route of its own
 * (API Gateway never sends one; a `$default` route or a hand-made event can).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { API_ROUTE_KEYS, API_ROUTES, type ApiRouteKey } from '../../../infra/routes';
import { type ApiResult, error } from './api-http';

/** The route key of the event, when it is one of the API's. */
export function apiRouteKeyOf(event: APIGatewayProxyEventV2): ApiRouteKey | undefined {
  return API_ROUTE_KEYS.find((key) => key === event.routeKey);
}

/** 405 (with `allow`) when the path has routes for other methods, 404 otherwise. */
export function noRoute(event: APIGatewayProxyEventV2): ApiResult {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath.replace(/\/+$/, '') || '/';
  const route = API_ROUTES.find((candidate) => pathMatches(candidate.path, path));
  if (!route) return error(404, 'not_found', `No route for ${method} ${path}`);
  return error(405, 'method_not_allowed', `${method} is not allowed on ${path}`, {
    allow: route.methods.join(', '),
  });
}

function pathMatches(template: string, path: string): boolean {
  const expected = template.split('/');
  const actual = path.split('/');
  return (
    expected.length === actual.length &&
    expected.every((segment, index) =>
      /^\{\w+\}$/.test(segment) ? actual[index] !== '' : segment === actual[index],
    )
  );
}
