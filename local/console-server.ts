/**
 * The console's server side: static files under `/console/`, JSON under `/console/api/`, and
 * Server-Sent Events at `/console/api/events` for live updates; beside it the HTTP API's OpenAPI
 * document and reference page (api-reference.ts). Local-only (never on AWS).
 *
 * Slots for later: customers list/search (`/console/api/customers`) answers 501 until the ledger
 * and customer repository (issue 3) are merged; a customer's timeline is read in the browser from
 * the API route `GET /v1/customers/{customerId}/timeline` as soon as the api handler exists.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { CHANNELS, type Channel } from '../functions/contract';
import { type QueueKey, queues as queueDefinitions } from '../infra/resources';
import { apiReferenceListener } from './api-reference';
import { type DeliveryStats, readDeliveryStats } from './delivery-stats';
import { listDeadLetters, redriveDeadLetters } from './dlq';
import type { LocalHttpServer } from './http-server';
import type { SandboxOutbox } from './sandbox/outbox';
import { sendStatic } from './static-response';

/** Options for {@link startConsole}. */
export interface ConsoleOptions {
  readonly http: LocalHttpServer;
  readonly sqs: SQSClient;
  /** Reads the customers table for the list and search (local only: a scan). */
  readonly customers?: { readonly dynamodb: DynamoDBClient; readonly tableName: string };
  /** Reads the messages table (the ledger) for the delivery funnel and failure reasons (a scan). */
  readonly messages?: { readonly dynamodb: DynamoDBClient; readonly tableName: string };
  readonly outbox: SandboxOutbox;
  readonly queues: Record<QueueKey | `${QueueKey}Dlq`, string>;
  readonly handlers: { readonly loaded: readonly string[] };
  /** How often DLQ depths are checked for live updates. */
  readonly dlqPollMs?: number;
}

/** The running console. */
export interface ConsoleServer {
  /** Closes live-update streams and stops polling. */
  stop(): void;
}

const STATIC_DIR = join(__dirname, 'console');
const STATIC_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};
// Emails are shown in a sandboxed iframe (no scripts); their inline styles and remote images may load.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; " +
  "frame-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
/** Redrive is a state change: require a header a cross-site form cannot send without a CORS preflight. */
const CONSOLE_HEADER = 'x-switchboard-console';

