/**
 * The customer and message HTTP API (API Gateway HTTP API, payload format 2.0), IAM-authorised in
 * AWS and open on 127.0.0.1 locally:
 *
 * - `PUT|GET|DELETE /v1/customers/{customerId}`
 * - `PUT /v1/customers/{customerId}/consent`
 * - `GET /v1/customers/{customerId}/timeline?limit=&cursor=`
 * - `POST /v1/messages` → 202 with the message id, or 400 with the contract's field-level issues
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { publishMessage } from '@switchboard/client';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  AddressInUseError,
  CustomerNotFoundError,
  DynamoDbCustomerStore,
} from '../adapters/dynamodb/customer-store';
import { DEFAULT_RETENTION_DAYS, DynamoDbMessageLedger } from '../adapters/dynamodb/message-ledger';
import { DynamoDbWebhookLedger } from '../adapters/dynamodb/webhook-ledger';
import { EventBridgeScheduleCanceller } from '../adapters/scheduler/eventbridge-delivery-scheduler';
import { Env, positiveIntEnv, requireEnv } from '../config';
import {
  type ApiErrorBody,
  ConsentChangeSchema,
  type CustomerBody,
  CustomerSchema,
  type FieldIssue,
  identifier,
  type MessageAccepted,
  MessageRequestSchema,
  safeParseWith,
} from '../contract';
import { type EraseCustomerDependencies, eraseCustomer } from '../domain/erase-customer';
import { messageIdFor } from '../domain/message-id';
import type { CustomerRepository, StoredCustomer } from '../domain/ports';

/** Where the API finds its tables and the outbound queue. */
export interface ApiConfig {
  readonly customersTable: string;
  readonly messagesTable: string;
  readonly outboundQueueUrl: string;
  readonly retentionDays: number;
  /** The EventBridge Scheduler group of delayed sends; unset locally (the SQS delay chain). */
  readonly scheduleGroup?: string;
}

/** What the API is built from; tests and the local runtime pass their own clients. */
export interface ApiDeps {
  readonly config: ApiConfig;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** Deletes pending delivery schedules on erasure (tests pass a recording one). */
  readonly schedules?: EraseCustomerDependencies['schedules'];
}

/** Reads the API's configuration from the environment. */
export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return {
    customersTable: requireEnv(Env.CUSTOMERS_TABLE, env),
    messagesTable: requireEnv(Env.MESSAGES_TABLE, env),
    outboundQueueUrl: requireEnv(Env.OUTBOUND_QUEUE_URL, env),
    retentionDays: positiveIntEnv(Env.RETENTION_DAYS, DEFAULT_RETENTION_DAYS, env),
    ...(env[Env.SCHEDULE_GROUP] ? { scheduleGroup: env[Env.SCHEDULE_GROUP] } : {}),
  };
}

type Result = APIGatewayProxyStructuredResultV2;

const customerIdSchema = identifier('customer id');
const CUSTOMER_PATH = /^\/v1\/customers\/([^/]+)$/;
const CONSENT_PATH = /^\/v1\/customers\/([^/]+)\/consent$/;
const TIMELINE_PATH = /^\/v1\/customers\/([^/]+)\/timeline$/;
const MESSAGES_PATH = /^\/v1\/messages$/;

