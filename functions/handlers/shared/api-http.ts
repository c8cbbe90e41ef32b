/**
 * The HTTP side of the customer and message API: what a request carries (the customer id from the
 * route, the JSON body, the query) and how results and typed errors become answers. Invalid input
 * is a 400 with field-level issues, never a 5xx (./api-answer.ts).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
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

/** 413 when the request's body is over `maxBytes`, checked before it is decoded or parsed. */
export function tooLarge(event: APIGatewayProxyEventV2, maxBytes: number): ApiResult | undefined {
  const bytes = Buffer.byteLength(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes <= maxBytes) return undefined;
  return error(413, 'payload_too_large', `The body must be at most ${maxBytes} bytes`);
}