/** Registers the console on the local HTTP server. */
export function startConsole(options: ConsoleOptions): ConsoleServer {
  const streams = new Set<ServerResponse>();
  const queueKeys = queueDefinitions.map((q) => q.key);
  let lastDepths = '';
  let lastStats = '';
  const deliveryStats = async (): Promise<DeliveryStats | undefined> =>
    options.messages ? readDeliveryStats(options.messages.dynamodb, options.messages.tableName) : undefined;

  const broadcast = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of streams) stream.write(frame);
  };
  const unsubscribe = options.outbox.subscribe((change) => broadcast('outbox', change));
  const dlqDepths = async (): Promise<Record<string, number>> => {
    const entries = await Promise.all(
      queueKeys.map(async (key) => {
        const { Attributes } = await options.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: options.queues[`${key}Dlq`],
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        const depth =
          Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
        return [key, depth] as const;
      }),
    );
    return Object.fromEntries(entries);
  };
  const poll = setInterval(() => {
    if (streams.size === 0) return;
    dlqDepths().then(
      (depths) => {
        const text = JSON.stringify(depths);
        if (text !== lastDepths) {
          lastDepths = text;
          broadcast('dlq', depths);
        }
      },
      () => {
        // The emulator is stopping or busy; the next tick tries again.
      },
    );
    // The ledger changes without the outbox when real providers send: watch it for the funnel.
    deliveryStats().then(
      (stats) => {
        const text = JSON.stringify(stats ?? null);
        if (stats && text !== lastStats) {
          lastStats = text;
          broadcast('funnel', stats);
        }
      },
      () => {
        // As above.
      },
    );
  }, options.dlqPollMs ?? 2_000);
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, 15_000);

  options.http.addListener(apiReferenceListener);
  options.http.addListener(async (request, response, url) => {
    const path = url.pathname;
    if (path === '/' || path === '/console') {
      response.writeHead(302, { location: '/console/' });
      response.end();
      return true;
    }
    if (!path.startsWith('/console/')) return false;
    const method = request.method ?? 'GET';
    if (path === '/console/api/events' && method === 'GET') {
      openStream(response, streams, { handlers: options.handlers, dlq: await dlqDepths().catch(() => ({})) });
      return true;
    }
    if (path === '/console/api/outbox' && method === 'GET') {
      const channel = url.searchParams.get('channel');
      const customerId = url.searchParams.get('customerId');
      json(response, 200, {
        entries: options.outbox.list({
          ...(channel && isChannel(channel) ? { channel } : {}),
          ...(customerId ? { customerId } : {}),
        }),
      });
      return true;
    }
    if (path === '/console/api/funnel' && method === 'GET') {
      const stats = await deliveryStats();
      if (stats) json(response, 200, stats);
      else json(response, 501, { message: 'the console was started without the messages table' });
      return true;
    }
    if (path === '/console/api/dlq' && method === 'GET') {
      const dlqs = await Promise.all(
        queueKeys.map(async (key) => ({
          queue: key,
          messages: await listDeadLetters(options.sqs, options.queues[`${key}Dlq`], {
            max: 50,
            peekSeconds: 5,
          }),
        })),
      );
      json(response, 200, { dlqs });
      return true;
    }
    const redrive = /^\/console\/api\/dlq\/([a-z]+)\/redrive$/.exec(path);
    if (redrive && method === 'POST') {
      const key = redrive[1] as QueueKey;
      if (!queueKeys.includes(key)) return json(response, 404, { message: `No queue ${key}` });
      if (request.headers[CONSOLE_HEADER] !== '1') {
        return json(response, 403, { message: `Send the ${CONSOLE_HEADER}: 1 header` });
      }
      const result = await redriveDeadLetters(options.sqs, {
        deadLetterQueueUrl: options.queues[`${key}Dlq`],
        sourceQueueUrl: options.queues[key],
      });
      json(response, 200, result);
      return true;
    }
    if (path === '/console/api/status' && method === 'GET') {
      json(response, 200, { handlers: options.handlers, queues: queueKeys });
      return true;
    }
    if (path === '/console/api/customers' && method === 'GET') {
      if (!options.customers) return json(response, 501, { reason: 'No customers table in this console' });
      const query = (url.searchParams.get('q') ?? '').trim().toLowerCase();
      json(response, 200, { customers: await listCustomers(options.customers, query) });
      return true;
    }
    if (path.startsWith('/console/api/')) return json(response, 404, { message: 'Not Found' });
    return serveStatic(request, response, path);
  });

  return {
    stop() {
      clearInterval(poll);
      clearInterval(heartbeat);
      unsubscribe();
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}

function openStream(response: ServerResponse, streams: Set<ServerResponse>, hello: unknown): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
  streams.add(response);
  response.once('close', () => streams.delete(response));
}

function serveStatic(request: IncomingMessage, response: ServerResponse, path: string): boolean {
  const name = path === '/console/' ? 'index.html' : path.slice('/console/'.length);
  const extension = /^[a-z0-9-]+\.([a-z]+)$/.exec(name)?.[1];
  const type = extension ? STATIC_TYPES[extension] : undefined;
  if (!type || (request.method !== 'GET' && request.method !== 'HEAD')) {
    json(response, 404, { message: 'Not Found' });
    return true;
  }
  let body: Buffer;
  try {
    body = readFileSync(join(STATIC_DIR, name));
  } catch {
    json(response, 404, { message: 'Not Found' });
    return true;
  }
  return sendStatic(request, response, { type, body, contentSecurityPolicy: CSP });
}

function json(response: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
  return true;
}

function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

/** A row of the console's customer list. */
export interface CustomerRow {
  readonly customerId: string;
  readonly channels: readonly string[];
  readonly firstName?: string;
}

/**
 * Customers whose id, name or an address contains `query` (all when empty), sorted by id, at most
 * 100. A table scan: fine for the local console's few thousand customers, never used on AWS.
 */
export async function listCustomers(
  table: { readonly dynamodb: DynamoDBClient; readonly tableName: string },
  query: string,
): Promise<CustomerRow[]> {
  const rows: CustomerRow[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.dynamodb.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: 'begins_with(pk, :customer)',
        ExpressionAttributeValues: { ':customer': { S: 'customer#' } },
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw) as {
        customerId?: string;
        addresses?: Record<string, unknown>;
        attributes?: Record<string, unknown>;
      };
      if (!item.customerId) continue;
      const addresses = item.addresses ?? {};
      const firstName =
        typeof item.attributes?.firstName === 'string' ? item.attributes.firstName : undefined;
      const haystack = [
        item.customerId,
        firstName ?? '',
        ...Object.values(addresses).map((v) => JSON.stringify(v)),
      ]
        .join(' ')
        .toLowerCase();
      if (query && !haystack.includes(query)) continue;
      rows.push({
        customerId: item.customerId,
        channels: Object.keys(addresses),
        ...(firstName ? { firstName } : {}),
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return rows.sort((a, b) => a.customerId.localeCompare(b.customerId)).slice(0, 100);
}