/** Builds the API's Lambda handler from its dependencies. */
export function createApiHandler(deps: ApiDeps) {
  const logger = deps.logger ?? new Logger({ serviceName: 'api' });
  const now = deps.now ?? (() => new Date());
  const store = new DynamoDbCustomerStore({ client: deps.dynamodb, tableName: deps.config.customersTable });
  const customers: CustomerRepository = store;
  const ledger = new DynamoDbMessageLedger({
    client: deps.dynamodb,
    tableName: deps.config.messagesTable,
    retentionDays: deps.config.retentionDays,
  });
  const erasure: EraseCustomerDependencies = {
    customers: store,
    ledger,
    contacts: new DynamoDbWebhookLedger({ client: deps.dynamodb, tableName: deps.config.messagesTable }),
    now,
    ...(deps.schedules
      ? { schedules: deps.schedules }
      : deps.config.scheduleGroup
        ? {
            schedules: new EventBridgeScheduleCanceller({
              client: new SchedulerClient({}),
              groupName: deps.config.scheduleGroup,
            }),
          }
        : {}),
  };

  const routes: {
    pattern: RegExp;
    methods: Record<string, (id: string | undefined, event: APIGatewayProxyEventV2) => Promise<Result>>;
  }[] = [
    {
      pattern: CUSTOMER_PATH,
      methods: {
        GET: async (id) => {
          const stored = await customers.get(required(id));
          return stored ? json(200, customerBody(stored)) : notFound(id);
        },
        PUT: async (id, event) => {
          const body = parseBody(event);
          if (!body.ok) return body.result;
          const input = body.value;
          if (isObject(input) && input.customerId !== undefined && input.customerId !== id) {
            return invalid([{ field: 'customerId', message: 'must match the customer id in the path' }]);
          }
          const parsed = safeParseWith(
            CustomerSchema,
            isObject(input) ? { ...input, customerId: id } : input,
          );
          if (!parsed.success) return invalid(parsed.issues);
          const { created, stored } = await customers.put(parsed.data);
          return json(created ? 201 : 200, customerBody(stored));
        },
        DELETE: async (id) => {
          const report = await eraseCustomer(required(id), erasure);
          logger.info('Erased a customer', { customerId: id, ...report });
          return { statusCode: 204 };
        },
      },
    },
    {
      pattern: CONSENT_PATH,
      methods: {
        PUT: async (id, event) => {
          const body = parseBody(event);
          if (!body.ok) return body.result;
          const parsed = safeParseWith(ConsentChangeSchema, body.value);
          if (!parsed.success) return invalid(parsed.issues);
          const change = parsed.data;
          const stored = await customers.setConsent(required(id), change.category, change.channel, {
            status: change.status,
            at: change.at ?? now().toISOString(),
            source: change.source ?? 'api',
          });
          return json(200, customerBody(stored));
        },
      },
    },
    {
      pattern: TIMELINE_PATH,
      methods: {
        GET: async (id, event) => {
          const rawLimit = event.queryStringParameters?.limit;
          const limit = rawLimit === undefined ? 25 : Number(rawLimit);
          if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
            return invalid([{ field: 'limit', message: 'must be a whole number from 1 to 100' }]);
          }
          const cursor = event.queryStringParameters?.cursor;
          try {
            return json(200, await ledger.timeline(required(id), { limit, ...(cursor ? { cursor } : {}) }));
          } catch (error) {
            if (error instanceof RangeError) return invalid([{ field: 'cursor', message: error.message }]);
            throw error;
          }
        },
      },
    },
    {
      pattern: MESSAGES_PATH,
      methods: {
        POST: async (_id, event) => {
          const body = parseBody(event);
          if (!body.ok) return body.result;
          const parsed = safeParseWith(MessageRequestSchema, body.value);
          if (!parsed.success) return invalid(parsed.issues);
          await publishMessage(body.value as never, {
            client: deps.sqs,
            queueUrl: deps.config.outboundQueueUrl,
          });
          const accepted: MessageAccepted = {
            messageId: messageIdFor(parsed.data.customerId, parsed.data.requestId),
            requestId: parsed.data.requestId,
          };
          logger.info('Accepted a message request', { ...accepted, customerId: parsed.data.customerId });
          return json(202, accepted);
        },
      },
    },
  ];

  return async (event: APIGatewayProxyEventV2): Promise<Result> => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath.replace(/\/+$/, '') || '/';
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      const handle = route.methods[method];
      if (!handle) {
        return error(405, 'method_not_allowed', `${method} is not allowed on ${path}`, {
          allow: Object.keys(route.methods).join(', '),
        });
      }
      const id = match[1] === undefined ? undefined : safeDecode(match[1]);
      if (match[1] !== undefined) {
        const valid = customerIdSchema.safeParse(id);
        if (!valid.success)
          return invalid([{ field: 'customerId', message: valid.error.issues[0]?.message ?? 'is invalid' }]);
      }
      try {
        return await handle(id, event);
      } catch (caught) {
        if (caught instanceof AddressInUseError) return error(409, 'address_in_use', caught.message);
        if (caught instanceof CustomerNotFoundError) return notFound(id);
        logger.error('The API failed', { customerId: id, method, path, error: errorName(caught) });
        return error(500, 'internal_error', 'Something went wrong; it has been logged');
      }
    }
    return error(404, 'not_found', `No route for ${method} ${path}`);
  };
}

function customerBody(stored: StoredCustomer): CustomerBody {
  return { ...stored.customer, version: stored.version, updatedAt: stored.updatedAt };
}

function parseBody(
  event: APIGatewayProxyEventV2,
): { ok: true; value: unknown } | { ok: false; result: Result } {
  const raw =
    event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (!raw) return { ok: false, result: invalid([{ field: '(body)', message: 'is required' }]) };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, result: invalid([{ field: '(body)', message: 'is not JSON' }]) };
  }
}

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Result {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

function error(
  statusCode: number,
  code: ApiErrorBody['error'],
  message: string,
  headers: Record<string, string> = {},
  issues?: readonly FieldIssue[],
): Result {
  const body: ApiErrorBody = { error: code, message, ...(issues ? { issues } : {}) };
  return json(statusCode, body, headers);
}

function invalid(issues: readonly FieldIssue[]): Result {
  return error(
    400,
    'invalid_request',
    issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '),
    {},
    issues,
  );
}

function notFound(id: string | undefined): Result {
  return error(404, 'not_found', `No customer ${id ?? ''}`.trim());
}

function required(id: string | undefined): string {
  if (id === undefined) throw new Error('The route has no customer id');
  return id;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorName(caught: unknown): string {
  return caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
}

let lambdaHandler: ReturnType<typeof createApiHandler> | undefined;

/** The Lambda entry: built once per container from the environment, on first use. */
export const handler = (event: APIGatewayProxyEventV2): Promise<Result> => {
  lambdaHandler ??= createApiHandler({
    config: apiConfigFromEnv(),
    dynamodb: new DynamoDBClient({}),
    sqs: new SQSClient({}),
  });
  return lambdaHandler(event);
};
