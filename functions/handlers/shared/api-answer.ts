/**
 * How the API's typed errors become answers: invalid input 400 with its field-level issues, an
 * address held by another customer 409, an unknown customer or journey 404; anything else is Switchboard's
 * fault, logged without PII, and a 500.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AddressInUseError, CustomerNotFoundError } from '../../adapters/dynamodb/customer-errors';
import { ContractValidationError } from '../../contract';
import { JourneyNotFoundError } from '../../domain/journeys/journey-errors';
import { type ApiResult, error, notFound } from './api-http';

/** Runs an action and turns the typed errors into answers; anything else is logged and a 500. */
export async function answer(
  logger: Logger,
  event: APIGatewayProxyEventV2,
  action: () => Promise<ApiResult>,
): Promise<ApiResult> {
  try {
    return await action();
  } catch (caught) {
    if (caught instanceof ContractValidationError) {
      const message = caught.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
      return error(400, 'invalid_request', message, {}, caught.issues);
    }
    if (caught instanceof AddressInUseError) return error(409, 'address_in_use', caught.message);
    if (caught instanceof CustomerNotFoundError) return notFound(event.pathParameters?.customerId ?? '');
    if (caught instanceof JourneyNotFoundError) return error(404, 'not_found', caught.message);
    const { method, path } = event.requestContext.http;
    const reason = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    logger.error('The API failed', {
      customerId: event.pathParameters?.customerId,
      method,
      path,
      error: reason,
    });
    return error(500, 'internal_error', 'Something went wrong; it has been logged');
  }
}
