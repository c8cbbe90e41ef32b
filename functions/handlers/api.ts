/**
 * The customer and message HTTP API (API Gateway HTTP API, payload format 2.0), IAM-authorised in
 * AWS and open on 127.0.0.1 locally. Dispatches on API Gateway's `routeKey` (infra/routes.ts) to the
 * use cases in domain/customers/, domain/messages/, domain/touchpoints/, domain/attribution/ and
 * domain/journeys/.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiRouteKey } from '../../infra/routes';
import { TOUCHPOINT_BATCH_MAX_BYTES } from '../contract';
import { readAttributionReport } from '../domain/attribution/read-attribution-report';
import { eraseCustomer } from '../domain/customers/erase-customer';
import { getCustomer } from '../domain/customers/get-customer';
import { putCustomer } from '../domain/customers/put-customer';
import { readTimeline } from '../domain/customers/read-timeline';
import { updateConsent } from '../domain/customers/update-consent';
import {
  cancelJourneyRunsRequest,
  journeyLiftRows,
  listJourneys,
  readJourneyStats,
} from '../domain/journeys/operate-journeys';
import { acceptMessage } from '../domain/messages/accept-message';
import { acceptEvents } from '../domain/touchpoints/accept-events';
import { apiPortsFromEnv } from '../wiring/api-ports';
import { answer } from './shared/api-answer';
import { type ApiResult, bodyOf, customerIdOf, json, notFound, tooLarge } from './shared/api-http';
import type { ApiPorts } from './shared/api-ports';
import { apiRouteKeyOf, noRoute } from './shared/api-routes';
import { lazyHandler } from './shared/lazy-handler';

export type { ApiPorts };

type Action = (event: APIGatewayProxyEventV2) => Promise<ApiResult>;

/** Builds the API's Lambda handler from its ports. */
export function createApiHandler(ports: ApiPorts) {
  const logger = ports.logger ?? new Logger({ serviceName: 'api' });
  const deps = { ...ports, logger, now: ports.now ?? (() => new Date()) };
  const actions: Record<ApiRouteKey, Action> = {
    'GET /v1/customers/{customerId}': async (event) => {
      const customerId = customerIdOf(event);
      const customer = await getCustomer(customerId, deps);
      return customer ? json(200, customer) : notFound(customerId);
    },
    'PUT /v1/customers/{customerId}': async (event) => {
      const { created, customer } = await putCustomer(customerIdOf(event), bodyOf(event), deps);
      return json(created ? 201 : 200, customer);
    },
    'DELETE /v1/customers/{customerId}': async (event) => {
      const customerId = customerIdOf(event);
      logger.info('Erased a customer', { customerId, ...(await eraseCustomer(customerId, deps)) });
      return { statusCode: 204 };
    },
    'PUT /v1/customers/{customerId}/consent': async (event) =>
      json(200, await updateConsent(customerIdOf(event), bodyOf(event), deps)),
    'GET /v1/customers/{customerId}/timeline': async (event) =>
      json(200, await readTimeline(customerIdOf(event), event.queryStringParameters ?? {}, deps)),
    'POST /v1/messages': async (event) => {
      const { customerId, ...accepted } = await acceptMessage(bodyOf(event), deps);
      logger.info('Accepted a message request', { ...accepted, customerId });
      return json(202, accepted);
    },
    'POST /v1/events': async (event) =>
      tooLarge(event, TOUCHPOINT_BATCH_MAX_BYTES) ?? json(202, await acceptEvents(bodyOf(event), deps)),
    'GET /v1/reports/attribution': async (event) => {
      const report = await readAttributionReport(event.queryStringParameters ?? {}, deps);
      const journeys = await journeyLiftRows(deps.journeys);
      return json(200, journeys.length > 0 ? { ...report, journeys } : report);
    },
    'GET /v1/journeys': async () => json(200, listJourneys(deps.journeys.catalog)),
    'GET /v1/journeys/{journeyId}/stats': async (event) =>
      json(200, await readJourneyStats(event.pathParameters?.journeyId, deps.journeys)),
    'POST /v1/journeys/{journeyId}/cancel': async (event) => {
      const { journeyId } = event.pathParameters ?? {};
      const answer = await cancelJourneyRunsRequest(journeyId, bodyOf(event), deps.journeys);
      logger.info('Cancelled journey runs', { journeyId, ...answer });
      return json(200, answer);
    },
  };
  return (event: APIGatewayProxyEventV2): Promise<ApiResult> => {
    const key = apiRouteKeyOf(event);
    return key ? answer(logger, event, () => actions[key](event)) : Promise.resolve(noRoute(event));
  };
}

/** The Lambda entry: wired once per container from the environment, on first use. */
export const handler = lazyHandler(() => createApiHandler(apiPortsFromEnv()));
