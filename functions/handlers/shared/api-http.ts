/**
 * The HTTP side of the customer and message API: what a request carries (the customer id from the
 * route, the JSON body, the query) and how results and typed errors become answers. Invalid input
 * is a 400 with field-level issues, never a 5xx.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AddressInUseError, CustomerNotFoundError } from '../../adapters/dynamodb/customer-store';
import { type ApiErrorBody, ContractValidationError, type FieldIssue, identifier } from '../../contract';

/** An API answer. */
export type ApiResult = APIGatewayProxyStructuredResultV2;

const customerIdSchema = identifier('customer id');

/** A JSON answer. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** An error answer in the API's one error shape. */
export function error(
  statusCode: number,
  code: ApiErrorBody['error'],
  message: string,
  headers = {},
  issues?: readonly FieldIssue[],
): ApiResult {
  return json(
    statusCode,
    { error: code, message, ...(issues ? { issues } : {}) } satisfies ApiErrorBody,
    headers,
  );
}

/** 404 for a customer that does not exist. */
export function notFound(customerId: string): ApiResult {
  return error(404, 'not_found', `No customer ${customerId}`.trim());
}

/** The customer id of the route, checked against the contract (a bad one is a 400). */
export function customerIdOf(event: APIGatewayProxyEventV2): string {
  const parsed = customerIdSchema.safeParse(event.pathParameters?.customerId);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'is invalid';
  throw new ContractValidationError('path', [{ field: 'customerId', message }]);
}

/** The request's JSON body (a missing or unreadable one is a 400). */
export function bodyOf(event: APIGatewayProxyEventV2): unknown {
  const raw =
    event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (!raw) throw new ContractValidationError('body', [{ field: '(body)', message: 'is required' }]);
  try {
    return JSON.parse(raw);
  } catch {
    throw new ContractValidationError('body', [{ field: '(body)', message: 'is not JSON' }]);
  }
}

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
