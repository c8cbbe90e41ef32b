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

/** Customer and message API routes. */
export const API_ROUTES: readonly ApiRoute[] = [
  { path: '/v1/customers/{customerId}', methods: ['PUT', 'GET', 'DELETE'] },
  { path: '/v1/customers/{customerId}/consent', methods: ['PUT'] },
  { path: '/v1/customers/{customerId}/timeline', methods: ['GET'] },
  { path: '/v1/messages', methods: ['POST'] },
  { path: '/v1/events', methods: ['POST'] },
];

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
