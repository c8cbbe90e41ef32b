/**
 * The HTTP surface of ../shared/DESIGN.md ("Public surface") as data, so the stack and its tests
 * read the same list: IAM-authorised `/v1` routes, public provider webhooks.
 */
export type { Channel } from '../functions/contract/vocabulary';
export { CHANNELS } from '../functions/contract/vocabulary';

/** HTTP methods used by the API. */
export type RouteMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** A `/v1` route served by the api function behind IAM authorisation. */
export interface ApiRoute {
  readonly path: string;
  readonly methods: readonly RouteMethod[];
}

/** Customer, message, report and journey API routes. */
export const API_ROUTES = [
  { path: '/v1/customers/{customerId}', methods: ['PUT', 'GET', 'DELETE'] },
  { path: '/v1/customers/{customerId}/consent', methods: ['PUT'] },
  { path: '/v1/customers/{customerId}/timeline', methods: ['GET'] },
  { path: '/v1/messages', methods: ['POST'] },
  { path: '/v1/events', methods: ['POST'] },
  { path: '/v1/reports/attribution', methods: ['GET'] },
  { path: '/v1/journeys', methods: ['GET'] },
  { path: '/v1/journeys/{journeyId}/stats', methods: ['GET'] },
  { path: '/v1/journeys/{journeyId}/cancel', methods: ['POST'] },
] as const satisfies readonly ApiRoute[];

/** A route's key as API Gateway names it and passes it to the handler (`routeKey`): `METHOD /path`. */
export type ApiRouteKey = (typeof API_ROUTES)[number] extends infer Route
  ? Route extends { readonly path: infer P extends string; readonly methods: readonly (infer M)[] }
    ? M extends RouteMethod
      ? `${M} ${P}`
      : never
    : never
  : never;

/** Every API route key, in the order of {@link API_ROUTES}. */
export const API_ROUTE_KEYS: readonly ApiRouteKey[] = API_ROUTES.flatMap((route) =>
  route.methods.map((method) => `${method} ${route.path}` as ApiRouteKey),
);

/** A public webhook route, verified by the provider's signature in the handler. */
export interface WebhookRoute {
  readonly path: string;
  readonly provider: 'twilio' | 'sendgrid';
}

/** Provider webhook routes (all POST). */
export const WEBHOOK_ROUTES: readonly WebhookRoute[] = [
  { path: '/webhooks/twilio/status', provider: 'twilio' },
  { path: '/webhooks/twilio/inbound', provider: 'twilio' },
  { path: '/webhooks/sendgrid/events', provider: 'sendgrid' },
  { path: '/webhooks/sendgrid/inbound', provider: 'sendgrid' },
];
